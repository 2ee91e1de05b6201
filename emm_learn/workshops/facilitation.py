"""Running a session: who may see which run sheet, the timed plan, the group's answers as they
arrive, the report-back, the live board of every room and the plenary."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from ..accounts.models import User, utcnow
from ..curriculum.library import ChapterVersion, Curriculum
from ..curriculum.model import Chapter, Exercise, PlanBlock
from ..extensions import db
from ..validation import Invalid
from ..worksheets.models import Answer
from .models import (BreakoutGroup, Facilitator, Member, ReportBack, RotationCell, Workshop,
                     WorkshopSession)
from .services import can_organise

REPORT_BACK_MAX_CHARS = 10_000


# -- who may see what ----------------------------------------------------------------------------
def facilitator_record(workshop: Workshop, user: User) -> Facilitator | None:
    return next((f for f in workshop.facilitators if f.user_id == user.id), None)


def member_record(workshop: Workshop, user: User) -> Member | None:
    return next((m for m in workshop.members if m.user_id == user.id), None)


def is_workshop_person(workshop: Workshop, user: User) -> bool:
    """Organisers, administrators, facilitators and participants of this workshop."""
    return (can_organise(user, workshop) or facilitator_record(workshop, user) is not None
            or member_record(workshop, user) is not None)


def cell_facilitator(session: WorkshopSession, group: BreakoutGroup) -> Facilitator | None:
    cell = db.session.scalar(select(RotationCell).where(RotationCell.session_id == session.id,
                                                        RotationCell.group_id == group.id))
    return db.session.get(Facilitator, cell.facilitator_id) if cell else None


def run_sheet_role(workshop: Workshop, session: WorkshopSession, group: BreakoutGroup,
                   user: User) -> str | None:
    """'facilitator' (the full sheet), 'participant' (their own group's view) or None."""
    if can_organise(user, workshop):
        return "facilitator"
    facilitator = cell_facilitator(session, group)
    if facilitator is not None and facilitator.user_id == user.id:
        return "facilitator"
    member = member_record(workshop, user)
    if member is not None and member.group_id == group.id:
        return "participant"
    return None


# -- the facilitator's schedule ------------------------------------------------------------------
@dataclass(frozen=True)
class Assignment:
    session: WorkshopSession
    group: BreakoutGroup


def schedule_of(workshop: Workshop, facilitator: Facilitator) -> list[Assignment]:
    """Where a facilitator goes, session by session."""
    groups = {g.id: g for g in workshop.groups}
    sessions = {s.id: s for s in workshop.sessions}
    cells = db.session.scalars(select(RotationCell).where(
        RotationCell.facilitator_id == facilitator.id))
    found = [Assignment(sessions[c.session_id], groups[c.group_id]) for c in cells
             if c.session_id in sessions and c.group_id in groups]
    return sorted(found, key=lambda a: (a.session.starts_at, a.group.name))


# -- the timed plan ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimedBlock:
    kind: str
    minutes: int
    starts_at: datetime  # wall-clock, workshop time zone
    ends_at: datetime
    activity_html: str


def timed_plan(session: WorkshopSession, plan: tuple[PlanBlock, ...]) -> list[TimedBlock]:
    """The chapter's plan laid on the session's clock, stretched or shrunk to fit its length."""
    planned = sum(block.minutes for block in plan)
    if not planned:
        return []
    blocks, elapsed, start = [], 0, session.starts_at
    for block in plan:
        elapsed += block.minutes
        end = session.starts_at + timedelta(minutes=round(elapsed * session.minutes / planned))
        blocks.append(TimedBlock(block.kind, int((end - start).total_seconds() // 60), start, end,
                                 block.activity_html))
        start = end
    return blocks


def session_chapter_versions(session: WorkshopSession, curriculum: Curriculum,
                             language: str = "en") -> list[ChapterVersion]:
    """The session's chapters in that language, each saying whether it fell back to English."""
    versions = (curriculum.chapter_version(n, language) for n in session.chapter_numbers)
    return [v for v in versions if v is not None]


def session_chapters(session: WorkshopSession, curriculum: Curriculum,
                     language: str = "en") -> list[Chapter]:
    return [v.chapter for v in session_chapter_versions(session, curriculum, language)]


def session_exercises(session: WorkshopSession, curriculum: Curriculum, language: str = "en"
                      ) -> list[tuple[Chapter, Exercise]]:
    """The exercises named by the session; a whole chapter brings its break-out exercises.

    Translations keep every exercise id and prompt number, so the answers written under any
    language's page belong to the same exercises."""
    found: list[tuple[Chapter, Exercise]] = []
    for item in session.items:
        chapter = curriculum.chapter(item.chapter_number, language)
        if chapter is None:
            continue
        if item.exercise_anchor:
            exercise = chapter.exercise(item.exercise_anchor)
            candidates = [exercise] if exercise else []
        else:
            candidates = [e for e in chapter.exercises if e.suits_breakout_group] or \
                list(chapter.exercises[:1])
        found += [(chapter, e) for e in candidates if (chapter, e) not in found]
    return found


# -- the group's answers -------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberAnswers:
    member: Member
    answers: dict[int, Answer]  # prompt number -> answer, with the language it is written in

    def answer_to(self, prompt_number: int) -> Answer | None:
        """The member's answer to that prompt, if it has any text."""
        answer = self.answers.get(prompt_number)
        return answer if answer is not None and answer.text.strip() else None

    @property
    def has_answered(self) -> bool:
        return any(answer.text.strip() for answer in self.answers.values())


def group_members(workshop: Workshop, group: BreakoutGroup) -> list[Member]:
    return sorted((m for m in workshop.members if m.group_id == group.id),
                  key=lambda m: m.user.display_name.lower())


def answers_to(members: list[Member], chapter: Chapter, exercise: Exercise) -> list[MemberAnswers]:
    """Each member's answers to one exercise, in roster order."""
    ids = [m.user_id for m in members]
    rows = db.session.scalars(select(Answer).where(
        Answer.user_id.in_(ids), Answer.chapter_number == chapter.number,
        Answer.exercise_anchor == exercise.anchor)) if ids else []
    by_user: dict[int, dict[int, Answer]] = {}
    for answer in rows:
        by_user.setdefault(answer.user_id, {})[answer.prompt_number] = answer
    return [MemberAnswers(m, by_user.get(m.user_id, {})) for m in members]


def group_answer_rows(answers: list[tuple[Chapter, Exercise, list[MemberAnswers]]]):
    """CSV rows: every answer as its author saved it, with the language it is written in."""
    for chapter, exercise, rows in answers:
        for prompt in exercise.prompts:
            for row in rows:
                answer = row.answer_to(prompt.number)
                if answer is not None:
                    yield [row.member.user.display_name, chapter.number, exercise.title,
                           prompt.number, prompt.text, answer.language or "", answer.text,
                           answer.updated_at.strftime("%Y-%m-%d %H:%M")]


def answered_count(members: list[Member], exercises: list[tuple[Chapter, Exercise]]) -> int:
    """How many members have written something for the session's exercises."""
    if not members or not exercises:
        return 0
    wanted = or_(*(and_(Answer.chapter_number == chapter.number,
                        Answer.exercise_anchor == exercise.anchor) for chapter, exercise in exercises))
    query = select(func.count(func.distinct(Answer.user_id))).where(
        Answer.user_id.in_([m.user_id for m in members]), Answer.text != "", wanted)
    return db.session.scalar(query) or 0


# -- report-backs --------------------------------------------------------------------------------
def report_back(session: WorkshopSession, group: BreakoutGroup) -> ReportBack | None:
    return db.session.scalar(select(ReportBack).where(ReportBack.session_id == session.id,
                                                      ReportBack.group_id == group.id))


class ReportBackConflict(Exception):
    """Someone else saved the report-back since this editor loaded it."""

    def __init__(self, current: ReportBack):
        super().__init__("report-back changed")
        self.current = current


def save_report_back(session: WorkshopSession, group: BreakoutGroup, user: User, text: str,
                     base_version: int, ready: bool, language: str | None = None) -> ReportBack:
    """Save the group's points; language is what the writer says they are in (None: unsaid)."""
    text = text.replace("\r\n", "\n").strip()
    if len(text) > REPORT_BACK_MAX_CHARS:
        raise Invalid({"report_back": _("Keep the report-back under %(n)d characters.",
                                        n=REPORT_BACK_MAX_CHARS)})
    if ready and not text:
        raise Invalid({"report_back": _("Write the group's main points before marking them "
                                        "ready for plenary.")})
    current = report_back(session, group)
    if current is None:
        current = ReportBack(session_id=session.id, group_id=group.id, version=0)
        db.session.add(current)
    elif current.version != base_version:
        raise ReportBackConflict(current)
    current.text, current.status = text, "ready" if ready else "draft"
    current.language = language or current.language
    current.version += 1
    current.updated_by_id, current.updated_at = user.id, utcnow()
    db.session.flush()
    return current


# -- the live board and the plenary --------------------------------------------------------------
@dataclass(frozen=True)
class RoomStatus:
    group: BreakoutGroup
    facilitator: Facilitator | None
    members: int
    answered: int
    report_back: ReportBack | None


def live_board(workshop: Workshop, session: WorkshopSession, curriculum: Curriculum,
               language: str = "en") -> list[RoomStatus]:
    exercises = session_exercises(session, curriculum, language)
    facilitators = {f.id: f for f in workshop.facilitators}
    cells = {c.group_id: c.facilitator_id for c in db.session.scalars(
        select(RotationCell).where(RotationCell.session_id == session.id))}
    backs = {r.group_id: r for r in db.session.scalars(
        select(ReportBack).where(ReportBack.session_id == session.id))}
    board = []
    for group in workshop.groups:
        members = group_members(workshop, group)
        board.append(RoomStatus(group, facilitators.get(cells.get(group.id)), len(members),
                                answered_count(members, exercises), backs.get(group.id)))
    return board


def current_or_next_session(workshop: Workshop, now: datetime) -> WorkshopSession | None:
    """The break-out under way, else the next one, else the last one."""
    breakouts = [s for s in workshop.sessions if s.kind == "breakout"]
    for session in breakouts:
        if now < session.ends_at:
            return session
    return breakouts[-1] if breakouts else None
