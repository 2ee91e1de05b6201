"""Languages: the locale comes from the user's preference, else the browser's."""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_login import current_user

from .extensions import babel


def select_locale() -> str:
    languages = current_app.config["EMM_LANGUAGES"]
    if not has_request_context():  # command line, background work
        return languages[0]
    preferred = getattr(current_user, "locale", None) if current_user else None
    if preferred in languages:
        return preferred
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
