"""Account rules: creating users, passwords, signing in with throttling, roles and set-up links."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..validation import Invalid, require_length
from .models import ROLES, SetupToken, SignInAttempt, SiteSetting, User, new_session_token, utcnow

PASSWORD_MIN = 10
PASSWORD_MAX = 1024  # long passphrases are welcome; this only bounds the hashing work
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Checked against when an account does not exist, so that both cases cost the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-" + secrets.token_hex(8))


class Throttled(Exception):
    """Too many failed sign-ins for this account or address in the current window."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(path.read_text(encoding="utf-8").split())


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < PASSWORD_MIN:
        return _("Use at least %(n)d characters; a few words make a good passphrase.", n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return _("Use at most %(n)d characters.", n=PASSWORD_MAX)
    if password.lower() in common_passwords() or (email and password.lower() == email.lower()):
        return _("This password is too common. Choose something harder to guess.")
    return None


def hash_password(password: str) -> str:
    # scrypt with Werkzeug's default cost; the test suite lowers the cost to run faster.
    return generate_password_hash(password, method=current_app.config["EMM_PASSWORD_HASH_METHOD"])


def create_user(email: str, display_name: str, password: str, role: str = "learner",
                must_change_password: bool = False) -> User:
    """Create an account after checking every field; raises Invalid with messages per field."""
    email, display_name = normalise_email(email), display_name.strip()
    errors: dict[str, str] = {}
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        errors["email"] = _("Enter a valid e-mail address.")
    require_length(errors, "display_name", display_name, 100,
                   _("Enter your name (at most 100 characters)."))
    if problem := password_problem(password, email):
        errors["password"] = problem
    if role not in ROLES:
        errors["role"] = _("Unknown role.")
    if not errors and db.session.scalar(select(User.id).where(User.email == email)):
        errors["email"] = _("An account with this e-mail address already exists.")
    if errors:
        raise Invalid(errors)
    user = User(email=email, display_name=display_name, password_hash=hash_password(password),
                role=role, must_change_password=must_change_password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user if the password is right; None otherwise. Raises Throttled when locked out."""
    account_key = normalise_email(email)[:254]
    if is_throttled(account_key, address):
        raise Throttled()
    user = db.session.scalar(select(User).where(User.email == account_key))
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password[:PASSWORD_MAX])
    if user is None or not password_ok or not user.is_active:
        db.session.add(SignInAttempt(account_key=account_key, address=address[:64]))
        return None
    db.session.execute(delete(SignInAttempt).where(SignInAttempt.account_key == account_key))
    user.last_sign_in_at = utcnow()
    return user


def is_throttled(account_key: str, address: str) -> bool:
    config = current_app.config
    since = utcnow() - timedelta(seconds=config["EMM_SIGN_IN_WINDOW_SECONDS"])
    failures = lambda column, value: db.session.scalar(  # noqa: E731
        select(func.count()).select_from(SignInAttempt)
        .where(column == value, SignInAttempt.attempted_at >= since))
    return (failures(SignInAttempt.account_key, account_key) >= config["EMM_SIGN_IN_ACCOUNT_LIMIT"]
            or failures(SignInAttempt.address, address) >= config["EMM_SIGN_IN_ADDRESS_LIMIT"])


def end_all_sessions(user: User) -> None:
    """Every session and remember-me cookie of this user stops working."""
    user.session_token = new_session_token()


def change_password(user: User, current: str, new: str, confirm: str) -> None:
    errors: dict[str, str] = {}
    if not user.must_change_password and not check_password_hash(user.password_hash, current):
        errors["current_password"] = _("Your current password is not correct.")
    if problem := password_problem(new, user.email):
        errors["new_password"] = problem
    elif new != confirm:
        errors["confirm_password"] = _("The two new passwords are not the same.")
    elif check_password_hash(user.password_hash, new):
        errors["new_password"] = _("Choose a password different from the current one.")
    if errors:
        raise Invalid(errors)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    end_all_sessions(user)


# -- accounts an organiser created for someone (workshop participant lists) -----------------------
def create_invited_user(email: str, display_name: str) -> User:
    """An account with a password nobody knows; its owner chooses one through a welcome link."""
    user = create_user(email, display_name, secrets.token_urlsafe(24), must_change_password=True)
    return user


def welcome_token(user: User) -> str | None:
    """The personal link's secret, for accounts whose owner has never signed in. It stops working
    once a password is chosen, because it is derived from the current password hash."""
    if not user.must_change_password or user.last_sign_in_at is not None or not user.is_active:
        return None
    key = current_app.config["SECRET_KEY"].encode()
    message = f"welcome:{user.id}:{user.password_hash}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def user_for_welcome(user_id: int, token: str) -> User | None:
    user = db.session.get(User, user_id)
    expected = welcome_token(user) if user else None
    return user if expected and hmac.compare_digest(expected, token) else None


def choose_first_password(user: User, new: str, confirm: str) -> None:
    if problem := password_problem(new, user.email):
        raise Invalid({"new_password": problem})
    if new != confirm:
        raise Invalid({"confirm_password": _("The two new passwords are not the same.")})
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.last_sign_in_at = utcnow()
    end_all_sessions(user)


def set_temporary_password(user: User, password: str) -> None:
    """An administrator's reset: the user must choose a new password at the next sign-in."""
    if problem := password_problem(password, user.email):
        raise Invalid({"password": problem})
    user.password_hash = hash_password(password)
    user.must_change_password = True
    end_all_sessions(user)


def set_role(user: User, role: str, acting_admin: User) -> None:
    if role not in ROLES:
        raise Invalid({"role": _("Unknown role.")})
    if user.id == acting_admin.id and role != "admin":
        raise Invalid({"role": _("You cannot remove your own administrator role.")})
    user.role = role


def set_active(user: User, is_active: bool, acting_admin: User) -> None:
    if user.id == acting_admin.id and not is_active:
        raise Invalid({"is_active": _("You cannot deactivate your own account.")})
    user.is_active = is_active
    if not is_active:
        end_all_sessions(user)


def registration_open() -> bool:
    setting = db.session.get(SiteSetting, "registration_open")
    return setting is not None and setting.value == "yes"


def set_registration_open(is_open: bool) -> None:
    setting = db.session.get(SiteSetting, "registration_open") or SiteSetting(key="registration_open")
    setting.value = "yes" if is_open else "no"
    db.session.add(setting)


def has_users() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is not None


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


SETUP_LINK_LIFETIME = timedelta(hours=24)


def create_setup_token() -> str:
    """A fresh set-up token (only its hash is stored). Every process that starts on an empty
    database prints one; the first administrator created makes all of them useless."""
    raw = secrets.token_urlsafe(32)
    db.session.add(SetupToken(token_hash=_hash_token(raw)))
    return raw


def setup_token_valid(raw: str) -> bool:
    token = db.session.scalar(select(SetupToken).where(SetupToken.token_hash == _hash_token(raw)))
    return (token is not None and token.used_at is None
            and token.created_at > utcnow() - SETUP_LINK_LIFETIME and not has_users())


def create_first_admin(raw: str, email: str, display_name: str, password: str) -> User:
    if not setup_token_valid(raw):
        raise Invalid({"token": _("This set-up link has already been used or is not valid.")})
    user = create_user(email, display_name, password, role="admin")
    token = db.session.scalar(select(SetupToken).where(SetupToken.token_hash == _hash_token(raw)))
    token.used_at, token.used_by_id = utcnow(), user.id
    return user


def user_list() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.display_name, User.id)))
