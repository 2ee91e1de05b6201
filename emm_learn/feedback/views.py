"""Chapter feedback for signed-in readers; workshop forms for organisers (edit, open, close) and
for participants (answer). Organisers see their own workshops' forms, administrators all."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..curriculum.library import current_curriculum
from ..extensions import db
from ..guards import login_required, trainer_required
from ..validation import Invalid
from ..workshops import services as workshops
from ..workshops.models import Workshop
from ..workshops.views import organised_workshop
from . import forms as form_rules
from . import services
from .models import WorkshopForm

bp = Blueprint("feedback", __name__, template_folder="templates")


# -- chapter feedback ----------------------------------------------------------------------------
@bp.app_template_global()
def chapter_feedback_of(chapter_number: str) -> dict | None:
    """For the chapter page's include: the signed-in reader's saved feedback as form values."""
    if not current_user.is_authenticated:
        return None
    feedback = services.feedback_of(current_user, chapter_number)
    return {"values": services.form_values(feedback), "saved": feedback}


@bp.app_template_global()
def feedback_labels() -> dict:
    return services.criterion_labels()


@bp.app_template_global()
def feedback_groups() -> list:
    return services.criterion_groups()


def render_chapter_feedback(chapter, values: dict, errors: dict, status: int = 200):
    return render_template("feedback/chapter_feedback.html", chapter=chapter, values=values,
                           errors=errors, saved=services.feedback_of(current_user, chapter.number),
                           labels=services.criterion_labels(),
                           groups=services.criterion_groups()), status


@bp.route("/chapters/<number>/feedback", methods=["GET", "POST"])
@login_required
def chapter_feedback(number: str):
    chapter = current_curriculum().chapter(number) or abort(404)
    if request.method == "GET":
        return render_chapter_feedback(
            chapter, services.form_values(services.feedback_of(current_user, number)), {})
    values = {key: value for key, value in request.form.items() if key != "csrf_token"}
    try:
        services.save_feedback(current_user, number, values)
        db.session.commit()
    except Invalid as invalid:
        return render_chapter_feedback(chapter, values, invalid.errors, 400)
    except IntegrityError:  # the same reader's other tab saved first: one response each
        db.session.rollback()
        return render_chapter_feedback(chapter, values, {"relevance": _(
            "Your feedback was saved from another page meanwhile. Send it again to replace it.")}, 409)
    flash(_("Thank you: your feedback on this chapter is saved. You can change it at any time."),
          "success")
    return redirect(url_for("curriculum.chapter", number=number, _anchor="chapter-feedback"))


# -- the organiser's forms -----------------------------------------------------------------------
@bp.app_template_global()
def feedback_forms_of(workshop: Workshop) -> list:
    return form_rules.workshop_forms(workshop)


def organised_form(workshop_id: int, form_id: int) -> tuple[Workshop, WorkshopForm]:
    workshop = organised_workshop(workshop_id)
    form = form_rules.form_of(workshop, form_id) or abort(404)
    return workshop, form


def render_forms(workshop: Workshop, errors: dict | None = None, status: int = 200):
    forms = form_rules.workshop_forms(workshop)
    counts = {form.id: form_rules.response_count(form) for form in forms}
    with_form = {form.session_id for form in forms}
    return render_template("feedback/forms.html", workshop=workshop, forms=forms, counts=counts,
                           free_sessions=[s for s in workshop.sessions if s.id not in with_form],
                           has_final=any(f.kind == "final" for f in forms),
                           errors=errors or {}), status


@bp.route("/workshops/<int:workshop_id>/forms")
@trainer_required
def forms(workshop_id: int):
    return render_forms(organised_workshop(workshop_id))


@bp.route("/workshops/<int:workshop_id>/forms", methods=["POST"])
@trainer_required
def create_form(workshop_id: int):
    workshop = organised_workshop(workshop_id)
    try:
        form = form_rules.create_form(workshop, request.form)
    except Invalid as invalid:
        return render_forms(workshop, invalid.errors, 400)
    db.session.commit()
    flash(_("Form created with a default set of questions. Edit them, then open the form."),
          "success")
    return redirect(url_for("feedback.edit_form", workshop_id=workshop_id, form_id=form.id))


def render_edit(workshop: Workshop, form: WorkshopForm, errors: dict | None = None,
                typed: dict | None = None, status: int = 200):
    return render_template("feedback/edit_form.html", workshop=workshop, form=form,
                           responses=form_rules.response_count(form), errors=errors or {},
                           typed=typed or {}), status


@bp.route("/workshops/<int:workshop_id>/forms/<int:form_id>")
@trainer_required
def edit_form(workshop_id: int, form_id: int):
    return render_edit(*organised_form(workshop_id, form_id))


def form_change(workshop_id: int, form_id: int, change, success: str, anchor: str = ""):
    """Apply one organiser edit; on a mistake, show the page again with what was typed."""
    workshop, form = organised_form(workshop_id, form_id)
    typed = {key: value for key, value in request.form.items() if key != "csrf_token"}
    try:
        change(form, typed)
    except Invalid as invalid:
        db.session.rollback()
        workshop, form = organised_form(workshop_id, form_id)
        return render_edit(workshop, form, invalid.errors, typed, 400)
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("feedback.edit_form", workshop_id=workshop_id, form_id=form_id,
                            _anchor=anchor))


@bp.route("/workshops/<int:workshop_id>/forms/<int:form_id>/settings", methods=["POST"])
@trainer_required
def form_settings(workshop_id: int, form_id: int):
    return form_change(workshop_id, form_id, form_rules.update_settings, _("Form settings saved."))


@bp.route("/workshops/<int:workshop_id>/forms/<int:form_id>/state", methods=["POST"])
@trainer_required
def form_state(workshop_id: int, form_id: int):
    opening = request.form.get("open") == "yes"
    return form_change(workshop_id, form_id, lambda f, _d: form_rules.set_open(f, opening),
                       _("The form is open: participants find it on their workshop page.")
                       if opening else _("The form is closed."))


@bp.route("/workshops/<int:workshop_id>/forms/<int:form_id>/questions", methods=["POST"])
@trainer_required
def add_question(workshop_id: int, form_id: int):
    return form_change(workshop_id, form_id, form_rules.add_question, _("Question added."),
                       "questions")


@bp.route("/workshops/<int:workshop_id>/forms/<int:form_id>/questions/<int:question_id>",
          methods=["POST"])
@trainer_required
def change_question(workshop_id: int, form_id: int, question_id: int):
    return form_change(workshop_id, form_id,
                       lambda f, d: form_rules.change_question(f, str(question_id), d),
                       _("Questions changed."), "questions")


# -- participants --------------------------------------------------------------------------------
@bp.app_template_global()
def open_feedback_forms(workshop: Workshop) -> list:
    """For "My workshop": the open forms, each with whether the current participant answered."""
    return form_rules.open_forms_for(workshop, current_user)


def render_answer(workshop, form, values: dict, errors: dict, status: int = 200):
    return render_template("feedback/answer_form.html", workshop=workshop, form=form,
                           values=values, errors=errors,
                           answered=form_rules.has_answered(form, current_user)), status


@bp.route("/workshops/<int:workshop_id>/forms/<int:form_id>/answer", methods=["GET", "POST"])
@login_required
def answer_form(workshop_id: int, form_id: int):
    workshop = db.session.get(Workshop, workshop_id) or abort(404)
    member = workshops.membership(workshop, current_user) or abort(404)
    form = form_rules.form_of(workshop, form_id) or abort(404)
    if request.method == "GET":
        values = form_rules.response_values(form_rules.own_response(form, current_user))
        return render_answer(workshop, form, values, {})
    values = {key: value for key, value in request.form.items() if key != "csrf_token"}
    try:
        form_rules.submit_response(form, member, current_user, values)
        db.session.commit()
    except Invalid as invalid:
        return render_answer(workshop, form, values, invalid.errors, 400)
    except IntegrityError:  # a second send raced the first: the receipt allows one response
        db.session.rollback()
        return render_answer(workshop, form, values, {"form": _(
            "Your answers were received from another page meanwhile.")}, 409)
    flash(_("Thank you: your answers are saved."), "success")
    return redirect(url_for("workshops.mine", workshop_id=workshop_id))
