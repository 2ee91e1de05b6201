"""Progress along a path, computed from what learners really did: sections marked done (progress)
and answers saved (worksheets). A chapter step is done when all its sections are, a section step
when that section is, an exercise step when every prompt of it has an answer."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..curriculum.library import Curriculum
from ..curriculum.model import Chapter, Exercise, Section
from ..extensions import db
from ..progress.models import SectionDone
from ..worksheets.models import Answer


@dataclass(frozen=True)
class ResolvedStep:
    """A step with the chapter part it names; target is None for a whole chapter."""
    step: object  # PathStep or ReadyStep
    chapter: Chapter | None
    target: Section | Exercise | None

    @property
    def is_available(self) -> bool:
        """False when the content no longer has this chapter, section or exercise."""
        if self.chapter is None:
            return False
        return self.step.kind == "chapter" or self.target is not None


def resolve_steps(path, curriculum: Curriculum, language: str = "en") -> list[ResolvedStep]:
    """Each step with its chapter in the reader's language (translations keep every anchor)."""
    resolved = []
    for step in path.steps:
        chapter = curriculum.chapter(step.chapter_number, language)
        target = None
        if chapter is not None and step.kind == "section":
            target = chapter.section(step.anchor)
        elif chapter is not None and step.kind == "exercise":
            target = chapter.exercise(step.anchor)
        resolved.append(ResolvedStep(step, chapter, target))
    return resolved


@dataclass
class LearnerRecord:
    """What one learner has done in the chapters of interest."""
    sections: set[tuple[str, str]] = field(default_factory=set)
    answered: set[tuple[str, str, int]] = field(default_factory=set)

    def has_done(self, resolved: ResolvedStep) -> bool:
        if not resolved.is_available:
            return False
        number = resolved.chapter.number
        if resolved.step.kind == "chapter":
            return all((number, s.anchor) in self.sections for s in resolved.chapter.sections)
        if resolved.step.kind == "section":
            return (number, resolved.target.anchor) in self.sections
        return all((number, resolved.target.anchor, p.number) in self.answered
                   for p in resolved.target.prompts)


def learner_records(user_ids: list[int], chapter_numbers: set[str],
                    before: datetime | None = None) -> dict[int, LearnerRecord]:
    """Sections done and prompts answered per user, in two queries; `before` (UTC) leaves out
    what was done later (a section marked, an answer first saved, at or after that moment)."""
    records = {user_id: LearnerRecord() for user_id in user_ids}
    if not user_ids or not chapter_numbers:
        return records
    sections = select(SectionDone.user_id, SectionDone.chapter_number, SectionDone.section_anchor) \
        .where(SectionDone.user_id.in_(user_ids), SectionDone.chapter_number.in_(chapter_numbers))
    answers = select(Answer.user_id, Answer.chapter_number, Answer.exercise_anchor,
                     Answer.prompt_number, Answer.text) \
        .where(Answer.user_id.in_(user_ids), Answer.chapter_number.in_(chapter_numbers))
    if before is not None:
        sections = sections.where(SectionDone.done_at < before)
        answers = answers.where(Answer.created_at < before)
    for user_id, number, anchor in db.session.execute(sections):
        records[user_id].sections.add((number, anchor))
    for user_id, number, anchor, prompt, text in db.session.execute(answers):
        if text.strip():  # an emptied answer is no answer (as on "My worksheets")
            records[user_id].answered.add((number, anchor, prompt))
    return records


@dataclass(frozen=True)
class PathProgress:
    path: object
    steps: tuple[tuple[ResolvedStep, bool], ...]  # every step, with whether it is done

    @property
    def total(self) -> int:
        return sum(resolved.is_available for resolved, _ in self.steps)

    @property
    def done(self) -> int:
        return sum(is_done for _, is_done in self.steps)

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def is_started(self) -> bool:
        return self.done > 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def next_step(self) -> ResolvedStep | None:
        """Where "continue" leads: the first available step not done yet."""
        return next((resolved for resolved, is_done in self.steps
                     if resolved.is_available and not is_done), None)


def chapters_of(paths) -> set[str]:
    return {step.chapter_number for path in paths for step in path.steps}


def path_progress(path, record: LearnerRecord, curriculum: Curriculum,
                  language: str = "en") -> PathProgress:
    return PathProgress(path, tuple((resolved, record.has_done(resolved))
                                    for resolved in resolve_steps(path, curriculum, language)))


def progress_for(user, paths: list, curriculum: Curriculum, language: str = "en"
                 ) -> list[PathProgress]:
    """One learner's progress on each of several paths (two queries in all)."""
    record = learner_records([user.id], chapters_of(paths))[user.id]
    return [path_progress(path, record, curriculum, language) for path in paths]
