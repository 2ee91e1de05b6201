"""Answer tables. An answer belongs to one user and one prompt (chapter, exercise id, prompt number);
its version counts saves, so a save from a stale page can be told apart and refused."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import utcnow
from ..extensions import db

REVISION_KINDS = ("save", "restore", "merge", "conflict")


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("user_id", "chapter_number", "exercise_anchor", "prompt_number"),
                      CheckConstraint("version >= 1", name="version_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    chapter_number: Mapped[str] = mapped_column(String(8))
    exercise_anchor: Mapped[str] = mapped_column(String(100))
    prompt_number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))  # as its author said; NULL: not recorded
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerRevision(db.Model):
    """Every text ever saved for an answer, including saves refused as stale ("conflict")."""
    __tablename__ = "answer_revisions"
    __table_args__ = (Index("ix_answer_revisions_answer_saved", "answer_id", "saved_at"),
                      CheckConstraint("kind IN ('save', 'restore', 'merge', 'conflict')",
                                      name="kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    version: Mapped[int]  # the answer's version this text became (or, for a conflict, was based on)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))  # the language the text was saved as
    kind: Mapped[str] = mapped_column(String(16), default="save")
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class PendingDraft(db.Model):
    """Text typed when the session had ended, kept until its author signs in again."""
    __tablename__ = "pending_drafts"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    chapter_number: Mapped[str] = mapped_column(String(8))
    exercise_anchor: Mapped[str] = mapped_column(String(100))
    texts: Mapped[str] = mapped_column(Text)  # JSON: {"1": "...", "2": "..."}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
