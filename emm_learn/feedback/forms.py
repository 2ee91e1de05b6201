"""Workshop form rules: forms with default questions, the organiser's edits, opening and closing,
and participants' responses (anonymous ones kept apart from who sent them)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import User, utcnow
from ..extensions import db
from ..validation import Invalid, require_length
from ..workshops.models import Member, RotationCell, Workshop, WorkshopSession
from .models import (FORM_KINDS, QUESTION_KINDS, FormAnswer, FormQuestion, FormReceipt,
                     FormResponse, WorkshopForm)

MAX_QUESTIONS = 20
MAX_CHOICES = 10
MAX_ANSWER = 2000


# -- default questions ---------------------------------------------------------------------------
def default_questions(kind: str, session: WorkshopSession | None) -> list[tuple[str, str, str]]:
    """(kind, text, choices) of a new form, in the organiser's language."""
    if kind == "session":
        chapters = ", ".join(session.chapter_numbers) if session else ""
        chapter_question = (_("How useful was the chapter (%(chapters)s) for your work?",
                              chapters=chapters) if chapters
                            else _("How useful was the session's content for your work?"))
        return [("scale", chapter_question, ""),
                ("scale", _("How well did the exercise help you apply the chapter?"), ""),
                ("scale", _("How well was the session facilitated?"), ""),
                ("text", _("What would you change about this session?"), "")]
    return [("scale", _("Overall, how satisfied are you with the workshop?"), ""),
            ("scale", _("How useful will the workshop be for your work?"), ""),
            ("scale", _("How well was the workshop organised?"), ""),
            ("choice", _("Would you recommend this workshop to a colleague?"),
             "\n".join([_("Yes"), _("Maybe"), _("No")])),
            ("text", _("What should we improve?"), "")]


def default_title(kind: str, session: WorkshopSession | None) -> str:
    if kind == "session":
        return _("After the session “%(title)s”", title=session.title)[:200]
    return _("End-of-workshop evaluation")


# -- the organiser's side ------------------------------------------------------------------------
def workshop_forms(workshop: Workshop) -> list[WorkshopForm]:
    """Session forms in the order of their sessions, then the end-of-workshop evaluation."""
    forms = db.session.scalars(select(WorkshopForm).where(WorkshopForm.workshop_id == workshop.id))
    order = {session.id: index for index, session in enumerate(workshop.sessions)}
    return sorted(forms, key=lambda f: (f.kind == "final", order.get(f.session_id, 0), f.id))


def form_of(workshop: Workshop, form_id: int) -> WorkshopForm | None:
    form = db.session.get(WorkshopForm, form_id)
    return form if form is not None and form.workshop_id == workshop.id else None


def create_form(workshop: Workshop, data: dict) -> WorkshopForm:
    kind = data.get("kind", "")
    session = None
    existing = workshop_forms(workshop)
    if kind not in FORM_KINDS:
        raise Invalid({"form_kind": _("Choose a session form or the end-of-workshop evaluation.")})
    if kind == "session":
        session = next((s for s in workshop.sessions if str(s.id) == data.get("session_id")), None)
        if session is None:
            raise Invalid({"form_session": _("Choose one of the workshop's sessions.")})
        if any(f.session_id == session.id for f in existing):
            raise Invalid({"form_session": _("This session already has a form.")})
    elif any(f.kind == "final" for f in existing):
        raise Invalid({"form_kind": _("The workshop already has an end-of-workshop evaluation.")})
    form = WorkshopForm(workshop_id=workshop.id, kind=kind, session_id=session.id if session else None,
                        title=default_title(kind, session), is_anonymous=True, is_open=False)
    form.questions = [FormQuestion(position=index, kind=q_kind, text=text[:300], choices=choices)
                      for index, (q_kind, text, choices) in enumerate(default_questions(kind, session))]
    db.session.add(form)
    db.session.flush()
    return form


def response_count(form: WorkshopForm) -> int:
    return db.session.scalar(select(func.count()).select_from(FormResponse)
                             .where(FormResponse.form_id == form.id))


def update_settings(form: WorkshopForm, data: dict) -> None:
    errors: dict[str, str] = {}
    title = data.get("title", "").strip()
    require_length(errors, "form_title", title, 200, _("Give the form a title (at most 200 characters)."))
    is_anonymous = data.get("is_anonymous") == "yes"
    if is_anonymous != form.is_anonymous and response_count(form):
        # Promised anonymity cannot be withdrawn, nor names attached after the fact.
        errors["is_anonymous"] = _("The form already has responses: whether it is anonymous can "
                                   "no longer change.")
    if errors:
        raise Invalid(errors)
    form.title, form.is_anonymous = title, is_anonymous


def set_open(form: WorkshopForm, is_open: bool) -> None:
    if is_open and not form.questions:
        raise Invalid({"form_state": _("Add at least one question before opening the form.")})
    form.is_open = is_open


def require_no_responses(form: WorkshopForm) -> None:
    if response_count(form):
        raise Invalid({"question": _("The form already has responses: its questions can no longer "
                                     "change, so that every answer means the same.")})


def clean_question(data: dict) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    kind, text = data.get("kind", ""), data.get("text", "").strip()
    if kind not in QUESTION_KINDS:
        errors["question_kind"] = _("Choose a scale, choice or text question.")
    require_length(errors, "question_text", text, 300, _("Write the question (at most 300 characters)."))
    choices = [line.strip() for line in data.get("choices", "").splitlines() if line.strip()]
    if kind == "choice" and not 2 <= len(choices) <= MAX_CHOICES:
        errors["question_choices"] = _("A choice question needs 2 to %(n)d choices, one per line.",
                                       n=MAX_CHOICES)
    if any(len(choice) > 200 for choice in choices):
        errors["question_choices"] = _("Keep each choice to 200 characters.")
    if errors:
        raise Invalid(errors)
    return kind, text, "\n".join(dict.fromkeys(choices)) if kind == "choice" else ""


def add_question(form: WorkshopForm, data: dict) -> FormQuestion:
    require_no_responses(form)
    kind, text, choices = clean_question(data)
    if len(form.questions) >= MAX_QUESTIONS:
        raise Invalid({"question_text": _("A form has at most %(n)d questions.", n=MAX_QUESTIONS)})
    position = max((q.position for q in form.questions), default=-1) + 1
    question = FormQuestion(position=position, kind=kind, text=text, choices=choices)
    form.questions.append(question)
    db.session.flush()
    return question


def question_of(form: WorkshopForm, question_id: str) -> FormQuestion:
    question = next((q for q in form.questions if str(q.id) == question_id), None)
    if question is None:
        raise Invalid({"question": _("This question is not on the form any more.")})
    return question


def change_question(form: WorkshopForm, question_id: str, data: dict) -> None:
    """Edit, move up or down, or remove one question, as data["action"] says."""
    require_no_responses(form)
    question = question_of(form, question_id)
    action = data.get("action", "save")
    if action == "remove":
        form.questions.remove(question)
    elif action in ("up", "down"):
        move_question(form, question, -1 if action == "up" else 1)
    else:
        question.kind, question.text, question.choices = clean_question(data)
    db.session.flush()


def move_question(form: WorkshopForm, question: FormQuestion, step: int) -> None:
    ordered = list(form.questions)
    index = ordered.index(question)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered):
        each.position = position


# -- the participant's side ----------------------------------------------------------------------
@dataclass(frozen=True)
class MemberForm:
    form: WorkshopForm
    has_answered: bool


def has_answered(form: WorkshopForm, user: User) -> bool:
    return db.session.scalar(select(FormReceipt.id).where(
        FormReceipt.form_id == form.id, FormReceipt.user_id == user.id)) is not None


def open_forms_for(workshop: Workshop, user: User) -> list[MemberForm]:
    """The workshop's open forms, each with whether this participant has answered it."""
    answered = set(db.session.scalars(select(FormReceipt.form_id).where(FormReceipt.user_id == user.id)))
    return [MemberForm(form, form.id in answered)
            for form in workshop_forms(workshop) if form.is_open]


def own_response(form: WorkshopForm, user: User) -> FormResponse | None:
    """The participant's response, for changing it; anonymous responses cannot be found again."""
    if form.is_anonymous:
        return None
    return db.session.scalar(select(FormResponse).where(FormResponse.form_id == form.id,
                                                        FormResponse.user_id == user.id))


def response_values(response: FormResponse | None) -> dict[str, str]:
    if response is None:
        return {}
    return {f"q-{a.question_id}": str(a.scale) if a.scale is not None else (a.text or "")
            for a in response.answers}


def clean_answers(form: WorkshopForm, data: dict) -> list[FormAnswer]:
    errors: dict[str, str] = {}
    answers = []
    for question in form.questions:
        name = f"q-{question.id}"
        value = data.get(name, "").replace("\r\n", "\n").strip()
        if not value:
            continue
        if question.kind == "scale" and value not in ("1", "2", "3", "4", "5"):
            errors[name] = _("Choose a rating from 1 to 5.")
        elif question.kind == "choice" and value not in question.choice_list:
            errors[name] = _("Choose one of the answers offered.")
        elif len(value) > MAX_ANSWER:
            errors[name] = _("Keep the answer to %(n)d characters (it has %(has)d).",
                             n=MAX_ANSWER, has=len(value))
        elif question.kind == "scale":
            answers.append(FormAnswer(question_id=question.id, scale=int(value)))
        else:
            answers.append(FormAnswer(question_id=question.id, text=value))
    if not errors and not answers:
        errors[f"q-{form.questions[0].id}" if form.questions else "form"] = _(
            "Answer at least one question.")
    if errors:
        raise Invalid(errors)
    return answers


def facilitator_for(session_id: int | None, group_id: int | None) -> int | None:
    """The facilitator of this group in this session, from the rotation."""
    if session_id is None or group_id is None:
        return None
    return db.session.scalar(select(RotationCell.facilitator_id).where(
        RotationCell.session_id == session_id, RotationCell.group_id == group_id))


def submit_response(form: WorkshopForm, member: Member, user: User, data: dict) -> FormResponse:
    """Record (or, on a named form, replace) this participant's answers."""
    if not form.is_open:
        raise Invalid({"form": _("This form is closed: answers are no longer accepted.")})
    answered = has_answered(form, user)
    if answered and form.is_anonymous:
        raise Invalid({"form": _("You have already answered this anonymous form. Anonymous "
                                 "answers are not linked to you, so they cannot be changed.")})
    answers = clean_answers(form, data)
    snapshot = {"group_id": member.group_id, "language": member.languages,
                "facilitator_id": facilitator_for(form.session_id, member.group_id),
                "updated_at": None if form.is_anonymous else utcnow()}
    response = own_response(form, user) if answered else None
    if response is None:
        response = FormResponse(form_id=form.id, user_id=None if form.is_anonymous else user.id)
        db.session.add(response)
    elif response.answers:
        response.answers.clear()
        db.session.flush()  # old answers go before new ones take their (question) places
    for key, value in snapshot.items():
        setattr(response, key, value)
    response.answers = answers
    if not answered:
        db.session.add(FormReceipt(form_id=form.id, user_id=user.id))
    db.session.flush()
    return response
