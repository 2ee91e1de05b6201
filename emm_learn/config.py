"""Configuration: defaults, then instance/config.py, then EMM_* and DATABASE_URL from the environment."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from .paths import default_content_dir

LANGUAGES = ("en", "es", "fr")  # page languages: the curriculum is translated into each


def default_instance_path() -> Path:
    return Path(os.environ.get("EMM_INSTANCE_PATH", "instance")).resolve()


def normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use the psycopg 3 driver for both."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def base_settings(instance_path: Path) -> dict:
    behind_proxy = env_flag("EMM_BEHIND_PROXY")
    secure_cookies = env_flag("EMM_SECURE_COOKIES", default=behind_proxy)
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'emm_learn.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "EMM_CONTENT_PATH": str(default_content_dir()),
        "EMM_BEHIND_PROXY": behind_proxy,
        "EMM_LANGUAGES": LANGUAGES,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        # Sessions are signed cookies (no server state), so any number of processes can serve them.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        # The CSRF token lives as long as the session: a learner writing for an hour keeps a valid form.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "EMM_SIGN_IN_ACCOUNT_LIMIT": 5,
        "EMM_SIGN_IN_ADDRESS_LIMIT": 30,
        "EMM_SIGN_IN_WINDOW_SECONDS": 15 * 60,
        "EMM_RELOAD_CONTENT": False,
        "EMM_PASSWORD_HASH_METHOD": "scrypt",
    }


def environment_settings() -> dict:
    settings: dict = {}
    if os.environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    if os.environ.get("EMM_SECRET_KEY"):
        settings["SECRET_KEY"] = os.environ["EMM_SECRET_KEY"]
    if os.environ.get("EMM_CONTENT_PATH"):
        settings["EMM_CONTENT_PATH"] = os.environ["EMM_CONTENT_PATH"]
    return settings


def load_or_create_secret_key(instance_path: Path) -> str:
    """Read instance/secret_key, creating it (readable by the owner only) on first start."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    key = secrets.token_hex(32)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
