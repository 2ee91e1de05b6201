"""Who may see a view, declared by decorators stacked on it."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

__all__ = ["login_required", "trainer_required", "admin_required", "public"]


def public(view):
    """Marks a view as open to everyone (the access-matrix test reads this mark)."""
    view.is_public = True
    return view


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


trainer_required = role_required("trainer", "admin")
admin_required = role_required("admin")
