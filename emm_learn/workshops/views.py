"""Organising a workshop (rooms, groups, sessions, facilitators, groups and rotation), joining one,
and a participant's own view of it. Organisers see their own workshops, administrators all."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from ..accounts import views as accounts_views
from ..curriculum.library import current_curriculum
from ..extensions import db
from ..guards import login_required, trainer_required
from ..i18n import format_day
from ..validation import Invalid
from . import materials, services
from .models import Workshop

bp = Blueprint("workshops", __name__, template_folder="templates")
accounts_views.REGISTRATION_INVITATIONS.append(services.is_join_path)


def organised_workshop(workshop_id: int) -> Workshop:
    """The workshop if the current user may organise it; 404 for anyone else (no data leaks)."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or not services.can_organise(current_user, workshop):
        abort(404)
    return workshop


def form_data() -> dict:
    data = {key: value for key, value in request.form.items() if key != "csrf_token"}
    data["languages"] = request.form.getlist("languages")
    data["items"] = request.form.getlist("items")
    return data


def render_dashboard(workshop: Workshop, errors: dict | None = None, form: dict | None = None,
                     status: int = 200):
    return render_template("workshops/dashboard.html", workshop=workshop, errors=errors or {},
                           form=form or {}, grid=services.rotation_grid(workshop),
                           materials=materials.materials_for(workshop), can_manage=True,
                           languages=services.language_names(),
                           curriculum=current_curriculum()), status


@bp.route("/workshops")
@login_required
def index():
    return render_template("workshops/index.html", workshops=services.workshops_for(current_user))


@bp.route("/workshops/new", methods=["GET", "POST"])
@trainer_required
def create():
    form = {"languages": ["en"]}
    if request.method == "POST":
        form = form_data()
        try:
            workshop = services.create_workshop(current_user, form)
        except Invalid as invalid:
            return render_template("workshops/new.html", form=form, errors=invalid.errors,
                                   languages=services.language_names()), 400
        db.session.commit()
        flash(_("Workshop created. Add its rooms, groups and sessions."), "success")
        return redirect(url_for("workshops.dashboard", workshop_id=workshop.id))
    return render_template("workshops/new.html", form=form, errors={},
                           languages=services.language_names())


@bp.route("/workshops/<int:workshop_id>")
@trainer_required
def dashboard(workshop_id: int):
    return render_dashboard(organised_workshop(workshop_id))


def organiser_change(workshop_id: int, change, success: str, anchor: str):
    """Apply one organiser form; on a mistake, show the page again with the typed values."""
    workshop = organised_workshop(workshop_id)
    form = form_data()
    try:
        change(workshop, form)
    except Invalid as invalid:
        db.session.rollback()
        return render_dashboard(organised_workshop(workshop_id), invalid.errors, form, 400)
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("workshops.dashboard", workshop_id=workshop_id, _anchor=anchor))


@bp.route("/workshops/<int:workshop_id>/rooms", methods=["POST"])
@trainer_required
def add_room(workshop_id: int):
    return organiser_change(workshop_id, services.add_room, _("Room added."), "rooms")


@bp.route("/workshops/<int:workshop_id>/groups", methods=["POST"])
@trainer_required
def add_group(workshop_id: int):
    return organiser_change(workshop_id, services.add_group, _("Group added."), "groups")


@bp.route("/workshops/<int:workshop_id>/sessions", methods=["POST"])
@trainer_required
def add_session(workshop_id: int):
    return organiser_change(
        workshop_id, lambda w, f: services.add_session(w, f, current_curriculum()),
        _("Session added."), "sessions")


@bp.route("/workshops/<int:workshop_id>/facilitators", methods=["POST"])
@trainer_required
def add_facilitator(workshop_id: int):
    return organiser_change(workshop_id, services.add_facilitator, _("Facilitator added."),
                            "facilitators")


@bp.route("/workshops/<int:workshop_id>/assign", methods=["POST"])
@trainer_required
def assign(workshop_id: int):
    workshop = organised_workshop(workshop_id)
    unplaced = services.assign_groups(workshop)
    db.session.commit()
    if unplaced:
        flash(ngettext("Groups assigned. %(num)d participant could not be placed: no room works "
                       "in their languages or the rooms are full.",
                       "Groups assigned. %(num)d participants could not be placed: no room works "
                       "in their languages or the rooms are full.", len(unplaced)), "info")
    else:
        flash(_("Every participant has a group. Participants you locked stayed where they were."),
              "success")
    return redirect(url_for("workshops.dashboard", workshop_id=workshop_id, _anchor="participants"))


@bp.route("/workshops/<int:workshop_id>/members/move", methods=["POST"])
@trainer_required
def move(workshop_id: int):
    return organiser_change(
        workshop_id, lambda w, f: services.move_member(w, f.get("member_id", ""),
                                                       f.get("group_id", ""), f.get("lock") == "yes"),
        _("Participant moved."), "participants")


@bp.route("/workshops/<int:workshop_id>/rotation/propose", methods=["POST"])
@trainer_required
def propose_rotation(workshop_id: int):
    return organiser_change(workshop_id, lambda w, f: services.propose_rotation(w),
                            _("A rotation has been proposed. Change any cell below if needed."),
                            "rotation")


@bp.route("/workshops/<int:workshop_id>/rotation/cell", methods=["POST"])
@trainer_required
def set_cell(workshop_id: int):
    return organiser_change(
        workshop_id, lambda w, f: services.set_rotation_cell(w, f.get("session_id", ""),
                                                             f.get("group_id", ""),
                                                             f.get("facilitator_id", "")),
        _("Rotation changed."), "rotation")


@bp.route("/join")
@login_required
def join_by_code():
    """The code typed into the form on the workshops page."""
    workshop = services.workshop_by_code(request.args.get("code", ""))
    if workshop is None:
        flash(_("No workshop has this code. Check it with your trainer."), "info")
        return redirect(url_for("workshops.index"))
    return redirect(url_for("workshops.join", code=workshop.join_code))


@bp.route("/join/<code>", methods=["GET", "POST"])
@login_required
def join(code: str):
    workshop = services.workshop_by_code(code) or abort(404)
    member = services.membership(workshop, current_user)
    form = {"languages": member.languages.split(",") if member else [],
            "organisation": member.organisation if member else "",
            "country": member.country if member else ""}
    if request.method == "POST":
        form = form_data()
        try:
            services.join_workshop(workshop, current_user, form)
        except Invalid as invalid:
            return render_template("workshops/join.html", workshop=workshop, form=form,
                                   errors=invalid.errors, languages=services.language_names()), 400
        db.session.commit()
        flash(_("You are a participant of “%(title)s”.", title=workshop.title), "success")
        return redirect(url_for("workshops.mine", workshop_id=workshop.id))
    return render_template("workshops/join.html", workshop=workshop, form=form, errors={},
                           languages=services.language_names())


@bp.route("/workshops/<int:workshop_id>/mine")
@login_required
def mine(workshop_id: int):
    """A participant's workshop: group and room, sessions by day, who comes next, materials."""
    workshop = db.session.get(Workshop, workshop_id) or abort(404)
    member = services.membership(workshop, current_user) or abort(404)
    now = datetime.now(ZoneInfo(workshop.timezone)).replace(tzinfo=None)
    coming = [s for s in workshop.sessions if s.ends_at >= now]
    return render_template("workshops/mine.html", workshop=workshop, member=member, now=now,
                           days=services.sessions_by_day(workshop), next_session=coming[0] if coming else None,
                           cells=services.rotation_cells(workshop),
                           facilitators={f.id: f for f in workshop.facilitators},
                           materials=materials.materials_for(workshop), can_manage=False,
                           curriculum=current_curriculum(), languages=services.language_names())


@bp.app_template_filter("workshop_day")
def workshop_day(value) -> str:
    """A day in the reader's language; workshop times are wall-clock times at the venue."""
    return format_day(value)


# The other pages of the workshop share this blueprint.
from . import facilitation_views  # noqa: E402,F401
from . import print_views  # noqa: E402,F401
from . import import_views  # noqa: E402,F401
