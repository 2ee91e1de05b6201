"""Learning path rules: composing, editing and copying paths, following them, and progress.

A path is either a LearningPath (made in the app, shared by its link) or a ReadyPath (a file
under content/paths/). Both have a slug, a title, an audience, an intro and steps, and both are
found by find_path(slug); only paths made in the app can be edited. A ReadyPath is given in the
reader's language (its translation, or the English marked as such); a LearningPath is in
whatever language its author wrote.
"""
from __future__ import annotations

import secrets
import string

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from ..accounts.models import User, utcnow
from ..curriculum.library import Curriculum, current_curriculum, sort_key
from ..curriculum.model import Chapter
from ..extensions import db
from ..validation import Invalid, require_length
from .models import LearningPath, PathFollow, PathStep
from .readymade import MAX_NOTE, MAX_STEPS, MAX_TITLE, ReadyPath

MAX_INTRO = 5000
SLUG_ALPHABET = string.ascii_lowercase + string.digits
SLUG_LENGTH = 12  # 62 bits: a path's link cannot be guessed


# -- finding paths and who may do what -------------------------------------------------------------
def find_path(slug: str, language: str = "en") -> LearningPath | ReadyPath | None:
    ready = ready_path(slug, language)
    if ready is not None:
        return ready
    return db.session.scalar(select(LearningPath).where(LearningPath.slug == slug))


def ready_path(name: str, language: str = "en") -> ReadyPath | None:
    english = current_curriculum().ready_paths.get(name)
    return english.in_language(language) if english is not None else None


def shown_in(path, language: str):
    """The path as a reader of that language sees it (paths made in the app stay as written)."""
    return path.in_language(language) if path.is_ready_made else path


def can_edit(user: User, path) -> bool:
    """The owner edits a path, and administrators too; ready-made paths change only as files."""
    return not path.is_ready_made and (user.is_admin or path.owner_id == user.id)


def can_compose(user: User) -> bool:
    return user.is_trainer


def ready_made_paths(language: str = "en") -> list[ReadyPath]:
    """In the reader's language, in the alphabetical order of the titles they read."""
    shown = (path.in_language(language) for path in current_curriculum().ready_paths.values())
    return sorted(shown, key=lambda path: sort_key(path.title))


def paths_owned_by(user_id: int) -> list[LearningPath]:
    return list(db.session.scalars(select(LearningPath).where(LearningPath.owner_id == user_id)
                                   .order_by(LearningPath.updated_at.desc(), LearningPath.id.desc())))


def reference(path) -> dict:
    """The columns that name a path in another table (follows, workshop pre-reading)."""
    if path.is_ready_made:
        return {"path_id": None, "ready_made": path.slug}
    return {"path_id": path.id, "ready_made": None}


def path_of(row, language: str = "en") -> LearningPath | ReadyPath | None:
    """The path a follow or pre-reading row names; None for a ready-made path since removed."""
    if row.path_id is not None:
        return db.session.get(LearningPath, row.path_id)
    return ready_path(row.ready_made, language)


# -- composing and editing ------------------------------------------------------------------------
def clean_details(form: dict) -> dict:
    errors: dict[str, str] = {}
    details = {key: (form.get(key) or "").strip() for key in ("title", "audience", "intro")}
    require_length(errors, "title", details["title"], MAX_TITLE,
                   _("Give the path a title (at most %(n)d characters).", n=MAX_TITLE))
    require_length(errors, "audience", details["audience"], MAX_TITLE,
                   _("Say who the path is for (at most %(n)d characters).", n=MAX_TITLE))
    require_length(errors, "intro", details["intro"], MAX_INTRO,
                   _("The introduction can hold at most %(n)d characters.", n=MAX_INTRO), minimum=0)
    if errors:
        raise Invalid(errors)
    return details


def new_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


def create_path(owner: User, form: dict, copied_from: str | None = None) -> LearningPath:
    path = LearningPath(slug=new_slug(), owner_id=owner.id, copied_from=copied_from,
                        **clean_details(form))
    db.session.add(path)
    db.session.flush()
    return path


def update_details(path: LearningPath, form: dict) -> None:
    for key, value in clean_details(form).items():
        setattr(path, key, value)
    touch(path)


def touch(path: LearningPath) -> None:
    path.updated_at = utcnow()


def copy_path(owner: User, source) -> LearningPath:
    """A new path of the owner's with the source's details and steps; later edits of either
    leave the other as it is."""
    title = _("%(title)s (copy)", title=source.title)[:MAX_TITLE]
    copy = create_path(owner, {"title": title, "audience": source.audience, "intro": source.intro},
                       copied_from=source.title)
    for position, step in enumerate(source.steps, start=1):
        db.session.add(PathStep(path_id=copy.id, position=position, kind=step.kind,
                                chapter_number=step.chapter_number, anchor=step.anchor,
                                note=step.note))
    db.session.flush()
    return copy


def delete_path(path: LearningPath) -> None:
    db.session.delete(path)


def step_kind(chapter: Chapter, anchor: str | None) -> str | None:
    """What an anchor names in a chapter: "chapter" (no anchor), "section", "exercise" or None."""
    if not anchor:
        return "chapter"
    if chapter.section(anchor) is not None:
        return "section"
    if chapter.exercise(anchor) is not None:
        return "exercise"
    return None


def add_step(path: LearningPath, curriculum: Curriculum, form: dict) -> PathStep:
    errors: dict[str, str] = {}
    chapter = curriculum.chapter(form.get("chapter", ""))
    anchor = form.get("part", "") or None
    kind = step_kind(chapter, anchor) if chapter else None
    note = normalise(form.get("note", ""))
    if kind is None:
        errors["part"] = _("Choose the whole chapter, or one of its sections or exercises.")
    elif any(s.chapter_number == chapter.number and s.anchor == anchor for s in path.steps):
        errors["part"] = _("This part is already a step of the path.")
    if len(path.steps) >= MAX_STEPS:
        errors["part"] = _("A path has at most %(n)d steps.", n=MAX_STEPS)
    require_length(errors, "note", note, MAX_NOTE,
                   _("A note can hold at most %(n)d characters.", n=MAX_NOTE), minimum=0)
    if errors:
        raise Invalid(errors)
    step = PathStep(path_id=path.id, position=len(path.steps) + 1, kind=kind,
                    chapter_number=chapter.number, anchor=anchor, note=note)
    path.steps.append(step)
    touch(path)
    db.session.flush()
    return step


def normalise(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def save_notes(path: LearningPath, notes: dict[int, str]) -> None:
    """Every step's note at once; nothing is saved when one is too long."""
    errors = {f"note-{step.id}": _("A note can hold at most %(n)d characters.", n=MAX_NOTE)
              for step in path.steps if len(normalise(notes.get(step.id, step.note))) > MAX_NOTE}
    if errors:
        raise Invalid(errors)
    for step in path.steps:
        if step.id in notes:
            step.note = normalise(notes[step.id])
    touch(path)


def move_step(path: LearningPath, step_id: int, offset: int) -> bool:
    """Swap a step with its neighbour (offset -1: up, +1: down); False when it cannot move."""
    steps = list(path.steps)
    index = next((i for i, step in enumerate(steps) if step.id == step_id), None)
    if index is None or not 0 <= index + offset < len(steps):
        return False
    mover, other = steps[index], steps[index + offset]
    # (path, position) is unique: park one step outside the range while the other moves.
    first, second = mover.position, other.position
    park(mover, -1)
    park(other, first)
    park(mover, second)
    db.session.expire(path, ["steps"])
    touch(path)
    return True


def park(step: PathStep, position: int) -> None:
    db.session.execute(update(PathStep).where(PathStep.id == step.id).values(position=position)
                       .execution_options(synchronize_session="fetch"))


def remove_step(path: LearningPath, step_id: int) -> bool:
    step = next((s for s in path.steps if s.id == step_id), None)
    if step is None:
        return False
    db.session.execute(delete(PathStep).where(PathStep.id == step.id))
    # Close the gap from the top down, so that no two steps ever share a position.
    for later in sorted((s for s in path.steps if s.position > step.position),
                        key=lambda s: s.position):
        park(later, later.position - 1)
    db.session.expire(path, ["steps"])
    touch(path)
    return True


# -- following ------------------------------------------------------------------------------------
def follow_row(user: User, path) -> PathFollow | None:
    ref = reference(path)
    column = PathFollow.path_id if ref["path_id"] else PathFollow.ready_made
    return db.session.scalar(select(PathFollow).where(PathFollow.user_id == user.id,
                                                      column == (ref["path_id"] or ref["ready_made"])))


def follow(user: User, path) -> None:
    if follow_row(user, path) is None:
        db.session.add(PathFollow(user_id=user.id, **reference(path)))


def unfollow(user: User, path) -> None:
    row = follow_row(user, path)
    if row is not None:
        db.session.delete(row)


def followed_paths(user: User, language: str = "en") -> list:
    rows = db.session.scalars(select(PathFollow).where(PathFollow.user_id == user.id)
                              .order_by(PathFollow.started_at.desc(), PathFollow.id.desc()))
    return [path for path in (path_of(row, language) for row in rows) if path is not None]
