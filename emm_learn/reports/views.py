"""Reports: a workshop's forms for its organiser, chapter feedback for administrators, and the
trainer's view of learning; each as a printable page with SVG charts and as CSV."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _

from ..curriculum.library import current_curriculum
from ..feedback.forms import form_of, workshop_forms
from ..feedback.models import CHAPTER_CRITERIA
from ..feedback.services import criterion_labels
from ..guards import admin_required, trainer_required
from ..spreadsheets import csv_download
from ..workshops.views import organised_workshop
from . import exports, figures, learning, services

bp = Blueprint("reports", __name__, template_folder="templates")


def organised_form(workshop_id: int, form_id: int):
    workshop = organised_workshop(workshop_id)
    return workshop, form_of(workshop, form_id) or abort(404)


@bp.route("/workshops/<int:workshop_id>/reports")
@trainer_required
def workshop(workshop_id: int):
    found = organised_workshop(workshop_id)
    reports = [services.form_report(found, form) for form in workshop_forms(found)]
    comparisons = services.session_comparisons(found)
    return render_template("reports/workshop.html", workshop=found, reports=reports,
                           comparisons=comparisons, charts=figures)


@bp.route("/workshops/<int:workshop_id>/forms/<int:form_id>/report")
@trainer_required
def form_report(workshop_id: int, form_id: int):
    found, form = organised_form(workshop_id, form_id)
    return render_template("reports/form_report.html", workshop=found,
                           report=services.form_report(found, form), charts=figures)


@bp.route("/workshops/<int:workshop_id>/forms/<int:form_id>/report.csv")
@trainer_required
def form_report_csv(workshop_id: int, form_id: int):
    found, form = organised_form(workshop_id, form_id)
    header, rows = exports.form_figures(services.form_report(found, form))
    return csv_download(f"emm-form-{form.id}-figures-{date.today().isoformat()}.csv", header, rows)


@bp.route("/workshops/<int:workshop_id>/forms/<int:form_id>/comments.csv")
@trainer_required
def form_comments_csv(workshop_id: int, form_id: int):
    found, form = organised_form(workshop_id, form_id)
    header, rows = exports.form_comments(services.form_report(found, form))
    return csv_download(f"emm-form-{form.id}-comments-{date.today().isoformat()}.csv", header, rows)


@bp.route("/workshops/<int:workshop_id>/learning")
@trainer_required
def workshop_learning(workshop_id: int):
    found = organised_workshop(workshop_id)
    chapters = learning.workshop_chapters(found, current_curriculum())
    return render_template("reports/workshop_learning.html", workshop=found, chapters=chapters,
                           participants=learning.workshop_learning(found, chapters))


@bp.route("/workshops/<int:workshop_id>/learning.csv")
@trainer_required
def workshop_learning_csv(workshop_id: int):
    found = organised_workshop(workshop_id)
    chapters = learning.workshop_chapters(found, current_curriculum())
    header, rows = exports.workshop_learning(chapters, learning.workshop_learning(found, chapters))
    return csv_download(f"emm-workshop-{found.id}-learning-{date.today().isoformat()}.csv",
                        header, rows)


@bp.route("/reports/chapters")
@admin_required
def chapters():
    overview = services.chapter_overview(list(current_curriculum().chapters.values()))
    return render_template("reports/chapters.html", overview=overview, criteria=CHAPTER_CRITERIA,
                           labels=criterion_labels())


@bp.route("/reports/chapters.csv")
@admin_required
def chapters_csv():
    overview = services.chapter_overview(list(current_curriculum().chapters.values()))
    header, rows = exports.chapter_figures(overview)
    return csv_download(f"emm-chapter-feedback-{date.today().isoformat()}.csv", header, rows)


@bp.route("/reports/chapters/<number>")
@admin_required
def chapter(number: str):
    found = current_curriculum().chapter(number) or abort(404)
    return render_template("reports/chapter.html", report=services.chapter_report(found), chapter=found,
                           criteria=CHAPTER_CRITERIA, labels=criterion_labels(), charts=figures)


@bp.route("/reports/chapters/<number>/comments.csv")
@admin_required
def chapter_comments_csv(number: str):
    found = current_curriculum().chapter(number) or abort(404)
    report = services.chapter_report(found)
    return csv_download(f"emm-chapter-{found.number}-comments-{date.today().isoformat()}.csv",
                        [_("Chapter"), _("Comment")],
                        [[found.number, comment.text] for comment in report.comments])


@bp.route("/reports/learning")
@trainer_required
def learning_overview():
    return render_template("reports/learning.html",
                           reach=learning.chapter_reach(current_curriculum()))


@bp.route("/reports/learning.csv")
@trainer_required
def learning_csv():
    header, rows = exports.chapter_reach(learning.chapter_reach(current_curriculum()))
    return csv_download(f"emm-chapters-started-completed-{date.today().isoformat()}.csv",
                        header, rows)
