"""Answering exercise prompts (form posts and autosave), history, conflicts, "My worksheets", exports."""
from __future__ import annotations

from datetime import date

from flask import (Blueprint, abort, flash, jsonify, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from ..curriculum.library import current_curriculum
from ..extensions import db
from ..guards import login_required, public
from ..i18n import format_moment, page_language
from . import exports, services

bp = Blueprint("worksheets", __name__, template_folder="templates")


def chapter_and_exercise(number: str, anchor: str):
    # In the page's language: a translation keeps every exercise id and prompt number.
    chapter = current_curriculum().chapter(number, page_language()) or abort(404)
    exercise = chapter.exercise(anchor) or abort(404)
    return chapter, exercise


def exercise_url(number: str, anchor: str) -> str:
    return url_for("curriculum.chapter", number=number, _anchor=anchor)


def keep_text_until_sign_in():
    """The session has ended: keep what was sent and lead the author to sign in again.

    The form save stashes its text server-side and redirects to sign-in (the text comes back in
    the form afterwards); the script's save answers 401 so that the page can offer the same."""
    number, anchor = request.view_args["number"], request.view_args["anchor"]
    chapter, exercise = chapter_and_exercise(number, anchor)
    if request.endpoint == "worksheets.autosave":
        return jsonify(status="signed-out",
                       message=_("Not saved: your session has ended. Your text stays in this "
                                 "page.")), 401
    texts = {p.number: request.form.get(f"answer-{p.number}", "") for p in exercise.prompts}
    session["draft_return"] = services.stash_draft(number, anchor, texts)
    db.session.commit()
    flash(_("Your session had ended, so your answers were not saved yet. Sign in again: "
            "your text is kept and will be back in the form."), "info")
    return redirect(url_for("accounts.sign_in", next=exercise_url(number, anchor)))


@bp.route("/worksheets/<number>/<anchor>", methods=["POST"])
@public  # an ended session must not lose the text: it is kept and handed back after sign-in
def save_exercise(number: str, anchor: str):
    """The no-JavaScript save: every prompt of one exercise in one form."""
    chapter, exercise = chapter_and_exercise(number, anchor)
    texts = {p.number: request.form.get(f"answer-{p.number}", "") for p in exercise.prompts}
    if not current_user.is_authenticated:
        return keep_text_until_sign_in()
    too_long = [p for p, text in texts.items() if len(services.normalise(text)) > services.MAX_ANSWER_CHARS]
    if too_long:
        languages = {p: services.written_language(request.form.get(f"language-{p}")) for p in texts}
        return render_template("worksheets/too_long.html", chapter=chapter, exercise=exercise,
                               texts=texts, languages=languages, too_long=too_long,
                               limit=services.MAX_ANSWER_CHARS), 400
    conflicts = []
    for prompt in exercise.prompts:
        base = request.form.get(f"version-{prompt.number}", "0")
        language = services.written_language(request.form.get(f"language-{prompt.number}"))
        result = services.save_answer(current_user, chapter, exercise, prompt.number,
                                      texts[prompt.number], int(base) if base.isdigit() else 0,
                                      language=language)
        if result.is_conflict:
            conflicts.append((prompt, result))
    db.session.commit()
    if conflicts:
        return render_template("worksheets/conflict.html", chapter=chapter, exercise=exercise,
                               conflicts=conflicts), 409
    flash(_("Your answers to “%(title)s” are saved.", title=exercise.title), "success")
    return redirect(exercise_url(number, anchor))


@bp.route("/worksheets/<number>/<anchor>/<int:prompt>", methods=["POST"])
@public  # answers 401 in JSON itself, so the page's script can keep the text and say so
def autosave(number: str, anchor: str, prompt: int):
    """The script's save of one answer; answers in JSON."""
    chapter, exercise = chapter_and_exercise(number, anchor)
    if not any(p.number == prompt for p in exercise.prompts):
        abort(404)
    if not current_user.is_authenticated:
        return keep_text_until_sign_in()
    text, base = request.form.get("text", ""), request.form.get("version", "0")
    try:
        result = services.save_answer(current_user, chapter, exercise, prompt, text,
                                      int(base) if base.isdigit() else 0,
                                      language=services.written_language(request.form.get("language")))
    except services.AnswerTooLong:
        return jsonify(status="too-long", message=_(
            "Not saved: an answer can hold at most %(n)d characters.",
            n=services.MAX_ANSWER_CHARS)), 400
    db.session.commit()
    if result.is_conflict:
        return jsonify(status="conflict", version=result.answer.version,
                       compare_url=url_for("worksheets.compare", answer_id=result.answer.id,
                                           revision_id=result.conflict_revision.id),
                       message=_("Not saved over a newer version written elsewhere.")), 409
    return jsonify(status="saved", version=result.answer.version)


@bp.route("/worksheets/answers/<int:answer_id>/history")
@login_required
def history(answer_id: int):
    answer = services.owned_answer(current_user, answer_id) or abort(404)
    chapter, exercise = chapter_and_exercise(answer.chapter_number, answer.exercise_anchor)
    prompt = next((p for p in exercise.prompts if p.number == answer.prompt_number), None)
    return render_template("worksheets/history.html", answer=answer, chapter=chapter,
                           exercise=exercise, prompt=prompt,
                           revisions=services.revisions(answer))


@bp.route("/worksheets/answers/<int:answer_id>/revisions/<int:revision_id>/restore",
          methods=["POST"])
@login_required
def restore(answer_id: int, revision_id: int):
    answer = services.owned_answer(current_user, answer_id) or abort(404)
    revision = services.owned_revision(answer, revision_id) or abort(404)
    chapter, exercise = chapter_and_exercise(answer.chapter_number, answer.exercise_anchor)
    services.save_answer(current_user, chapter, exercise, answer.prompt_number, revision.text,
                         answer.version, kind="restore", language=revision.language)
    db.session.commit()
    flash(_("The version of %(when)s UTC is your answer again. The one it replaced is kept in "
            "the history.", when=format_moment(revision.saved_at)), "success")
    return redirect(url_for("worksheets.history", answer_id=answer.id))


@bp.route("/worksheets/answers/<int:answer_id>/compare/<int:revision_id>")
@login_required
def compare(answer_id: int, revision_id: int):
    """Both versions after a conflict: the saved one and the refused one, to choose or merge."""
    answer = services.owned_answer(current_user, answer_id) or abort(404)
    revision = services.owned_revision(answer, revision_id) or abort(404)
    chapter, exercise = chapter_and_exercise(answer.chapter_number, answer.exercise_anchor)
    prompt = next(p for p in exercise.prompts if p.number == answer.prompt_number)
    conflict = services.SaveResult("conflict", answer, revision)
    return render_template("worksheets/conflict.html", chapter=chapter, exercise=exercise,
                           conflicts=[(prompt, conflict)])


@bp.route("/worksheets/answers/<int:answer_id>/resolve", methods=["POST"])
@login_required
def resolve(answer_id: int):
    """Save the text the learner chose or merged after a conflict."""
    answer = services.owned_answer(current_user, answer_id) or abort(404)
    chapter, exercise = chapter_and_exercise(answer.chapter_number, answer.exercise_anchor)
    text = request.form.get("text", "")
    version = request.form.get("version", "0")
    try:
        result = services.save_answer(current_user, chapter, exercise, answer.prompt_number, text,
                                      int(version) if version.isdigit() else 0, kind="merge",
                                      language=services.written_language(request.form.get("language")))
    except services.AnswerTooLong:
        prompt = next(p for p in exercise.prompts if p.number == answer.prompt_number)
        language = services.written_language(request.form.get("language"))
        return render_template("worksheets/too_long.html", chapter=chapter, exercise=exercise,
                               texts={prompt.number: text}, languages={prompt.number: language},
                               too_long=[prompt.number], limit=services.MAX_ANSWER_CHARS), 400
    db.session.commit()
    if result.is_conflict:  # changed yet again meanwhile: compare once more
        return redirect(url_for("worksheets.compare", answer_id=answer.id,
                                revision_id=result.conflict_revision.id))
    flash(_("Your answer is saved."), "success")
    return redirect(exercise_url(answer.chapter_number, answer.exercise_anchor))


@bp.route("/worksheets")
@login_required
def overview():
    worksheets = services.worksheet_overview(current_user, current_curriculum(), page_language())
    return render_template("worksheets/overview.html", worksheets=worksheets)


@bp.route("/worksheets/<number>/export.md")
@login_required
def export_chapter_markdown(number: str):
    chapter = exports.chapter_in_page_language(number) or abort(404)
    return exports.markdown_download([chapter], f"emm-worksheet-{number}-{date.today()}.md")


@bp.route("/worksheets/export.md")
@login_required
def export_all_markdown():
    return exports.markdown_download(exports.chapters_with_answers(current_user),
                                     f"emm-worksheets-{date.today()}.md")


@bp.route("/worksheets/<number>/export.csv")
@login_required
def export_chapter_csv(number: str):
    chapter = exports.chapter_in_page_language(number) or abort(404)
    return exports.csv_download_of([chapter], f"emm-worksheet-{number}-{date.today()}.csv")


@bp.route("/worksheets/export.csv")
@login_required
def export_all_csv():
    return exports.csv_download_of(exports.chapters_with_answers(current_user),
                                   f"emm-worksheets-{date.today()}.csv")


@bp.route("/worksheets/<number>/print")
@login_required
def print_chapter(number: str):
    chapter = exports.chapter_in_page_language(number) or abort(404)
    return exports.printable([chapter])


@bp.route("/worksheets/print")
@login_required
def print_all():
    return exports.printable(exports.chapters_with_answers(current_user))
