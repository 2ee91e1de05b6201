"""The trainer's view of learning: each participant's progress and worksheet completion on the
workshop's chapters, and how many learners started and completed each chapter on the platform."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, distinct, false, func, or_, select, union

from ..curriculum.library import Curriculum
from ..curriculum.model import Chapter
from ..extensions import db
from ..progress.models import SectionDone
from ..worksheets.models import Answer
from ..workshops.models import Workshop


@dataclass(frozen=True)
class ChapterStatus:
    sections_done: int
    sections: int
    exercises_complete: int
    exercises: int


@dataclass(frozen=True)
class ParticipantLearning:
    name: str
    group: str
    chapters: dict[str, ChapterStatus]


def workshop_chapters(workshop: Workshop, curriculum: Curriculum) -> list[Chapter]:
    """The chapters the workshop's sessions work on, in session order, each once."""
    numbers = dict.fromkeys(n for session in workshop.sessions for n in session.chapter_numbers)
    return [curriculum.chapter(n) for n in numbers if curriculum.chapter(n) is not None]


def present_sections(chapters: list[Chapter]):
    """A condition matching sections that still exist in these chapters (renamed ones do not count)."""
    return or_(*(and_(SectionDone.chapter_number == c.number,
                      SectionDone.section_anchor.in_([s.anchor for s in c.sections]))
                 for c in chapters)) if chapters else false()


def sections_done(user_ids: list[int], chapters: list[Chapter]) -> dict[tuple[int, str], int]:
    rows = db.session.execute(
        select(SectionDone.user_id, SectionDone.chapter_number, func.count())
        .where(SectionDone.user_id.in_(user_ids), present_sections(chapters))
        .group_by(SectionDone.user_id, SectionDone.chapter_number))
    return {(user, number): count for user, number, count in rows}


def exercises_complete(user_ids: list[int], chapters: list[Chapter]) -> dict[tuple[int, str], int]:
    """An exercise is complete when every one of its prompts has a non-blank answer."""
    rows = db.session.execute(
        select(Answer.user_id, Answer.chapter_number, Answer.exercise_anchor, Answer.prompt_number)
        .where(Answer.user_id.in_(user_ids), Answer.chapter_number.in_([c.number for c in chapters]),
               func.length(func.trim(Answer.text)) > 0))
    answered: dict[tuple[int, str], set[tuple[str, int]]] = {}
    for user, number, anchor, prompt in rows:
        answered.setdefault((user, number), set()).add((anchor, prompt))
    result = {}
    for chapter in chapters:
        for user in user_ids:
            given = answered.get((user, chapter.number), set())
            result[(user, chapter.number)] = sum(
                all((e.anchor, p.number) in given for p in e.prompts) for e in chapter.exercises)
    return result


def workshop_learning(workshop: Workshop, chapters: list[Chapter]) -> list[ParticipantLearning]:
    members = sorted(workshop.members, key=lambda m: m.user.display_name.lower())
    user_ids = [m.user_id for m in members]
    done = sections_done(user_ids, chapters) if user_ids else {}
    complete = exercises_complete(user_ids, chapters) if user_ids else {}
    return [ParticipantLearning(
        member.user.display_name, member.group.name if member.group else "",
        {c.number: ChapterStatus(done.get((member.user_id, c.number), 0), len(c.sections),
                                 complete.get((member.user_id, c.number), 0), len(c.exercises))
         for c in chapters}) for member in members]


# -- across the platform --------------------------------------------------------------------------
@dataclass(frozen=True)
class ChapterReach:
    chapter: Chapter
    started: int
    completed: int


def chapter_reach(curriculum: Curriculum) -> list[ChapterReach]:
    """Learners who started each chapter (a section done or an answer written) and who completed
    it (every section done)."""
    chapters = list(curriculum.chapters.values())
    starts = union(
        select(SectionDone.user_id, SectionDone.chapter_number),
        select(Answer.user_id, Answer.chapter_number).where(func.length(func.trim(Answer.text)) > 0),
    ).subquery()
    started = dict(db.session.execute(
        select(starts.c.chapter_number, func.count(distinct(starts.c.user_id)))
        .group_by(starts.c.chapter_number)).all())
    per_user = db.session.execute(
        select(SectionDone.chapter_number, func.count())
        .where(present_sections(chapters))
        .group_by(SectionDone.chapter_number, SectionDone.user_id))
    completed: dict[str, int] = {}
    totals = {c.number: len(c.sections) for c in chapters}
    for number, count in per_user:
        if count >= totals[number] > 0:
            completed[number] = completed.get(number, 0) + 1
    return [ChapterReach(c, started.get(c.number, 0), completed.get(c.number, 0)) for c in chapters]
