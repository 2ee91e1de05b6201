"""Marking sections done, "My progress", and the learner's own CSV export."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..curriculum.library import current_curriculum
from ..curriculum.manifest import VOLUMES
from ..extensions import db
from ..guards import login_required
from ..i18n import page_language
from ..spreadsheets import csv_download
from . import services

bp = Blueprint("progress", __name__, template_folder="templates")


@bp.route("/progress/chapters/<number>/sections/<anchor>", methods=["POST"])
@login_required
def mark_section(number: str, anchor: str):
    chapter = current_curriculum().chapter(number) or abort(404)
    if chapter.section(anchor) is None:
        abort(404)
    is_done = request.form.get("done") == "yes"
    services.mark_section(current_user, chapter, anchor, is_done)
    db.session.commit()
    return redirect(url_for("curriculum.chapter", number=number, _anchor=anchor))


@bp.route("/progress/chapters/<number>/position", methods=["POST"])
@login_required
def record_section(number: str):
    """Called by the page's script as the reader moves through a chapter."""
    chapter = current_curriculum().chapter(number) or abort(404)
    anchor = request.form.get("section", "")
    if chapter.section(anchor) is None:
        abort(404)
    services.record_position(current_user, number, anchor)
    db.session.commit()
    return "", 204


@bp.route("/progress")
@login_required
def overview():
    curriculum = current_curriculum()
    by_chapter = services.progress_by_chapter(current_user, curriculum)
    return render_template("progress/overview.html", curriculum=curriculum, manifest=VOLUMES,
                           progress=by_chapter)


@bp.route("/progress.csv")
@login_required
def export_csv():
    header = [_("Chapter"), _("Chapter title"), _("Section id"), _("Section title"), _("Done"),
              _("Done at (UTC)")]
    rows = services.progress_rows(current_user, current_curriculum(), page_language())
    return csv_download(f"emm-progress-{date.today().isoformat()}.csv", header, rows)
