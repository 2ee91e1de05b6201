"""Feedback tables: a reader's ratings of a chapter, and workshop forms with their questions and
responses. An anonymous response carries no user id: who has answered is kept apart, in receipts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import utcnow
from ..extensions import db
from ..workshops.models import WorkshopSession

# Substance first (relevance to one's work, accuracy, depth), then form.
CHAPTER_CRITERIA = ("relevance", "accuracy", "depth", "clarity", "structure", "exercises")
FORM_KINDS = ("session", "final")
QUESTION_KINDS = ("scale", "choice", "text")


def scale_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 1 AND 5", name=f"{column}_scale")


class ChapterFeedback(db.Model):
    """One reader's ratings of one chapter (1-5, each optional) and an optional comment."""
    __tablename__ = "chapter_feedback"
    __table_args__ = (UniqueConstraint("user_id", "chapter_number"),
                      *(scale_check(column) for column in CHAPTER_CRITERIA))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    chapter_number: Mapped[str] = mapped_column(String(8), index=True)
    relevance: Mapped[int | None]
    accuracy: Mapped[int | None]
    depth: Mapped[int | None]
    clarity: Mapped[int | None]
    structure: Mapped[int | None]
    exercises: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8))  # the interface language it was given in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def rating(self, criterion: str) -> int | None:
        return getattr(self, criterion)


class WorkshopForm(db.Model):
    """A short form after one session, or the end-of-workshop evaluation."""
    __tablename__ = "workshop_forms"
    __table_args__ = (
        CheckConstraint("kind IN ('session', 'final')", name="kind"),
        CheckConstraint("(kind = 'session' AND session_id IS NOT NULL) OR "
                        "(kind = 'final' AND session_id IS NULL)", name="session_matches_kind"),
        UniqueConstraint("session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"),
                                             index=True)
    kind: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_sessions.id",
                                                              ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    is_anonymous: Mapped[bool] = mapped_column(default=True)
    is_open: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[WorkshopSession | None] = relationship()
    questions: Mapped[list["FormQuestion"]] = relationship(
        order_by=lambda: (FormQuestion.position, FormQuestion.id), cascade="all, delete-orphan")


class FormQuestion(db.Model):
    __tablename__ = "workshop_form_questions"
    __table_args__ = (CheckConstraint("kind IN ('scale', 'choice', 'text')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("workshop_forms.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(300))
    choices: Mapped[str] = mapped_column(Text, default="")  # one per line, for choice questions

    @property
    def choice_list(self) -> list[str]:
        return [line for line in self.choices.splitlines() if line.strip()]


class FormResponse(db.Model):
    """One participant's answers to a form. user_id stays empty when the form is anonymous.

    The group, facilitator and language are those of the moment of answering, so that reports
    keep their slices when groups or the rotation change later."""
    __tablename__ = "workshop_form_responses"
    __table_args__ = (UniqueConstraint("form_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("workshop_forms.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_groups.id",
                                                            ondelete="SET NULL"))
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_facilitators.id",
                                                                  ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(8))  # the languages they work in, e.g. "en,fr"
    updated_at: Mapped[datetime | None]  # left empty on anonymous responses: no time to match

    answers: Mapped[list["FormAnswer"]] = relationship(cascade="all, delete-orphan")


class FormAnswer(db.Model):
    __tablename__ = "workshop_form_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"), scale_check("scale"))

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("workshop_form_responses.id",
                                                        ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("workshop_form_questions.id",
                                                        ondelete="CASCADE"), index=True)
    scale: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)  # the choice made, or the free text


class FormReceipt(db.Model):
    """That a person has answered a form (one response each), with no link to the response."""
    __tablename__ = "workshop_form_receipts"
    __table_args__ = (UniqueConstraint("form_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("workshop_forms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
