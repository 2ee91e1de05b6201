"""Reading pages: home, volumes, chapters, the printable volume and the glossary. Open to all."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, session
from flask_login import current_user

from ..extensions import db
from ..guards import public
from .library import current_curriculum
from .manifest import VOLUMES
from .page_cache import cached_page

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
    continue_chapter = curriculum.chapter(position.chapter_number) if position else None
    return render_template("curriculum/home.html", curriculum=curriculum, manifest=VOLUMES,
                           position=position, continue_chapter=continue_chapter,
                           progress=progress or {})


@bp.route("/volumes/<int:number>")
@public
def volume(number: int):
    curriculum = current_curriculum()
    found = curriculum.volume(number) or abort(404)
    return cached_page(lambda: render_template(
        "curriculum/volume.html", curriculum=curriculum, volume=found,
        manifest=VOLUMES[number - 1]))


@bp.route("/volumes/<int:number>/print")
@public
def print_volume(number: int):
    curriculum = current_curriculum()
    found = curriculum.volume(number) or abort(404)
    return cached_page(lambda: render_template(
        "curriculum/print_volume.html", volume=found, chapters=curriculum.chapters_of(found),
        show_notes=False))


@bp.route("/volumes/<int:number>/key-messages")
@public
def volume_key_messages(number: int):
    """A one-page revision sheet: every chapter's key messages, for the volume."""
    curriculum = current_curriculum()
    found = curriculum.volume(number) or abort(404)
    return cached_page(lambda: render_template("curriculum/key_messages.html", volume=found,
                                               chapters=curriculum.chapters_of(found)))


@bp.route("/chapters/<number>")
@public
def chapter(number: str):
    curriculum = current_curriculum()
    found = curriculum.chapter(number) or abort(404)
    previous, following = curriculum.neighbours(number)
    context = {"chapter": found, "previous": previous, "following": following,
               "curriculum": curriculum}
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


@bp.route("/glossary")
@public
def glossary():
    curriculum = current_curriculum()
    return cached_page(lambda: render_template(
        "curriculum/glossary.html", terms=curriculum.glossary))
