"""Response headers for every page, and the one rule for where a redirect may go."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import csrf

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    app.before_request(raise_upload_limit)  # before CSRF protection reads the form
    csrf.init_app(app)
    if app.config.get("EMM_BEHIND_PROXY"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.after_request(add_security_headers)


def accepts_uploads(max_bytes: int):
    """Lets one view receive files larger than the site-wide request limit (MAX_CONTENT_LENGTH)."""
    def mark(view):
        view.max_upload_bytes = max_bytes
        return view
    return mark


def raise_upload_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "max_upload_bytes", None)
    if limit:
        request.max_content_length = limit


def add_security_headers(response: Response) -> Response:
    add_security_headers_to(response)
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        # Pages can hold personal data: never let a shared cache keep them.
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def add_security_headers_to(response: Response) -> Response:
    """The headers every response carries, inside or outside a Flask request."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cache-Control", "private, no-cache")
    return response


def safe_next_path(target: str | None, fallback: str = "/") -> str:
    """A redirect target on this site only: one leading slash, no scheme, host or backslash."""
    if not target:
        return fallback
    if any(ord(char) < 32 for char in target) or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def is_same_origin_request() -> bool:
    """The browser says the request comes from a page of this site (Origin, else Referer)."""
    own = request.host_url.rstrip("/")
    origin = request.headers.get("Origin")
    if origin:
        return origin.rstrip("/") == own
    return (request.referrer or "").startswith(own + "/")
