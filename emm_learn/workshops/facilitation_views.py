"""Running the workshop: facilitators' schedules and run sheets, report-backs, the organiser's live
board and the plenary. Anyone who is not entitled to a page gets 404, so nothing leaks."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..curriculum.library import current_curriculum
from ..extensions import db
from ..guards import login_required
from ..i18n import page_language
from ..spreadsheets import csv_download
from ..worksheets.services import written_language
from ..security import accepts_uploads
from ..validation import Invalid
from . import facilitation, materials, services
from .models import BreakoutGroup, Material, Workshop, WorkshopSession
from .views import bp, organised_workshop, render_dashboard


def workshop_now(workshop: Workshop) -> datetime:
    """The wall-clock time at the venue, comparable with the stored session times."""
    return datetime.now(ZoneInfo(workshop.timezone)).replace(tzinfo=None)


def epoch_ms(workshop: Workshop, wall_clock: datetime) -> int:
    """A venue wall-clock time as an instant, for the countdown script in any browser's zone."""
    return int(wall_clock.replace(tzinfo=ZoneInfo(workshop.timezone)).timestamp() * 1000)


def session_of(workshop_id: int, session_id: int) -> tuple[Workshop, WorkshopSession]:
    workshop = db.session.get(Workshop, workshop_id) or abort(404)
    session = db.session.get(WorkshopSession, session_id)
    if session is None or session.workshop_id != workshop.id:
        abort(404)
    return workshop, session


def run_sheet_parts(workshop_id: int, session_id: int, group_id: int):
    """The workshop, session and group, and the viewer's role on this run sheet (404 if none)."""
    workshop, session = session_of(workshop_id, session_id)
    group = db.session.get(BreakoutGroup, group_id)
    if group is None or group.workshop_id != workshop.id or session.kind != "breakout":
        abort(404)
    role = facilitation.run_sheet_role(workshop, session, group, current_user)
    if role is None:
        abort(404)
    return workshop, session, group, role


def answers_context(workshop, session, group) -> dict:
    members = facilitation.group_members(workshop, group)
    exercises = facilitation.session_exercises(session, current_curriculum(), page_language())
    return {"members": members, "exercises": exercises,
            "answers": [(chapter, exercise, facilitation.answers_to(members, chapter, exercise))
                        for chapter, exercise in exercises],
            "answered": facilitation.answered_count(members, exercises),
            "refreshed_at": workshop_now(workshop)}


def render_run_sheet(workshop, session, group, role, form_text=None, errors=None, conflict=None,
                     status=200, form_language=None):
    # In the viewer's language: a French facilitator runs the session from the French chapter.
    versions = facilitation.session_chapter_versions(session, current_curriculum(),
                                                     page_language())
    chapters = [version.chapter for version in versions]
    notes = chapters[0].facilitator_notes if chapters else None
    plan = facilitation.timed_plan(session, notes.plan) if notes else []
    back = facilitation.report_back(session, group)
    return render_template(
        "workshops/run_sheet.html", workshop=workshop, session=session, group=group, role=role,
        versions=versions, chapters=chapters, notes=notes, plan=plan,
        epoch_ms=lambda t: epoch_ms(workshop, t),
        facilitator=facilitation.cell_facilitator(session, group), report_back=back,
        form_text=back.text if back and form_text is None else form_text or "",
        form_language=form_language or (back.language if back else None) or page_language(),
        errors=errors or {}, conflict=conflict, languages=services.language_names(),
        **answers_context(workshop, session, group)), status


@bp.route("/workshops/<int:workshop_id>/facilitate")
@login_required
def facilitate(workshop_id: int):
    """A facilitator's own schedule: which room to go to, when, and the run sheets."""
    workshop = db.session.get(Workshop, workshop_id) or abort(404)
    facilitator = facilitation.facilitator_record(workshop, current_user) or abort(404)
    return render_template("workshops/facilitate.html", workshop=workshop,
                           schedules=[(facilitator, facilitation.schedule_of(workshop, facilitator))],
                           curriculum=current_curriculum(), languages=services.language_names(),
                           now=workshop_now(workshop))


@bp.route("/workshops/<int:workshop_id>/sessions/<int:session_id>/groups/<int:group_id>")
@login_required
def run_sheet(workshop_id: int, session_id: int, group_id: int):
    return render_run_sheet(*run_sheet_parts(workshop_id, session_id, group_id))


@bp.route("/workshops/<int:workshop_id>/sessions/<int:session_id>/groups/<int:group_id>/answers")
@login_required
def group_answers(workshop_id: int, session_id: int, group_id: int):
    """The answers part of the run sheet alone, fetched again and again by the page's script."""
    workshop, session, group, role = run_sheet_parts(workshop_id, session_id, group_id)
    if role != "facilitator":
        abort(404)
    return render_template("workshops/_group_answers.html", workshop=workshop,
                           **answers_context(workshop, session, group))


@bp.route("/workshops/<int:workshop_id>/sessions/<int:session_id>/groups/<int:group_id>/answers.csv")
@login_required
def group_answers_csv(workshop_id: int, session_id: int, group_id: int):
    """The group's answers for the facilitator to keep, each with the language it is written in."""
    workshop, session, group, role = run_sheet_parts(workshop_id, session_id, group_id)
    if role != "facilitator":
        abort(404)
    answers = answers_context(workshop, session, group)["answers"]
    header = [_("Participant"), _("Chapter"), _("Exercise"), _("Prompt"), _("Prompt text"),
              _("Answer language"), _("Answer"), _("Saved (UTC)")]
    return csv_download(f"emm-answers-session-{session.id}-group-{group.id}.csv", header,
                        facilitation.group_answer_rows(answers))


@bp.route("/workshops/<int:workshop_id>/sessions/<int:session_id>/groups/<int:group_id>/report-back",
          methods=["POST"])
@login_required
def save_report_back(workshop_id: int, session_id: int, group_id: int):
    workshop, session, group, role = run_sheet_parts(workshop_id, session_id, group_id)
    if role != "facilitator":
        abort(404)
    text = request.form.get("text", "")
    base = request.form.get("version", "0")
    language = written_language(request.form.get("language"))
    try:
        facilitation.save_report_back(session, group, current_user, text,
                                      int(base) if base.isdigit() else 0,
                                      ready=request.form.get("ready") == "yes", language=language)
    except Invalid as invalid:
        db.session.rollback()
        return render_run_sheet(workshop, session, group, role, text, invalid.errors, status=400,
                                form_language=language)
    except facilitation.ReportBackConflict as conflict:
        db.session.rollback()
        errors = {"report_back": _("Someone else saved this report-back meanwhile. Their version "
                                   "is shown below yours: merge them, then save again.")}
        return render_run_sheet(workshop, session, group, role, text, errors,
                                conflict=facilitation.report_back(session, group), status=409,
                                form_language=language)
    db.session.commit()
    flash(_("Report-back marked ready for plenary.") if request.form.get("ready") == "yes"
          else _("Report-back saved as a draft."), "success")
    return redirect(url_for("workshops.run_sheet", workshop_id=workshop_id, session_id=session_id,
                            group_id=group_id, _anchor="report-back"))


@bp.route("/workshops/<int:workshop_id>/board")
@login_required
def board_now(workshop_id: int):
    """The live board of the break-out under way (or the next one)."""
    workshop = organised_workshop(workshop_id)
    session = facilitation.current_or_next_session(workshop, workshop_now(workshop))
    if session is None:
        flash(_("Add a break-out session first."), "info")
        return redirect(url_for("workshops.dashboard", workshop_id=workshop_id, _anchor="sessions"))
    return redirect(url_for("workshops.board", workshop_id=workshop_id, session_id=session.id))


def board_context(workshop_id: int, session_id: int) -> dict:
    workshop = organised_workshop(workshop_id)
    _workshop, session = session_of(workshop_id, session_id)
    return {"workshop": workshop, "session": session,
            "rooms": facilitation.live_board(workshop, session, current_curriculum(),
                                             page_language()),
            "refreshed_at": workshop_now(workshop), "languages": services.language_names()}


@bp.route("/workshops/<int:workshop_id>/sessions/<int:session_id>/board")
@login_required
def board(workshop_id: int, session_id: int):
    return render_template("workshops/board.html", curriculum=current_curriculum(),
                           **board_context(workshop_id, session_id))


@bp.route("/workshops/<int:workshop_id>/sessions/<int:session_id>/board/rooms")
@login_required
def board_rooms(workshop_id: int, session_id: int):
    return render_template("workshops/_board_rooms.html", **board_context(workshop_id, session_id))


@bp.route("/workshops/<int:workshop_id>/sessions/<int:session_id>/plenary")
@login_required
def plenary(workshop_id: int, session_id: int):
    """Every group's report-back side by side, large enough to project."""
    workshop, session = session_of(workshop_id, session_id)
    if not facilitation.is_workshop_person(workshop, current_user):
        abort(404)
    backs = {g.id: facilitation.report_back(session, g) for g in workshop.groups}
    return render_template("workshops/plenary.html", workshop=workshop, session=session,
                           backs=backs, curriculum=current_curriculum())


# -- materials -----------------------------------------------------------------------------------
@bp.route("/workshops/<int:workshop_id>/materials", methods=["POST"])
@accepts_uploads(materials.UPLOAD_REQUEST_BYTES)
@login_required
def upload_material(workshop_id: int):
    workshop = organised_workshop(workshop_id)
    form = {key: value for key, value in request.form.items() if key != "csrf_token"}
    try:
        materials.add_material(workshop, current_user, form, request.files.get("file"))
    except Invalid as invalid:
        db.session.rollback()
        return render_dashboard(organised_workshop(workshop_id), invalid.errors, form, 400)
    db.session.commit()
    flash(_("File added. Participants, facilitators and you can download it."), "success")
    return redirect(url_for("workshops.dashboard", workshop_id=workshop_id, _anchor="materials"))


def material_of(workshop_id: int, material_id: int) -> tuple[Workshop, Material]:
    workshop = db.session.get(Workshop, workshop_id) or abort(404)
    material = db.session.get(Material, material_id)
    if material is None or material.workshop_id != workshop.id:
        abort(404)
    return workshop, material


@bp.route("/workshops/<int:workshop_id>/materials/<int:material_id>/delete", methods=["POST"])
@login_required
def delete_material(workshop_id: int, material_id: int):
    organised_workshop(workshop_id)
    _workshop, material = material_of(workshop_id, material_id)
    path = materials.remove_material(material)
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(_("File removed."), "success")
    return redirect(url_for("workshops.dashboard", workshop_id=workshop_id, _anchor="materials"))


@bp.route("/workshops/<int:workshop_id>/materials/<int:material_id>")
@login_required
def download_material(workshop_id: int, material_id: int):
    """Only the workshop's own people; always as a download, never shown inline by the browser."""
    workshop, material = material_of(workshop_id, material_id)
    if not facilitation.is_workshop_person(workshop, current_user):
        abort(404)
    path = materials.material_path(material)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=material.content_type, as_attachment=True,
                         download_name=material.filename, max_age=0, conditional=True)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
