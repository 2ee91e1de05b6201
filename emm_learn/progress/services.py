"""Progress rules: what counts as done, where to continue, and the learner's own export."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User, utcnow
from ..curriculum.library import Curriculum
from ..curriculum.model import Chapter
from ..extensions import db
from .models import ReadingPosition, SectionDone


@dataclass(frozen=True)
class ChapterProgress:
    chapter: Chapter
    done: int

    @property
    def total(self) -> int:
        return len(self.chapter.sections)

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def done_sections(user: User, chapter_number: str) -> set[str]:
    return set(db.session.scalars(select(SectionDone.section_anchor).where(
        SectionDone.user_id == user.id, SectionDone.chapter_number == chapter_number)))


def mark_section(user: User, chapter: Chapter, anchor: str, is_done: bool) -> None:
    """Mark or unmark one section; marking moves the reading position to the next section."""
    already = db.session.scalar(select(SectionDone).where(
        SectionDone.user_id == user.id, SectionDone.chapter_number == chapter.number,
        SectionDone.section_anchor == anchor))
    if is_done and already is None:
        db.session.add(SectionDone(user_id=user.id, chapter_number=chapter.number,
                                   section_anchor=anchor))
    elif not is_done and already is not None:
        db.session.delete(already)
    if is_done:
        anchors = [s.anchor for s in chapter.sections]
        following = anchors[anchors.index(anchor) + 1] if anchors.index(anchor) + 1 < len(anchors) \
            else None
        record_position(user, chapter.number, following or anchor)


def record_position(user: User, chapter_number: str, anchor: str | None) -> None:
    """Remember where the learner is; writes only when the position really moves."""
    position = db.session.get(ReadingPosition, user.id)
    if position is None:
        db.session.add(ReadingPosition(user_id=user.id, chapter_number=chapter_number,
                                       section_anchor=anchor))
        return
    if position.chapter_number == chapter_number and anchor in (None, position.section_anchor):
        return  # re-reading the same chapter keeps the section already known
    position.chapter_number, position.section_anchor = chapter_number, anchor
    position.visited_at = utcnow()


def last_position(user: User) -> ReadingPosition | None:
    return db.session.get(ReadingPosition, user.id)


def progress_by_chapter(user: User, curriculum: Curriculum) -> dict[str, ChapterProgress]:
    """Sections done per present chapter; anchors no longer in a chapter do not count."""
    rows = db.session.execute(select(SectionDone.chapter_number, SectionDone.section_anchor)
                              .where(SectionDone.user_id == user.id))
    done: dict[str, set[str]] = {}
    for number, anchor in rows:
        done.setdefault(number, set()).add(anchor)
    return {number: ChapterProgress(chapter, len(done.get(number, set())
                                                  & {s.anchor for s in chapter.sections}))
            for number, chapter in curriculum.chapters.items()}


def progress_rows(user: User, curriculum: Curriculum, language: str = "en") -> list[list[str]]:
    """The learner's own progress, one row per section of every present chapter, titled in the
    reader's language (sections keep their ids, which are the same in every language)."""
    rows = db.session.scalars(select(SectionDone).where(SectionDone.user_id == user.id))
    done_at = {(row.chapter_number, row.section_anchor): row.done_at for row in rows}
    table = []
    for number in curriculum.chapters:
        chapter = curriculum.chapter(number, language)
        for section in chapter.sections:
            when = done_at.get((chapter.number, section.anchor))
            table.append([chapter.number, chapter.title, section.anchor, section.title,
                          _("yes") if when else _("no"),
                          when.isoformat(timespec="minutes") if when else ""])
    return table
