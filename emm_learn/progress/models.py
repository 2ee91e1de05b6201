"""Progress tables. Chapters and sections are named by their stable number and anchor."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import utcnow
from ..extensions import db


class SectionDone(db.Model):
    """A section of a chapter that a learner has marked as done."""
    __tablename__ = "sections_done"
    __table_args__ = (UniqueConstraint("user_id", "chapter_number", "section_anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    chapter_number: Mapped[str] = mapped_column(String(8))
    section_anchor: Mapped[str] = mapped_column(String(100))
    done_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReadingPosition(db.Model):
    """Where a learner last was, for "continue where you left off"."""
    __tablename__ = "reading_positions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    chapter_number: Mapped[str] = mapped_column(String(8))
    section_anchor: Mapped[str | None] = mapped_column(String(100))
    visited_at: Mapped[datetime] = mapped_column(default=utcnow)
