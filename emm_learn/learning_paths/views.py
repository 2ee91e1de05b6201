"""Learning paths: listing, composing, editing, copying and following them; a workshop's
pre-reading. Any signed-in user with a path's link may open and follow it; only its owner (and
administrators) may change it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..curriculum.library import current_curriculum
from ..curriculum.manifest import VOLUMES
from ..extensions import db
from ..guards import login_required, trainer_required
from ..i18n import page_language
from ..validation import Invalid
from ..workshops.models import Workshop
from ..workshops.services import can_organise
from . import prereading, services
from .progress import progress_for
from .readymade import MAX_NOTE

bp = Blueprint("paths", __name__, template_folder="templates")


def path_or_404(slug: str):
    """The path in the reader's language (a ready-made path's translation, else its English)."""
    return services.find_path(slug, page_language()) or abort(404)


def editable_path(slug: str):
    """The path if the current user may change it: 404 when there is none, 403 otherwise."""
    path = path_or_404(slug)
    if not services.can_edit(current_user, path):
        abort(403)
    return path


def path_url(path, **values) -> str:
    return url_for("paths.show", slug=path.slug, **values)


def step_url(resolved) -> str:
    return url_for("curriculum.chapter", number=resolved.step.chapter_number,
                   _anchor=resolved.step.anchor or None)


@bp.record_once
def add_template_helpers(state) -> None:
    """Functions for the blocks other pages include (home page, workshop pages); globals, so
    that imported macros see them too."""
    state.app.jinja_env.globals.update(
        path_url=path_url, path_step_url=step_url, path_lang_attr=path_lang_attr,
        my_paths_summary=my_paths_summary,
        workshop_prereading_organiser=organiser_prereading,
        workshop_prereading_member=member_prereading)


def path_lang_attr(path) -> Markup:
    """' lang="en"' for a ready-made path shown in English to a reader of another language, so
    that screen readers pronounce it as English; nothing otherwise (a path composed in the app
    is in whatever language its author used)."""
    if path.is_ready_made and path.language != page_language():
        return Markup(' lang="%s"') % path.language
    return Markup()


def my_paths_summary() -> dict:
    language = page_language()
    followed = services.followed_paths(current_user, language)
    return {"followed": progress_for(current_user, followed, current_curriculum(), language),
            "owned": len(services.paths_owned_by(current_user.id))}


def organiser_prereading(workshop: Workshop) -> dict:
    language = page_language()
    current = prereading.prereading_path(workshop, language)
    return {"report": prereading.prereading_report(workshop, current_curriculum(), language),
            "choices": prereading.choices(workshop, current_user, current, language),
            "current_slug": current.slug if current is not None else ""}


def member_prereading(workshop: Workshop):
    return prereading.member_prereading(workshop, current_user, current_curriculum(),
                                        page_language())


# -- reading and following ------------------------------------------------------------------------
@bp.route("/paths")
@login_required
def index():
    language = page_language()
    followed = services.followed_paths(current_user, language)
    return render_template("paths/index.html",
                           followed=progress_for(current_user, followed, current_curriculum(),
                                                 language),
                           owned=services.paths_owned_by(current_user.id),
                           ready_made=services.ready_made_paths(language),
                           can_compose=services.can_compose(current_user))


@bp.route("/paths/<slug>")
@login_required
def show(slug: str):
    path = path_or_404(slug)
    return render_template("paths/show.html", path=path,
                           progress=progress_for(current_user, [path], current_curriculum(),
                                                 page_language())[0],
                           is_following=services.follow_row(current_user, path) is not None,
                           can_edit=services.can_edit(current_user, path),
                           can_compose=services.can_compose(current_user))


@bp.route("/paths/<slug>/start", methods=["POST"])
@login_required
def start(slug: str):
    path = path_or_404(slug)
    services.follow(current_user, path)
    db.session.commit()
    flash(_("“%(title)s” is now on your home page, with your progress.", title=path.title),
          "success")
    return redirect(path_url(path))


@bp.route("/paths/<slug>/stop", methods=["POST"])
@login_required
def stop(slug: str):
    path = path_or_404(slug)
    services.unfollow(current_user, path)
    db.session.commit()
    flash(_("“%(title)s” is no longer on your home page. Your progress is kept.",
            title=path.title), "success")
    return redirect(path_url(path))


# -- composing and editing ------------------------------------------------------------------------
@bp.route("/paths/new", methods=["GET", "POST"])
@trainer_required
def create():
    form = {key: request.form.get(key, "") for key in ("title", "audience", "intro")}
    if request.method == "POST":
        try:
            path = services.create_path(current_user, form)
        except Invalid as invalid:
            return render_template("paths/new.html", form=form, errors=invalid.errors), 400
        db.session.commit()
        flash(_("Path created. Now add its steps."), "success")
        return redirect(url_for("paths.edit", slug=path.slug, _anchor="add-step"))
    return render_template("paths/new.html", form=form, errors={})


@bp.route("/paths/<slug>/copy", methods=["POST"])
@trainer_required
def copy(slug: str):
    duplicate = services.copy_path(current_user, path_or_404(slug))
    db.session.commit()
    flash(_("This is your own copy: change it as you like, the original stays as it was."),
          "success")
    return redirect(url_for("paths.edit", slug=duplicate.slug))


def render_edit(path, details=None, notes=None, added=None, errors=None, status=200):
    """The editor: details, steps with their notes, and the add-a-step form, keeping typed text."""
    chapter_number = (added or {}).get("chapter") or request.args.get("chapter", "")
    curriculum, language = current_curriculum(), page_language()
    return render_template(
        "paths/edit.html", path=path, details=details or {}, notes=notes or {},
        added=added or {}, errors=errors or {}, manifest=VOLUMES, curriculum=curriculum,
        language=language, chosen_chapter=curriculum.chapter(chapter_number, language),
        max_note=MAX_NOTE, progress=progress_for(current_user, [path], curriculum, language)[0]
    ), status


@bp.route("/paths/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    path = editable_path(slug)
    if request.method == "GET":
        return render_edit(path)
    details = {key: request.form.get(key, "") for key in ("title", "audience", "intro")}
    try:
        services.update_details(path, details)
    except Invalid as invalid:
        db.session.rollback()
        return render_edit(path, details=details, errors=invalid.errors, status=400)
    db.session.commit()
    flash(_("Title, audience and introduction saved."), "success")
    return redirect(url_for("paths.edit", slug=path.slug))


@bp.route("/paths/<slug>/steps/new", methods=["POST"])
@login_required
def add_step(slug: str):
    path = editable_path(slug)
    added = {key: request.form.get(key, "") for key in ("chapter", "part", "note")}
    try:
        step = services.add_step(path, current_curriculum(), added)
    except Invalid as invalid:
        db.session.rollback()
        return render_edit(path, added=added, errors=invalid.errors, status=400)
    db.session.commit()
    flash(_("Step added at the end of the path."), "success")
    return redirect(url_for("paths.edit", slug=path.slug, _anchor=f"step-{step.id}"))


STEP_ACTIONS = {"up": -1, "down": 1}


@bp.route("/paths/<slug>/steps", methods=["POST"])
@login_required
def update_steps(slug: str):
    """Saves every note, then moves or removes the step whose button was pressed, so that
    moving a step never loses a note being typed."""
    path = editable_path(slug)
    notes = {step.id: request.form[f"note-{step.id}"] for step in path.steps
             if f"note-{step.id}" in request.form}
    try:
        services.save_notes(path, notes)
    except Invalid as invalid:
        db.session.rollback()
        return render_edit(path, notes=notes, errors=invalid.errors, status=400)
    action, _sep, step_id = request.form.get("action", "save").partition(":")
    step_id = int(step_id) if step_id.isdigit() else 0
    if action in STEP_ACTIONS and services.move_step(path, step_id, STEP_ACTIONS[action]):
        message, anchor = _("Step moved."), f"step-{step_id}"
    elif action == "remove" and services.remove_step(path, step_id):
        message, anchor = _("Step removed."), "steps"
    else:
        message, anchor = _("Notes saved."), "steps"
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("paths.edit", slug=path.slug, _anchor=anchor))


@bp.route("/paths/<slug>/delete", methods=["POST"])
@login_required
def delete(slug: str):
    path = editable_path(slug)
    title = path.title
    services.delete_path(path)
    db.session.commit()
    flash(_("The path “%(title)s” is deleted.", title=title), "success")
    return redirect(url_for("paths.index"))


# -- workshop pre-reading -------------------------------------------------------------------------
@bp.route("/workshops/<int:workshop_id>/prereading", methods=["POST"])
@trainer_required
def set_prereading(workshop_id: int):
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or not can_organise(current_user, workshop):
        abort(404)
    try:
        path = prereading.set_prereading(workshop, current_user, request.form.get("path", ""))
    except Invalid as invalid:
        flash(invalid.errors["prereading"], "error")
    else:
        db.session.commit()
        shown = services.shown_in(path, page_language()) if path else None
        flash(_("Pre-reading set: “%(title)s”.", title=shown.title) if shown else
              _("The workshop has no pre-reading now."), "success")
    return redirect(url_for("workshops.dashboard", workshop_id=workshop.id, _anchor="prereading"))
