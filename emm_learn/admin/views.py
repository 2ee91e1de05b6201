"""Administrators manage accounts and open or close registration. Thin views over account rules."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import services as accounts
from ..accounts.models import ROLES, User
from ..extensions import db
from ..guards import admin_required
from ..validation import Invalid

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def render_users(errors: dict | None = None, form: dict | None = None, status: int = 200):
    role_names = {"learner": _("Learner"), "trainer": _("Trainer"), "admin": _("Administrator")}
    return render_template("admin/users.html", users=accounts.user_list(), roles=ROLES,
                           role_names=role_names,
                           registration_open=accounts.registration_open(), errors=errors or {},
                           form=form or {"email": "", "display_name": "", "role": "learner"}), status


@bp.route("/users")
@admin_required
def users():
    return render_users()


@bp.route("/users", methods=["POST"])
@admin_required
def create_user():
    form = {key: request.form.get(key, "") for key in ("email", "display_name", "role")}
    try:
        user = accounts.create_user(form["email"], form["display_name"],
                                    request.form.get("password", ""), role=form["role"],
                                    must_change_password=True)
    except Invalid as invalid:
        return render_users(invalid.errors, form, 400)
    db.session.commit()
    flash(_("Account created for %(name)s. They choose their own password at first sign-in.",
            name=user.display_name), "success")
    return redirect(url_for("admin.users"))


def target_user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def change_role(user_id: int):
    return apply(lambda user: accounts.set_role(user, request.form.get("role", ""), current_user),
                 user_id, _("Role changed."))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_required
def change_active(user_id: int):
    is_active = request.form.get("is_active") == "yes"
    message = _("Account reactivated.") if is_active else _("Account deactivated; its sessions ended.")
    return apply(lambda user: accounts.set_active(user, is_active, current_user), user_id, message)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_required
def temporary_password(user_id: int):
    return apply(lambda user: accounts.set_temporary_password(user, request.form.get("password", "")),
                 user_id, _("Temporary password set. The user must change it at the next sign-in."))


def apply(change, user_id: int, success: str):
    user = target_user(user_id)
    try:
        change(user)
    except Invalid as invalid:
        db.session.rollback()
        return render_users({f"user-{user_id}": " ".join(invalid.errors.values())}, status=400)
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("admin.users", _anchor=f"user-{user_id}"))


@bp.route("/settings/registration", methods=["POST"])
@admin_required
def registration():
    accounts.set_registration_open(request.form.get("open") == "yes")
    db.session.commit()
    flash(_("Registration is now open.") if accounts.registration_open()
          else _("Registration is now closed."), "success")
    return redirect(url_for("admin.users"))
