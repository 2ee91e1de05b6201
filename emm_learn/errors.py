"""Error pages: a clear message and the right status, never a stack trace or lost text."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

# Fields whose values are never echoed back, even to their author.
SECRET_FIELDS = {"password", "new_password", "current_password", "confirm_password", "csrf_token"}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    # Flask calls the 500 handler for any unhandled exception (tests let them propagate instead).
    app.register_error_handler(InternalServerError, unexpected_error)
    app.register_error_handler(OperationalError, database_busy)


def typed_text() -> list[tuple[str, str]]:
    """What the user submitted (passwords aside), so an error page can hand it back."""
    if request.method != "POST" or request.content_length and request.content_length > \
            (request.max_content_length or 0):
        return []
    return [(name, value) for name, value in request.form.items(multi=True)
            if name not in SECRET_FIELDS and value.strip()]


def csrf_error(error: CSRFError):
    from flask_login import current_user
    from .security import is_same_origin_request
    # A worksheet sent from this site after the session ended: the token died with the session,
    # so keep the text until its author signs in again, instead of refusing it.
    if request.blueprint == "worksheets" and not current_user.is_authenticated \
            and is_same_origin_request():
        from .worksheets.views import keep_text_until_sign_in
        return keep_text_until_sign_in()
    message = _("This form has expired or was not sent from this site, so nothing was saved. "
                "Your text is below: copy it, reload the page and send it again.")
    return render_template("errors/error.html", status=400, title=_("Form not accepted"),
                           message=message, typed=typed_text()), 400


def http_error(error: HTTPException):
    titles = {
        400: _("Bad request"), 403: _("Not allowed"), 404: _("Page not found"),
        405: _("Method not allowed"), 413: _("Too much data"), 429: _("Too many requests"),
        503: _("Busy, please retry"),
    }
    messages = {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("There is no page at this address."),
        405: _("This address does not accept that kind of request."),
        413: _("What you sent is larger than this site accepts."),
        429: _("Too many requests in a short time. Please wait a moment and try again."),
        503: _("The site is busy. Please try again in a moment."),
    }
    status = error.code or 500
    response = render_template("errors/error.html", status=status,
                               title=titles.get(status, _("Error")),
                               message=messages.get(status, error.description),
                               typed=typed_text() if status != 413 else [])
    return response, status, dict(error.get_headers()) if status == 503 else {}


def unexpected_error(error: InternalServerError):
    return render_template("errors/error.html", status=500, title=_("Something went wrong"),
                           message=_("An unexpected error occurred. It has been logged."),
                           typed=typed_text()), 500


def database_busy(error: OperationalError):
    """SQLite could not get its write lock in time: ask the client to retry; keep the text."""
    if "locked" not in str(error.orig).lower() and "busy" not in str(error.orig).lower():
        raise error
    from .extensions import db
    db.session.rollback()
    busy = ServiceUnavailable()
    busy.retry_after = 2
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return {"status": "busy", "message": _("The site is busy. Please try again in a moment.")}, \
            503, {"Retry-After": "2"}
    return http_error(busy)
