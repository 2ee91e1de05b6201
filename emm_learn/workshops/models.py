"""Workshop tables: the workshop, its rooms, groups and sessions, its members, and the rotation."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User, utcnow
from ..extensions import db


def split_languages(value: str) -> frozenset[str]:
    return frozenset(code for code in value.split(",") if code)


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64))
    languages: Mapped[str] = mapped_column(String(64))  # comma-separated codes, e.g. "en,es,fr"
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organiser: Mapped[User] = relationship()
    rooms: Mapped[list["Room"]] = relationship(order_by="Room.name", cascade="all, delete-orphan")
    groups: Mapped[list["BreakoutGroup"]] = relationship(order_by="BreakoutGroup.name",
                                                         cascade="all, delete-orphan")
    sessions: Mapped[list["WorkshopSession"]] = relationship(order_by="WorkshopSession.starts_at",
                                                             cascade="all, delete-orphan")
    members: Mapped[list["Member"]] = relationship(cascade="all, delete-orphan")
    facilitators: Mapped[list["Facilitator"]] = relationship(cascade="all, delete-orphan")

    @property
    def language_set(self) -> frozenset[str]:
        return split_languages(self.languages)


class Room(db.Model):
    __tablename__ = "workshop_rooms"
    __table_args__ = (UniqueConstraint("workshop_id", "name"),
                      CheckConstraint("capacity > 0", name="capacity_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[int]
    languages: Mapped[str] = mapped_column(String(64))  # working languages available in the room

    @property
    def language_set(self) -> frozenset[str]:
        return split_languages(self.languages)


class BreakoutGroup(db.Model):
    __tablename__ = "workshop_groups"
    __table_args__ = (UniqueConstraint("workshop_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    room_id: Mapped[int] = mapped_column(ForeignKey("workshop_rooms.id", ondelete="RESTRICT"))

    room: Mapped[Room] = relationship()


class WorkshopSession(db.Model):
    __tablename__ = "workshop_sessions"
    __table_args__ = (CheckConstraint("kind IN ('plenary', 'breakout')", name="kind"),
                      CheckConstraint("ends_at > starts_at", name="times_in_order"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]  # wall-clock time in the workshop's time zone
    ends_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(16))

    items: Mapped[list["SessionItem"]] = relationship(order_by="SessionItem.position",
                                                      cascade="all, delete-orphan")

    @property
    def chapter_numbers(self) -> list[str]:
        """The chapters the session works on, in order, each once."""
        return list(dict.fromkeys(item.chapter_number for item in self.items))

    @property
    def exercise_refs(self) -> list[tuple[str, str]]:
        """(chapter number, exercise anchor) of every exercise the session works on."""
        return [(i.chapter_number, i.exercise_anchor) for i in self.items if i.exercise_anchor]

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SessionItem(db.Model):
    """A chapter, or one exercise of a chapter, that a session works on."""
    __tablename__ = "workshop_session_items"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id", ondelete="CASCADE"))
    position: Mapped[int]
    chapter_number: Mapped[str] = mapped_column(String(8))
    exercise_anchor: Mapped[str | None] = mapped_column(String(100))


class Member(db.Model):
    """A participant of a workshop, with the languages they work in and their group."""
    __tablename__ = "workshop_members"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    languages: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(100))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_groups.id", ondelete="SET NULL"))
    is_locked: Mapped[bool] = mapped_column(default=False)  # the organiser placed them by hand
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    group: Mapped[BreakoutGroup | None] = relationship()

    @property
    def language_set(self) -> frozenset[str]:
        return split_languages(self.languages)


class Facilitator(db.Model):
    __tablename__ = "workshop_facilitators"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    languages: Mapped[str] = mapped_column(String(64))

    user: Mapped[User] = relationship()

    @property
    def language_set(self) -> frozenset[str]:
        return split_languages(self.languages)


class RotationCell(db.Model):
    """Who facilitates which group in which break-out session."""
    __tablename__ = "workshop_rotation"
    __table_args__ = (UniqueConstraint("session_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("workshop_groups.id", ondelete="CASCADE"))
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("workshop_facilitators.id",
                                                           ondelete="CASCADE"))


class Material(db.Model):
    """A file the organiser attached to the workshop or to one session, kept in the instance folder."""
    __tablename__ = "workshop_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_sessions.id",
                                                              ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded, cleaned; for the download
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)  # random, no extension
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[WorkshopSession | None] = relationship()


class ReportBack(db.Model):
    """A group's main points for plenary, drafted on the facilitator's run sheet."""
    __tablename__ = "workshop_report_backs"
    __table_args__ = (UniqueConstraint("session_id", "group_id"),
                      CheckConstraint("status IN ('draft', 'ready')", name="status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("workshop_groups.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(8))  # the language it is written in
    status: Mapped[str] = mapped_column(String(8), default="draft")
    version: Mapped[int] = mapped_column(default=1)  # guards against two editors overwriting
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    updated_by: Mapped[User | None] = relationship()
