"""The rows of each CSV download: the same numbers, hidden slices and names as the pages show.
(Cells are neutralised against spreadsheet formulas by spreadsheets.csv_download.)"""
from __future__ import annotations

from flask_babel import gettext as _

from ..curriculum.model import Chapter
from ..feedback.models import CHAPTER_CRITERIA
from ..feedback.services import criterion_labels
from .learning import ChapterReach, ParticipantLearning
from .services import ChapterSummary, FormReport, QuestionReport
from .stats import MIN_SLICE, SCALE, Summary


def not_shown() -> str:
    return _("not shown: fewer than %(n)d responses", n=MIN_SLICE)


def summary_cells(summary: Summary | None) -> list:
    if summary is None:
        return ["", _("not shown")] + [""] * len(SCALE)
    return [summary.count, summary.mean_figure, *summary.distribution]


def form_figures(report: FormReport) -> tuple[list[str], list[list]]:
    header = [_("Form"), _("Question"), _("Slice by"), _("Slice"), _("Ratings or answers"),
              _("Mean")] + [str(point) for point in SCALE]
    rows = []
    for question in report.questions:
        rows.extend([report.form.title, question.text, *cells] for cells in question_rows(question, report))
    return header, rows


def question_rows(question: QuestionReport, report: FormReport) -> list[list]:
    if report.is_hidden or question.is_hidden:
        return [["", "", "", not_shown()]]
    if question.kind == "scale":
        rows = [[_("All responses"), ""] + summary_cells(question.overall)]
        for each in question.breakdowns:
            rows.extend([each.dimension, s.label] + summary_cells(s.summary) for s in each.slices)
        return rows
    if question.kind == "choice":
        return [[_("Choice"), choice, count] for choice, count in question.choices]
    return [[_("Comments"), "", len(question.comments)]]


def form_comments(report: FormReport) -> tuple[list[str], list[list]]:
    named = not report.form.is_anonymous
    header = [_("Question"), _("Comment")] + ([_("Participant")] if named else [])
    rows = []
    for question in report.questions:
        for comment in question.comments:
            rows.append([question.text, comment.text] + ([comment.respondent] if named else []))
    return header, rows


def chapter_figures(overview: list[ChapterSummary]) -> tuple[list[str], list[list]]:
    labels = criterion_labels()
    header = [_("Chapter"), _("Title"), _("Responses")]
    for criterion in CHAPTER_CRITERIA:
        header += [_("%(criterion)s: mean", criterion=labels[criterion]),
                   _("%(criterion)s: ratings", criterion=labels[criterion])]
    rows = []
    for summary in overview:
        row = [summary.chapter.number, summary.chapter.title, response_count_text(summary.responses)]
        for criterion in CHAPTER_CRITERIA:
            shown = summary.criteria[criterion]
            row += [shown.mean_figure, shown.count] if shown else ["", ""]
        rows.append(row)
    return header, rows


def response_count_text(count: int) -> str | int:
    """0 and counts from MIN_SLICE up are shown; 1 or 2 only as "fewer than 3"."""
    return count if count == 0 or count >= MIN_SLICE else _("fewer than %(n)d", n=MIN_SLICE)


def workshop_learning(chapters: list[Chapter], participants: list[ParticipantLearning]):
    header = [_("Participant"), _("Group")]
    for chapter in chapters:
        header += [_("%(chapter)s sections done", chapter=chapter.number),
                   _("%(chapter)s sections", chapter=chapter.number),
                   _("%(chapter)s exercises complete", chapter=chapter.number),
                   _("%(chapter)s exercises", chapter=chapter.number)]
    rows = []
    for person in participants:
        row = [person.name, person.group]
        for chapter in chapters:
            status = person.chapters[chapter.number]
            row += [status.sections_done, status.sections, status.exercises_complete,
                    status.exercises]
        rows.append(row)
    return header, rows


def chapter_reach(reach: list[ChapterReach]):
    header = [_("Chapter"), _("Title"), _("Learners who started it"), _("Learners who completed it")]
    return header, [[r.chapter.number, r.chapter.title, r.started, r.completed] for r in reach]
