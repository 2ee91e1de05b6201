"""Chapter feedback rules: one response per reader and chapter, changeable, ratings 1-5."""
from __future__ import annotations

from flask_babel import get_locale, lazy_gettext as _l
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User, utcnow
from ..extensions import db
from ..validation import Invalid
from .models import CHAPTER_CRITERIA, ChapterFeedback

MAX_COMMENT = 2000


def criterion_labels() -> dict[str, object]:
    """What each 1-5 scale asks, substance first, then presentation."""
    return {"relevance": _l("Relevance to your work"), "accuracy": _l("Accuracy"),
            "depth": _l("Depth"), "clarity": _l("Clarity"), "structure": _l("Structure"),
            "exercises": _l("Usefulness of the exercises")}


def criterion_groups() -> list[tuple[object, tuple[str, ...]]]:
    return [(_l("Substance"), CHAPTER_CRITERIA[:3]), (_l("Presentation"), CHAPTER_CRITERIA[3:])]


def feedback_of(user: User, chapter_number: str) -> ChapterFeedback | None:
    return db.session.scalar(select(ChapterFeedback).where(
        ChapterFeedback.user_id == user.id, ChapterFeedback.chapter_number == chapter_number))


def parse_rating(value: str | None) -> int | None:
    """'' means not rated; anything outside 1-5 is refused by the caller."""
    value = (value or "").strip()
    if value == "":
        return None
    return int(value) if value in ("1", "2", "3", "4", "5") else 0


def clean_feedback(form: dict) -> tuple[dict[str, int | None], str]:
    errors: dict[str, str] = {}
    ratings = {criterion: parse_rating(form.get(criterion)) for criterion in CHAPTER_CRITERIA}
    for criterion, rating in ratings.items():
        if rating == 0:
            errors[criterion] = _("Choose a rating from 1 to 5.")
    comment = form.get("comment", "").replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _("Keep the comment to %(n)d characters (it has %(has)d).",
                              n=MAX_COMMENT, has=len(comment))
    if not errors and all(rating is None for rating in ratings.values()) and not comment:
        errors["relevance"] = _("Rate at least one aspect of the chapter, or write a comment.")
    if errors:
        raise Invalid(errors)
    return ratings, comment


def save_feedback(user: User, chapter_number: str, form: dict) -> ChapterFeedback:
    """Create or replace this reader's feedback on the chapter."""
    ratings, comment = clean_feedback(form)
    feedback = feedback_of(user, chapter_number)
    if feedback is None:
        feedback = ChapterFeedback(user_id=user.id, chapter_number=chapter_number)
        db.session.add(feedback)
    for criterion, rating in ratings.items():
        setattr(feedback, criterion, rating)
    feedback.comment, feedback.language = comment, str(get_locale())
    feedback.updated_at = utcnow()
    db.session.flush()
    return feedback


def form_values(feedback: ChapterFeedback | None) -> dict[str, str]:
    """The saved feedback as the form's values."""
    if feedback is None:
        return {}
    values = {c: str(feedback.rating(c)) for c in CHAPTER_CRITERIA if feedback.rating(c)}
    values["comment"] = feedback.comment
    return values
