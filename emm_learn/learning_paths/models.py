"""Learning path tables. A path is owned by one user and holds ordered steps; a step names a whole
chapter, or one section or exercise of it, by the curriculum's stable number and anchor.

Following a path and a workshop's pre-reading refer either to a path in the database or to a
ready-made path shipped under content/paths/ (by its file name): exactly one of the two."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User, utcnow
from ..extensions import db

STEP_KINDS = ("chapter", "section", "exercise")
ONE_PATH = ("(path_id IS NULL AND ready_made IS NOT NULL) OR "
            "(path_id IS NOT NULL AND ready_made IS NULL)")


class LearningPath(db.Model):
    __tablename__ = "learning_paths"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The link's secret part: lower-case letters and digits only, so that it can never be the
    # name of a ready-made path (those always contain a hyphen).
    slug: Mapped[str] = mapped_column(String(16), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    copied_from: Mapped[str | None] = mapped_column(String(200))  # the original's title
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship()
    steps: Mapped[list["PathStep"]] = relationship(order_by="PathStep.position",
                                                   cascade="all, delete-orphan")

    is_ready_made = False


class PathStep(db.Model):
    __tablename__ = "learning_path_steps"
    __table_args__ = (
        UniqueConstraint("path_id", "position"),
        CheckConstraint("kind IN ('chapter', 'section', 'exercise')", name="kind"),
        CheckConstraint("(kind = 'chapter' AND anchor IS NULL) OR "
                        "(kind <> 'chapter' AND anchor IS NOT NULL)", name="anchor_matches_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("learning_paths.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    chapter_number: Mapped[str] = mapped_column(String(8))
    anchor: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")


class PathFollow(db.Model):
    """A learner who has started a path: it is shown on their home page with its progress."""
    __tablename__ = "learning_path_follows"
    __table_args__ = (UniqueConstraint("user_id", "path_id"),
                      UniqueConstraint("user_id", "ready_made"),
                      CheckConstraint(ONE_PATH, name="one_path"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path_id: Mapped[int | None] = mapped_column(ForeignKey("learning_paths.id", ondelete="CASCADE"),
                                                index=True)
    ready_made: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkshopPrereading(db.Model):
    """The path a workshop's participants read before it starts (one per workshop)."""
    __tablename__ = "workshop_prereading"
    __table_args__ = (CheckConstraint(ONE_PATH, name="one_path"),)

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"),
                                             primary_key=True)
    path_id: Mapped[int | None] = mapped_column(ForeignKey("learning_paths.id", ondelete="CASCADE"),
                                                index=True)
    ready_made: Mapped[str | None] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
