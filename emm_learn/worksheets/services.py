"""Worksheet rules: saving answers without ever losing one, history, completion, drafts."""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User, utcnow
from ..curriculum.library import Curriculum
from ..curriculum.model import Chapter, Exercise
from ..extensions import db
from .models import Answer, AnswerRevision, PendingDraft

MAX_ANSWER_CHARS = 20_000
DRAFT_LIFETIME = timedelta(days=2)


class AnswerTooLong(Exception):
    """The text is over MAX_ANSWER_CHARS; nothing was saved."""


@dataclass(frozen=True)
class SaveResult:
    status: str  # "saved", "unchanged" or "conflict"
    answer: Answer
    conflict_revision: AnswerRevision | None = None

    @property
    def is_conflict(self) -> bool:
        return self.status == "conflict"


def answer_key(answer: Answer) -> tuple[str, int]:
    return answer.exercise_anchor, answer.prompt_number


def answers_for_chapter(user: User, chapter_number: str) -> dict[tuple[str, int], Answer]:
    rows = db.session.scalars(select(Answer).where(Answer.user_id == user.id,
                                                   Answer.chapter_number == chapter_number))
    return {answer_key(answer): answer for answer in rows}


def find_answer(user: User, chapter_number: str, exercise: str, prompt: int) -> Answer | None:
    return db.session.scalar(select(Answer).where(
        Answer.user_id == user.id, Answer.chapter_number == chapter_number,
        Answer.exercise_anchor == exercise, Answer.prompt_number == prompt))


def written_language(value: str | None) -> str | None:
    """The language an author says an answer is in: one of the platform's, else None (unsaid)."""
    return value if value in current_app.config["EMM_LANGUAGES"] else None


def save_answer(user: User, chapter: Chapter, exercise: Exercise, prompt: int, text: str,
                base_version: int, kind: str = "save", language: str | None = None) -> SaveResult:
    """Save text as the new answer if the page it came from saw the current version.

    base_version is the version the author's page was showing (0 for "no answer yet"). When it is
    stale, the current answer stays as it is, the incoming text is kept as a "conflict" revision,
    and the caller shows both. The version check is done by the UPDATE itself, so two requests
    racing each other cannot both win. language is what the author says the text is written in
    (None: unsaid, the answer keeps the language it had); a new language is a new version too, so
    the history shows when it changed."""
    text = normalise(text)
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerTooLong()
    answer = find_answer(user, chapter.number, exercise.anchor, prompt)
    if answer is None:
        if base_version == 0:
            created = create_answer(user, chapter, exercise, prompt, text, kind, language)
            if created is not None:
                return SaveResult("saved", created)
        answer = find_answer(user, chapter.number, exercise.anchor, prompt)
        if answer is None:  # a base version for an answer that never existed: treat as new
            return SaveResult("saved", create_answer(user, chapter, exercise, prompt, text, kind,
                                                     language))
        return keep_conflict(answer, text, base_version, language)
    if answer.version != base_version:
        return keep_conflict(answer, text, base_version, language)
    language = language or answer.language
    if answer.text == text and answer.language == language:
        return SaveResult("unchanged", answer)
    # The version test and the write are one statement: of two racing saves, one matches no row.
    moved = db.session.execute(
        update(Answer).where(Answer.id == answer.id, Answer.version == base_version)
        .values(text=text, language=language, version=base_version + 1, updated_at=utcnow())
        .returning(Answer.version).execution_options(synchronize_session="fetch")).first()
    if moved is None:
        db.session.refresh(answer)
        return keep_conflict(answer, text, base_version, language)
    # A plain INSERT: the revision is never read back in this request (cheaper than the ORM's).
    db.session.execute(insert(AnswerRevision).values(answer_id=answer.id, version=moved.version,
                                                     text=text, language=language, kind=kind,
                                                     saved_at=utcnow()))
    return SaveResult("saved", answer)


def create_answer(user, chapter, exercise, prompt, text, kind, language) -> Answer | None:
    """Insert the first version; None when another request inserted it first."""
    answer = Answer(user_id=user.id, chapter_number=chapter.number, exercise_anchor=exercise.anchor,
                    prompt_number=prompt, text=text, language=language, version=1)
    try:
        with db.session.begin_nested():
            db.session.add(answer)
            db.session.flush()
    except IntegrityError:
        return None
    db.session.add(AnswerRevision(answer_id=answer.id, version=1, text=text, language=language,
                                  kind=kind))
    return answer


def keep_conflict(answer: Answer, text: str, base_version: int,
                  language: str | None = None) -> SaveResult:
    """A stale save: keep its text as a revision (nothing is lost) and report the conflict."""
    revision = AnswerRevision(answer_id=answer.id, version=base_version, text=text,
                              language=language, kind="conflict")
    db.session.add(revision)
    db.session.flush()
    return SaveResult("conflict", answer, revision)


def normalise(text: str) -> str:
    """Browsers send CRLF line ends; store LF so that equal texts compare equal."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def revisions(answer: Answer) -> list[AnswerRevision]:
    return list(db.session.scalars(select(AnswerRevision).where(AnswerRevision.answer_id == answer.id)
                                   .order_by(AnswerRevision.saved_at.desc(),
                                             AnswerRevision.id.desc())))


def owned_answer(user: User, answer_id: int) -> Answer | None:
    """The answer if it belongs to this user; None for anyone else's (no hint that it exists)."""
    answer = db.session.get(Answer, answer_id)
    return answer if answer is not None and answer.user_id == user.id else None


def owned_revision(answer: Answer, revision_id: int) -> AnswerRevision | None:
    revision = db.session.get(AnswerRevision, revision_id)
    return revision if revision is not None and revision.answer_id == answer.id else None


# -- completion ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExerciseStatus:
    exercise: Exercise
    answered: int

    @property
    def is_complete(self) -> bool:
        return self.answered >= len(self.exercise.prompts)


@dataclass(frozen=True)
class ChapterWorksheet:
    chapter: Chapter
    exercises: tuple[ExerciseStatus, ...]
    last_saved_at: object

    @property
    def complete_exercises(self) -> int:
        return sum(status.is_complete for status in self.exercises)


def worksheet_overview(user: User, curriculum: Curriculum, language: str = "en"
                       ) -> list[ChapterWorksheet]:
    """Every chapter where the user has answers, with per-exercise completion.

    The chapters are in the reader's language where translated: answers belong to an exercise id
    and a prompt number, which every translation keeps."""
    rows = db.session.scalars(select(Answer).where(Answer.user_id == user.id))
    by_chapter: dict[str, list[Answer]] = {}
    for answer in rows:
        by_chapter.setdefault(answer.chapter_number, []).append(answer)
    overview = []
    for number in curriculum.chapters:
        chapter = curriculum.chapter(number, language)
        answers = by_chapter.get(number)
        if not answers:
            continue
        answered = {answer_key(a) for a in answers if a.text.strip()}
        statuses = tuple(ExerciseStatus(exercise, sum((exercise.anchor, p.number) in answered
                                                      for p in exercise.prompts))
                         for exercise in chapter.exercises)
        overview.append(ChapterWorksheet(chapter, statuses, max(a.updated_at for a in answers)))
    return overview


# -- drafts kept across an ended session --------------------------------------------------------
def stash_draft(chapter_number: str, exercise_anchor: str, texts: dict[int, str]) -> str:
    """Keep unsaved text server-side; the returned token goes into the visitor's session."""
    db.session.execute(delete(PendingDraft).where(PendingDraft.created_at < utcnow() - DRAFT_LIFETIME))
    token = secrets.token_urlsafe(32)
    db.session.add(PendingDraft(token=token, chapter_number=chapter_number,
                                exercise_anchor=exercise_anchor,
                                texts=json.dumps({str(k): v for k, v in texts.items()})))
    return token


def take_draft(token: str | None, chapter_number: str) -> tuple[str, dict[int, str]] | None:
    """The stashed (exercise, texts) for this chapter, removed from storage; None if there is none."""
    if not token:
        return None
    draft = db.session.get(PendingDraft, token)
    if draft is None or draft.chapter_number != chapter_number:
        return None
    db.session.delete(draft)
    return draft.exercise_anchor, {int(k): v for k, v in json.loads(draft.texts).items()}
