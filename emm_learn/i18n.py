"""Languages: which one a page is in, and how a reader chooses it.

The page language is, in order: an explicit ``?lang=xx`` on the address (that page only, the
remembered choice is unchanged), the signed-in account's language, the language cookie set by the
switcher (anonymous readers), the browser's Accept-Language, English. It is the interface
language (``<html lang>``) and the language the curriculum is shown in, with English as fallback
for what is not translated yet.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from babel import Locale, dates, numbers
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale, lazy_gettext as _l
from flask_login import current_user, user_logged_in
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from .catalogs import compile_stale_catalogs
from .extensions import babel, db

LANGUAGE_COOKIE = "emm_language"
LANGUAGE_PARAMETER = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
# Each language's name in its own language: what a reader looks for in a switcher.
AUTONYMS = {"en": "English", "es": "Español", "fr": "Français"}
LANGUAGE_NAMES = {"en": _l("English"), "es": _l("Spanish"), "fr": _l("French")}


def language_name(code: str) -> str:
    """The language's name in the page's language ('Spanish', once translated 'español')."""
    return str(LANGUAGE_NAMES.get(code, code))


def anonymous_language(languages, explicit: str | None, cookie: str | None,
                       accept_language: str | None) -> str:
    """The language of a page for a reader without an account (also used by the page cache)."""
    for choice in (explicit, cookie):
        if choice in languages:
            return choice
    accepted = parse_accept_header(accept_language, LanguageAccept)
    return accepted.best_match(languages) or languages[0]


def select_locale() -> str:
    languages = current_app.config["EMM_LANGUAGES"]
    if not has_request_context():  # command line, background work
        return languages[0]
    explicit = request.args.get(LANGUAGE_PARAMETER)
    if explicit in languages:
        return explicit
    preferred = getattr(current_user, "locale", None) if current_user else None
    if preferred in languages:
        return preferred
    return anonymous_language(languages, None, request.cookies.get(LANGUAGE_COOKIE),
                              request.headers.get("Accept-Language"))


def page_language() -> str:
    return str(get_locale())


def address_in(language: str | None) -> str:
    """This page's address with ?lang=language (None: without it), other parameters kept."""
    pairs = sorted((k, v) for k, v in request.args.items(multi=True) if k != LANGUAGE_PARAMETER)
    if language:
        pairs.append((LANGUAGE_PARAMETER, language))
    return request.path + ("?" + urlencode(pairs) if pairs else "")


def remember_choice(response, language: str) -> None:
    """The switcher's choice, kept in a cookie that holds nothing else (cached pages stay shared)."""
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=COOKIE_MAX_AGE, path="/",
                        httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))


def copy_cookie_choice_to_account(app, user, **_) -> None:
    """At sign-in, a language chosen before signing in becomes the account's, if it has none."""
    chosen = request.cookies.get(LANGUAGE_COOKIE) if has_request_context() else None
    if getattr(user, "locale", None) or chosen not in app.config["EMM_LANGUAGES"]:
        return
    user.locale = chosen
    db.session.commit()


# Formats follow the page language; English is formatted the British way (23 Nov 2026, 14:30),
# like the rest of the English interface.
FORMAT_LOCALES = {"en": "en_GB"}


def formatting_locale() -> str:
    language = page_language() if has_request_context() else "en"
    return FORMAT_LOCALES.get(language, language)


def as_date(value):
    return value.date() if isinstance(value, datetime) else value


def format_day(value) -> str:
    """A date in the page's language: 23 Nov 2026 / 23 nov 2026 / 23 nov. 2026."""
    return dates.format_date(as_date(value), "medium", locale=formatting_locale()) if value else ""


def format_clock(value, seconds: bool = False) -> str:
    """A wall-clock time (14:30). Times are shown as stored: workshop times are already local to
    the venue and record times are UTC (the templates say so), so nothing is converted."""
    width = "medium" if seconds else "short"
    return dates.format_time(value, width, locale=formatting_locale()) if value else ""


def format_moment(value, seconds: bool = False) -> str:
    """A date and time in the language's own order and punctuation."""
    if not value:
        return ""
    pattern = Locale.parse(formatting_locale()).datetime_formats["medium"]
    return str(pattern).replace("{1}", format_day(value)).replace("{0}",
                                                                 format_clock(value, seconds))


def format_count(value, pattern: str | None = None) -> str:
    """A number with the language's grouping and decimal marks (1,234.5 / 1.234,5 / 1 234,5)."""
    return numbers.format_decimal(value, pattern, locale=formatting_locale())


def format_share(value) -> str:
    """A fraction as a percentage in the language's style (42% / 42 % / 42 %)."""
    return numbers.format_percent(value, locale=formatting_locale())


def init_app(app: Flask) -> None:
    compile_stale_catalogs()
    babel.init_app(app, locale_selector=select_locale)
    user_logged_in.connect(copy_cookie_choice_to_account, app)
    app.jinja_env.globals.update(language_name=language_name, autonyms=AUTONYMS,
                                 page_language=page_language, address_in=address_in)
    app.jinja_env.filters.update(day=format_day, clock=format_clock, moment=format_moment,
                                 share=format_share)
