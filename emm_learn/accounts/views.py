"""Sign-in, sign-out, registration, password change and the first administrator's set-up link."""
from __future__ import annotations

from flask import (Blueprint, Flask, abort, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..extensions import db, login_manager
from ..guards import login_required, public
from ..security import safe_next_path
from ..validation import Invalid
from . import services
from .models import User

bp = Blueprint("accounts", __name__, template_folder="templates")

# Views a user who must change a temporary password may still reach.
OPEN_DURING_PASSWORD_CHANGE = {"accounts.change_password", "accounts.sign_out", "static"}


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = None
    app.before_request(require_password_change)


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.is_active else None


def require_password_change():
    if current_user.is_authenticated and current_user.must_change_password \
            and request.endpoint not in OPEN_DURING_PASSWORD_CHANGE:
        return redirect(url_for("accounts.change_password", next=request.full_path.rstrip("?")))
    return None


def client_address() -> str:
    return request.remote_addr or "unknown"


def start_session(user: User, remember: bool) -> None:
    """A new session for a new sign-in: nothing of the anonymous session carries over."""
    kept = {key: session[key] for key in ("draft_return",) if key in session}
    session.clear()
    session.update(kept)
    login_user(user, remember=remember)


@bp.route("/account/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    next_path = safe_next_path(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path)
    if request.method == "GET":
        return render_template("accounts/sign_in.html", next=next_path, email="")
    email = request.form.get("email", "")[:254]
    password = request.form.get("password", "")
    try:
        user = services.authenticate(email, password, client_address())
    except services.Throttled:
        db.session.commit()
        error = _("Too many failed attempts. Wait a few minutes, then try again.")
        return render_template("accounts/sign_in.html", next=next_path, email=email,
                               error=error), 429
    if user is None:
        db.session.commit()
        error = _("The e-mail address or the password is not correct.")
        return render_template("accounts/sign_in.html", next=next_path, email=email,
                               error=error), 401
    db.session.commit()
    start_session(user, remember=request.form.get("remember") == "yes")
    if user.must_change_password:
        return redirect(url_for("accounts.change_password", next=next_path))
    return redirect(next_path)


@bp.route("/account/sign-out", methods=["POST"])
@public
def sign_out():
    if current_user.is_authenticated:
        services.end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("curriculum.home"))


# Other domains may let people register on the way to a page they were invited to (a workshop's
# join link), even while open registration is off: each is a test of the path they go on to.
REGISTRATION_INVITATIONS: list = []


def welcome_new_account(user: User, next_path: str):
    """A new account, or one whose owner just chose its first password: save, sign in, go on."""
    db.session.commit()
    start_session(user, remember=False)
    flash(_("Welcome, %(name)s. Your account is ready.", name=user.display_name), "success")
    return redirect(next_path)


@bp.route("/account/register", methods=["GET", "POST"])
@public
def register():
    next_path = safe_next_path(request.values.get("next"))
    invited = any(accepts(next_path) for accepts in REGISTRATION_INVITATIONS)
    if not services.registration_open() and not invited:
        return render_template("accounts/registration_closed.html"), 403
    if current_user.is_authenticated:
        return redirect(url_for("curriculum.home"))
    form = {"email": "", "display_name": ""}
    if request.method == "POST":
        form = {key: request.form.get(key, "") for key in form}
        try:
            user = services.create_user(form["email"], form["display_name"],
                                        request.form.get("password", ""))
        except Invalid as invalid:
            return render_template("accounts/register.html", form=form, errors=invalid.errors,
                                   next=next_path), 400
        return welcome_new_account(user, next_path)
    return render_template("accounts/register.html", form=form, errors={}, next=next_path)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    next_path = safe_next_path(request.values.get("next"))
    if request.method == "POST":
        try:
            services.change_password(current_user, request.form.get("current_password", ""),
                                     request.form.get("new_password", ""),
                                     request.form.get("confirm_password", ""))
        except Invalid as invalid:
            return render_template("accounts/change_password.html", errors=invalid.errors,
                                   next=next_path), 400
        db.session.commit()
        # The old session ended with the token; this device continues under the new one.
        start_session(current_user._get_current_object(), remember=False)
        flash(_("Your password has been changed. Other devices have been signed out."), "success")
        return redirect(next_path)
    return render_template("accounts/change_password.html", errors={}, next=next_path)


@bp.route("/account/welcome/<int:user_id>/<token>", methods=["GET", "POST"])
@public
def welcome(user_id: int, token: str):
    """The personal link on a workshop participant's card: choose a password, and you're in."""
    next_path = safe_next_path(request.values.get("next"))
    user = services.user_for_welcome(user_id, token)
    if user is None:
        return render_template("accounts/welcome.html", user=None, errors={}, next=next_path), 404
    if request.method == "POST":
        try:
            services.choose_first_password(user, request.form.get("new_password", ""),
                                           request.form.get("confirm_password", ""))
        except Invalid as invalid:
            return render_template("accounts/welcome.html", user=user, errors=invalid.errors,
                                   next=next_path), 400
        return welcome_new_account(user, next_path)
    return render_template("accounts/welcome.html", user=user, errors={}, next=next_path)


@bp.route("/setup/<token>", methods=["GET", "POST"])
@public
def first_admin(token: str):
    if not services.setup_token_valid(token):
        abort(404)
    form = {"email": "", "display_name": ""}
    if request.method == "POST":
        form = {key: request.form.get(key, "") for key in form}
        try:
            user = services.create_first_admin(token, form["email"], form["display_name"],
                                               request.form.get("password", ""))
        except Invalid as invalid:
            return render_template("accounts/setup.html", form=form, errors=invalid.errors,
                                   token=token), 400
        db.session.commit()
        start_session(user, remember=False)
        flash(_("You are the first administrator of this EMM Learn."), "success")
        return redirect(url_for("admin.users"))
    return render_template("accounts/setup.html", form=form, errors={}, token=token)
