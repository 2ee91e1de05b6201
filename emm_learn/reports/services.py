"""What reports show: workshop forms and chapter feedback summarised, with small slices hidden
and anonymous respondents never named; and charts drawn from exactly those numbers."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User
from ..curriculum.model import Chapter
from ..extensions import db
from ..feedback.forms import workshop_forms
from ..feedback.models import (CHAPTER_CRITERIA, ChapterFeedback, FormAnswer, FormQuestion,
                               FormResponse, WorkshopForm)
from ..workshops.models import Workshop
from ..workshops.services import language_names
from .stats import Breakdown, Summary, breakdown, is_shown, summarise


@dataclass(frozen=True)
class Comment:
    text: str
    respondent: str | None  # None on anonymous forms and in chapter feedback


@dataclass
class QuestionReport:
    question_id: int
    text: str
    kind: str
    answered: int
    overall: Summary | None = None  # scale questions, when shown
    breakdowns: list[Breakdown] = field(default_factory=list)
    choices: list[tuple[str, int]] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def is_hidden(self) -> bool:
        return not is_shown(self.answered)


@dataclass
class FormReport:
    form: WorkshopForm
    responses: int
    questions: list[QuestionReport]

    @property
    def is_hidden(self) -> bool:
        return not is_shown(self.responses)


def language_label(codes: str) -> str:
    """"en,fr" -> "English, French": people who work in the same languages form one slice."""
    names = language_names()
    return ", ".join(names.get(code, code) for code in codes.split(",") if code)


def slice_labels(workshop: Workshop) -> dict[str, dict]:
    return {"group": {g.id: g.name for g in workshop.groups},
            "facilitator": {f.id: f.user.display_name for f in workshop.facilitators}}


def dimensions(form: WorkshopForm) -> list[tuple[str, str]]:
    """(attribute of the response, heading) of the slices a form's report shows."""
    found = [("group_id", _("By group")), ("language", _("By language"))]
    if form.kind == "session":
        found.append(("facilitator_id", _("By facilitator")))
    return found


def slice_label(attribute: str, value, labels: dict[str, dict]) -> str:
    if attribute == "language":
        return language_label(value)
    if attribute == "group_id":
        return labels["group"].get(value, _("No group"))
    return labels["facilitator"].get(value, _("No facilitator"))


def responses_of(form: WorkshopForm) -> list[FormResponse]:
    return list(db.session.scalars(select(FormResponse).where(FormResponse.form_id == form.id)))


def respondent_names(responses: list[FormResponse]) -> dict[int, str]:
    ids = {r.user_id for r in responses if r.user_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def form_report(workshop: Workshop, form: WorkshopForm) -> FormReport:
    responses = responses_of(form)
    labels = slice_labels(workshop)
    names = {} if form.is_anonymous else respondent_names(responses)
    by_question: dict[int, list[tuple[FormResponse, FormAnswer]]] = {}
    for response in responses:
        for answer in response.answers:
            by_question.setdefault(answer.question_id, []).append((response, answer))
    shown = is_shown(len(responses))
    reports = [question_report(form, question, by_question.get(question.id, []), labels, names,
                               shown) for question in form.questions]
    return FormReport(form, len(responses), reports)


def question_report(form: WorkshopForm, question: FormQuestion, pairs, labels, names,
                    form_shown: bool) -> QuestionReport:
    report = QuestionReport(question.id, question.text, question.kind, len(pairs))
    if not form_shown or report.is_hidden:
        return report
    if question.kind == "scale":
        report.overall = summarise(answer.scale for _r, answer in pairs)
        for attribute, heading in dimensions(form):
            rows = ((getattr(r, attribute), slice_label(attribute, getattr(r, attribute), labels),
                     a.scale) for r, a in pairs)
            report.breakdowns.append(breakdown(heading, rows))
    elif question.kind == "choice":
        given = [answer.text for _r, answer in pairs]
        offered = question.choice_list + sorted(set(given) - set(question.choice_list))
        report.choices = [(choice, given.count(choice)) for choice in offered]
    else:
        report.comments = comments_of(pairs, names, form.is_anonymous)
    return report


def comments_of(pairs, names: dict[int, str], is_anonymous: bool) -> list[Comment]:
    if is_anonymous:
        # Sorted by their text, never by time: the order must not hint at who wrote what.
        return sorted((Comment(a.text, None) for _r, a in pairs), key=lambda c: c.text.lower())
    return sorted((Comment(a.text, names.get(r.user_id, "")) for r, a in pairs),
                  key=lambda c: (c.respondent.lower(), c.text.lower()))


# -- the workshop's overview: every form, and the same question session by session ------------
@dataclass
class SessionComparison:
    text: str
    breakdown: Breakdown


def session_comparisons(workshop: Workshop) -> list[SessionComparison]:
    """Each scale question that session forms share (by its text), rated session by session."""
    forms = [f for f in workshop_forms(workshop) if f.kind == "session"]
    rows: dict[str, list] = {}
    for form in forms:
        texts = {q.id: q.text for q in form.questions if q.kind == "scale"}
        for response in responses_of(form):
            for answer in response.answers:
                if answer.question_id in texts:
                    rows.setdefault(texts[answer.question_id], []).append(
                        (form.id, form.session.title, answer.scale))
    return [SessionComparison(text, breakdown(_("By session"), values))
            for text, values in rows.items() if len({key for key, _l, _v in values}) > 1]


# -- chapter feedback, for administrators --------------------------------------------------------
@dataclass
class ChapterSummary:
    chapter: Chapter
    responses: int
    criteria: dict[str, Summary | None]


def chapter_overview(chapters: list[Chapter]) -> list[ChapterSummary]:
    rows = list(db.session.scalars(select(ChapterFeedback)))
    by_chapter: dict[str, list[ChapterFeedback]] = {}
    for row in rows:
        by_chapter.setdefault(row.chapter_number, []).append(row)
    return [chapter_summary(chapter, by_chapter.get(chapter.number, [])) for chapter in chapters]


def chapter_summary(chapter: Chapter, rows: list[ChapterFeedback]) -> ChapterSummary:
    criteria = {}
    for criterion in CHAPTER_CRITERIA:
        ratings = [r.rating(criterion) for r in rows if r.rating(criterion) is not None]
        criteria[criterion] = summarise(ratings) if is_shown(len(ratings)) else None
    return ChapterSummary(chapter, len(rows), criteria)


@dataclass
class ChapterReport:
    summary: ChapterSummary
    breakdowns: dict[str, Breakdown]
    comments: list[Comment]

    @property
    def is_hidden(self) -> bool:
        return not is_shown(self.summary.responses)


def chapter_report(chapter: Chapter) -> ChapterReport:
    rows = list(db.session.scalars(select(ChapterFeedback).where(
        ChapterFeedback.chapter_number == chapter.number)))
    summary = chapter_summary(chapter, rows)
    if not is_shown(len(rows)):
        return ChapterReport(summary, {}, [])
    breakdowns = {criterion: breakdown(_("By language"), (
        (r.language, language_label(r.language), r.rating(criterion))
        for r in rows if r.rating(criterion) is not None)) for criterion in CHAPTER_CRITERIA}
    comments = sorted((Comment(r.comment, None) for r in rows if r.comment),
                      key=lambda c: c.text.lower())
    return ChapterReport(summary, breakdowns, comments)
