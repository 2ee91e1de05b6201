"""Reading pages: home, volumes, chapters, the printable volume and the glossary. Open to all."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..extensions import db
from ..guards import public
from ..i18n import page_language, remember_choice
from ..security import safe_next_path
from .library import current_curriculum
from .manifest import VOLUMES
from .page_cache import cached_page
from .side_by_side import aligned_chapter, side_by_side_languages

bp = Blueprint("curriculum", __name__, template_folder="templates")


@bp.route("/healthz")
@public
def health():
    """A minimal endpoint: load balancers' probe, and the benchmark's framework ceiling."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/")
@public
def home():
    from ..progress import services as progress
    curriculum = current_curriculum()
    if not current_user.is_authenticated:
        return cached_page(lambda: render_home(curriculum))
    position = progress.last_position(current_user)
    summary = progress.progress_by_chapter(current_user, curriculum)
    return render_home(curriculum, position=position, progress=summary)


def render_home(curriculum, position=None, progress=None) -> str:
    language = page_language()
    continue_chapter = curriculum.chapter(position.chapter_number, language) if position else None
    return render_template("curriculum/home.html", curriculum=curriculum, manifest=VOLUMES,
                           position=position, continue_chapter=continue_chapter,
                           progress=progress or {}, language=language)


@bp.route("/volumes/<int:number>")
@public
def volume(number: int):
    curriculum, language = current_curriculum(), page_language()
    found = curriculum.volume(number, language) or abort(404)
    return cached_page(lambda: render_template(
        "curriculum/volume.html", curriculum=curriculum, volume=found,
        manifest=VOLUMES[number - 1], language=language))


@bp.route("/volumes/<int:number>/print")
@public
def print_volume(number: int):
    curriculum, language = current_curriculum(), page_language()
    found = curriculum.volume(number, language) or abort(404)
    return cached_page(lambda: render_template(
        "curriculum/print_volume.html", volume=found, language=language,
        chapters=curriculum.chapters_of(found, language), show_notes=False))


@bp.route("/volumes/<int:number>/key-messages")
@public
def volume_key_messages(number: int):
    """A one-page revision sheet: every chapter's key messages, for the volume."""
    curriculum, language = current_curriculum(), page_language()
    found = curriculum.volume(number, language) or abort(404)
    return cached_page(lambda: render_template("curriculum/key_messages.html", volume=found,
                                               language=language,
                                               chapters=curriculum.chapters_of(found, language)))


@bp.route("/chapters/<number>")
@public
def chapter(number: str):
    curriculum, language = current_curriculum(), page_language()
    version = curriculum.chapter_version(number, language) or abort(404)
    previous, following = curriculum.neighbours(number, language)
    context = {"chapter": version.chapter, "version": version, "previous": previous,
               "following": following, "curriculum": curriculum, "language": language}
    if not current_user.is_authenticated:
        return cached_page(lambda: render_template(
            "curriculum/chapter.html", done=set(), show_notes=False, answers={}, draft=None,
            **context))
    from ..progress import services as progress
    from ..worksheets import services as worksheets
    done = progress.done_sections(current_user, number)
    answers = worksheets.answers_for_chapter(current_user, number)
    draft = worksheets.take_draft(session.pop("draft_return", None), number)
    progress.record_position(current_user, number, None)
    db.session.commit()
    return render_template("curriculum/chapter.html", done=done, answers=answers, draft=draft,
                           show_notes=current_user.is_trainer, **context)


@bp.route("/chapters/<number>/side-by-side")
@public
def side_by_side(number: str):
    """The chapter in two languages, part by part, for bilingual readers and translators."""
    curriculum, language = current_curriculum(), page_language()
    if number not in curriculum.chapters:
        abort(404)
    languages = current_app.config["EMM_LANGUAGES"]
    left, right = side_by_side_languages(request.args, language, languages)
    if (left, right) != (request.args.get("left", left), request.args.get("right", right)):
        return redirect(url_for("curriculum.side_by_side", number=number, left=left, right=right))
    columns = [curriculum.chapter_version(number, code) for code in (left, right)]
    return cached_page(lambda: render_template(
        "curriculum/side_by_side.html", columns=columns, rows=aligned_chapter(columns),
        english=curriculum.chapters[number], languages=languages, language=language))


@bp.route("/glossary")
@public
def glossary():
    curriculum, language = current_curriculum(), page_language()
    return cached_page(lambda: render_template(
        "curriculum/glossary.html", terms=curriculum.glossary_in(language), language=language))


@bp.route("/language/<language>", methods=["GET", "POST"])
@public
def choose_language(language: str):
    """The switcher: remember the reader's language and go back to the page they were on.

    A GET (links on pages anyone may get from the shared cache) only sets the language cookie.
    A signed-in reader's switcher is a form (POST, with its CSRF token) and also sets the account's
    language, which then follows them to every device."""
    if language not in current_app.config["EMM_LANGUAGES"]:
        abort(404)
    response = redirect(safe_next_path(request.values.get("next")))
    remember_choice(response, language)
    if request.method == "POST" and current_user.is_authenticated:
        current_user.locale = language
        db.session.commit()
    return response
