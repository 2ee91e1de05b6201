"""Values every template may use: the page language, the stylesheet's version, site settings."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask
from flask_babel import get_locale

from .markup import sanitize_markdown


def init_app(app: Flask) -> None:
    css = Path(app.static_folder) / "css" / "app.css"
    js = Path(app.static_folder) / "js" / "app.js"
    digest = hashlib.sha256(css.read_bytes() + (js.read_bytes() if js.exists() else b""))
    asset_version = digest.hexdigest()[:10]
    # Static files are addressed by content version, so browsers may keep them for a year.
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 365 * 24 * 3600)

    @app.context_processor
    def template_globals() -> dict:
        from .accounts.services import registration_open
        return {"asset_version": asset_version, "registration_open": registration_open}

    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.filters["user_markdown"] = sanitize_markdown
    app.jinja_env.globals["autosave_messages"] = autosave_messages


def autosave_messages() -> dict:
    """The autosave script's words, translated with the rest of the page."""
    from flask_babel import gettext as _
    return {"saving": _("Saving…"), "saved": _("Saved."), "unsaved": _("Not saved yet."),
            "failed": _("Not saved. Check your connection."), "retry": _("Retry"),
            "compare": _("Compare the two versions"),
            "signIn": _("Sign in again, keeping this text")}
