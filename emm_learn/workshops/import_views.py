"""The organiser's participant import: upload or paste, preview with each row's problems, import."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext

from ..extensions import db
from ..guards import login_required
from ..validation import Invalid
from . import imports, services
from .views import bp, organised_workshop


def import_page(workshop, text="", rows=None, errors=None, status=200):
    return render_template("workshops/import.html", workshop=workshop, text=text, rows=rows,
                           errors=errors or {}, languages=services.language_names()), status


def submitted_csv() -> str:
    upload = request.files.get("file")
    if upload and upload.filename:
        return imports.decode(upload.read())
    return request.form.get("text", "")


@bp.route("/workshops/<int:workshop_id>/participants/import", methods=["GET", "POST"])
@login_required
def import_participants(workshop_id: int):
    """GET: the form. POST: the preview; nothing is saved until the organiser confirms."""
    workshop = organised_workshop(workshop_id)
    if request.method == "GET":
        return import_page(workshop)
    text = submitted_csv()
    try:
        rows = imports.preview(workshop, text)
    except Invalid as invalid:
        return import_page(workshop, text, errors=invalid.errors, status=400)
    return import_page(workshop, text, rows)


@bp.route("/workshops/<int:workshop_id>/participants/import/confirm", methods=["POST"])
@login_required
def confirm_import(workshop_id: int):
    workshop = organised_workshop(workshop_id)
    text = request.form.get("text", "")
    try:
        imported = imports.import_rows(workshop, text)
    except Invalid as invalid:
        db.session.rollback()
        return import_page(organised_workshop(workshop_id), text, errors=invalid.errors, status=400)
    db.session.commit()
    flash(ngettext("%(num)d participant imported.", "%(num)d participants imported.",
                   len(imported)), "success")
    return redirect(url_for("workshops.dashboard", workshop_id=workshop_id, _anchor="participants"))
