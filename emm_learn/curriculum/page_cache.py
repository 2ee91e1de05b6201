"""Whole pages for anonymous readers, rendered once per page and language, then reused.

Reading needs no account and most readers are anonymous: their chapter page is the same for all.
The first request renders it through Flask; the bytes (plain and gzipped) and an ETag are kept here.
Afterwards a small WSGI layer in front of Flask answers anonymous requests for those pages straight
from memory, the way a caching proxy would: no session, no database, no template. A reader on a
slow line gets the gzipped page, and a 304 when coming back. Nothing personal is ever stored.
"""
from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass
from typing import Callable

from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

MAX_ENTRIES = 512
PERSONAL_COOKIES = ("session=", "remember_token=")


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    gzipped: bytes
    etag: str

    @classmethod
    def of(cls, body: bytes) -> "CachedPage":
        return cls(body, gzip.compress(body, 6, mtime=0),
                   hashlib.blake2b(body, digest_size=12).hexdigest())


class PageStore:
    """Pages by (language, path); shared by the Flask view and the WSGI layer."""

    def __init__(self):
        self.pages: dict[tuple[str, str], CachedPage] = {}
        self.lock = threading.Lock()

    def get(self, language: str, path: str) -> CachedPage | None:
        return self.pages.get((language, path))

    def put(self, language: str, path: str, page: CachedPage) -> None:
        with self.lock:
            if len(self.pages) >= MAX_ENTRIES:
                self.pages.clear()
            self.pages[(language, path)] = page

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


def page_store() -> PageStore:
    return current_app.extensions["emm_page_store"]


def is_cacheable_request() -> bool:
    return (not current_user.is_authenticated and "_flashes" not in session
            and not request.query_string)


def cached_page(render: Callable[[], str]) -> Response:
    """The page at this path, from memory when the reader is anonymous; rendered afresh otherwise."""
    if not is_cacheable_request():
        return Response(render())
    language, store = str(get_locale()), page_store()
    page = store.get(language, request.path)
    if page is None:
        page = CachedPage.of(render().encode())
        store.put(language, request.path, page)
    return page_response(page, request.headers.get("Accept-Encoding", ""),
                         request.headers.get("If-None-Match", ""))


def page_response(page: CachedPage, accept_encoding: str, if_none_match: str) -> Response:
    if f'"{page.etag}"' in if_none_match:
        response = Response(status=304)
    elif "gzip" in accept_encoding:
        response = Response(page.gzipped, content_type="text/html; charset=utf-8")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(page.body, content_type="text/html; charset=utf-8")
    response.headers["ETag"] = f'"{page.etag}"'
    response.headers["Vary"] = "Cookie, Accept-Language, Accept-Encoding"
    return response


class AnonymousPageCache:
    """WSGI layer: answers cookie-less GETs of pages already in the store, before Flask runs."""

    def __init__(self, app, wsgi_app, headers: Callable[[Response], Response]):
        self.app, self.wsgi_app, self.add_headers = app, wsgi_app, headers
        self.languages = app.config["EMM_LANGUAGES"]
        self.store: PageStore = app.extensions["emm_page_store"]

    def __call__(self, environ, start_response):
        page = self.lookup(environ)
        if page is None:
            return self.wsgi_app(environ, start_response)
        response = page_response(page, environ.get("HTTP_ACCEPT_ENCODING", ""),
                                 environ.get("HTTP_IF_NONE_MATCH", ""))
        self.add_headers(response)
        return response(environ, start_response)

    def lookup(self, environ) -> CachedPage | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        if any(name in cookies for name in PERSONAL_COOKIES):
            return None
        accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
        language = accepted.best_match(self.languages) or self.languages[0]
        return self.store.get(language, environ.get("PATH_INFO", ""))


def init_app(app, content_reloads: bool) -> None:
    from ..security import add_security_headers_to
    app.extensions["emm_page_store"] = PageStore()
    if not content_reloads:  # in development, every request must pass the reload check
        app.wsgi_app = AnonymousPageCache(app, app.wsgi_app, add_security_headers_to)
