"""Take-home copies of a worksheet: Markdown and a printable page, with the user's own answers."""
from __future__ import annotations

from datetime import date

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from ..curriculum.library import current_curriculum
from ..curriculum.model import Chapter
from ..i18n import format_day, format_moment, language_name, page_language
from ..spreadsheets import csv_download
from . import services


def chapters_with_answers(user) -> list[Chapter]:
    """The reader's chapters with answers, in the page language where translated."""
    return [worksheet.chapter for worksheet in
            services.worksheet_overview(user, current_curriculum(), page_language())]


def chapter_in_page_language(number: str) -> Chapter | None:
    return current_curriculum().chapter(number, page_language())


def prompts_language_line(chapter: Chapter) -> str:
    """Answers are kept as written; the copy says which language the prompts beside them are in."""
    return _("Prompts in %(language)s.", language=language_name(chapter.language))


def worksheet_markdown(chapters: list[Chapter], user) -> str:
    lines = [f"# {_('My EMM worksheet')}", "", f"{user.display_name}, {format_day(date.today())}", ""]
    for chapter in chapters:
        answers = services.answers_for_chapter(user, chapter.number)
        lines += [f"## {chapter.number} {chapter.title}", "", f"*{prompts_language_line(chapter)}*", ""]
        for exercise in chapter.exercises:
            lines += [f"### {exercise.title}", "", exercise.scenario_text, ""]
            for prompt in exercise.prompts:
                answer = answers.get((exercise.anchor, prompt.number))
                lines += [f"**{prompt.number}. {prompt.text}**", ""]
                if answer and answer.text.strip():
                    lines += [answer.text.strip(), "",
                              f"*{written_in_marker(answer.language)} · "
                              f"{_('Saved %(when)s UTC', when=saved_at(answer))}*", ""]
                else:
                    lines += [f"*{_('(not answered yet)')}*", ""]
    return "\n".join(lines)


def saved_at(answer) -> str:
    return format_moment(answer.updated_at)


def written_in_marker(language: str | None) -> str:
    """'Written in Spanish [es]': the name for people, the code for whoever processes the file."""
    if not language:
        return _("Language not recorded")
    return f"{_('Written in %(language)s', language=language_name(language))} [{language}]"


def worksheet_rows(chapters: list[Chapter], user):
    """One row per answered prompt; the answer exactly as saved, with the language it is in."""
    for chapter in chapters:
        answers = services.answers_for_chapter(user, chapter.number)
        for exercise in chapter.exercises:
            for prompt in exercise.prompts:
                answer = answers.get((exercise.anchor, prompt.number))
                if answer and answer.text.strip():
                    yield [chapter.number, chapter.title, exercise.title, prompt.number,
                           prompt.text, chapter.language, answer.language or "", answer.text,
                           answer.updated_at.strftime("%Y-%m-%d %H:%M")]


def csv_download_of(chapters: list[Chapter], filename: str) -> Response:
    header = [_("Chapter"), _("Chapter title"), _("Exercise"), _("Prompt"), _("Prompt text"),
              _("Prompt language"), _("Answer language"), _("Answer"), _("Saved (UTC)")]
    return csv_download(filename, header, worksheet_rows(chapters, current_user))


def markdown_download(chapters: list[Chapter], filename: str) -> Response:
    response = Response(worksheet_markdown(chapters, current_user), content_type="text/markdown; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def printable(chapters: list[Chapter]) -> str:
    answers = {chapter.number: services.answers_for_chapter(current_user, chapter.number)
               for chapter in chapters}
    return render_template("worksheets/print.html", chapters=chapters, answers=answers,
                           today=date.today(), prompts_language_line=prompts_language_line)
