"""What the printables of a multilingual workshop say in each of its languages.

A room sign, the agenda and a participant card are read by people who may share no language, so
each is printed in all the languages of the room, the workshop or the participant: interface words
through gettext under flask_babel's force_locale, chapter titles from that language's edition
(English, marked so, where a translation is missing). Names typed by the organiser (workshop,
group, room, session titles) are shown once, as typed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

from flask import current_app
from flask_babel import force_locale, gettext as _

from ..curriculum.library import Curriculum
from ..curriculum.model import Chapter
from .models import BreakoutGroup, Member, Workshop, WorkshopSession

T = TypeVar("T")


def ordered_languages(codes: Iterable[str]) -> list[str]:
    """The platform's languages among codes, always in the same order (en, es, fr)."""
    wanted = set(codes)
    return [code for code in current_app.config["EMM_LANGUAGES"] if code in wanted]


def in_each_language(codes: Iterable[str], make: Callable[[], T]) -> list[tuple[str, T]]:
    """make() once per language, with that language's interface words, dates and numbers."""
    made = []
    for code in codes:
        with force_locale(code):
            made.append((code, make()))
    return made


def chapter_lines(session: WorkshopSession, curriculum: Curriculum,
                  languages: list[str]) -> list[tuple[Chapter, ...]]:
    """The session's chapters once per language; a language showing the same (English) text as
    another is left out, so an untranslated title is not printed twice."""
    lines: list[tuple[Chapter, ...]] = []
    for code in languages:
        chapters = tuple(c for c in (curriculum.chapter(n, code) for n in session.chapter_numbers)
                         if c is not None)
        keys = [tuple((c.number, c.language) for c in line) for line in lines]
        if chapters and tuple((c.number, c.language) for c in chapters) not in keys:
            lines.append(chapters)
    return lines


# -- room signs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoomSign:
    group: BreakoutGroup
    languages: list[str]
    labels: list[tuple[str, dict[str, str]]]  # (language, its words for the sign's labels)
    sessions: list[tuple[WorkshopSession, list[tuple[Chapter, ...]]]]


def sign_labels() -> dict[str, str]:
    return {"group": _("Group"), "room": _("Room"), "languages": _("Languages"),
            "sessions": _("Break-out sessions")}


def room_signs(workshop: Workshop, curriculum: Curriculum) -> list[RoomSign]:
    """One sign per group, in the languages of its room (the workshop's if the room has none)."""
    breakouts = [s for s in workshop.sessions if s.kind == "breakout"]
    signs = []
    for group in workshop.groups:
        languages = ordered_languages(group.room.language_set or workshop.language_set)
        signs.append(RoomSign(group, languages, in_each_language(languages, sign_labels),
                              [(s, chapter_lines(s, curriculum, languages)) for s in breakouts]))
    return signs


# -- participant cards ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ParticipantCard:
    member: Member
    welcome_url: str | None  # a personal first sign-in link, for someone who never signed in
    words: list[tuple[str, dict[str, str]]]  # (language, the card's words in it)


def card_languages(member: Member, workshop: Workshop) -> list[str]:
    """The participant's own languages; else their group's; else the workshop's."""
    room = member.group.room.language_set if member.group else frozenset()
    return (ordered_languages(member.language_set) or ordered_languages(room)
            or ordered_languages(workshop.language_set))


def card_words(workshop: Workshop) -> dict[str, str]:
    return {"first_sign_in": _("Your first sign-in:"), "join": _("Sign in, then join at:"),
            "code": _("Workshop code: %(code)s", code=workshop.join_code)}


def participant_card(member: Member, workshop: Workshop, welcome_url: str | None
                     ) -> ParticipantCard:
    return ParticipantCard(member, welcome_url,
                           in_each_language(card_languages(member, workshop),
                                            lambda: card_words(workshop)))
