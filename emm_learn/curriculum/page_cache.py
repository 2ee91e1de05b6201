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

from urllib.parse import parse_qsl, urlencode

from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.http import parse_cookie

from ..i18n import LANGUAGE_COOKIE, LANGUAGE_PARAMETER, anonymous_language

MAX_ENTRIES = 512
PERSONAL_COOKIES = ("session=", "remember_token=")
# The only query parameters a cached page may depend on: the page language, and the two
# languages of the side-by-side page. Any other query string is rendered afresh.
CACHEABLE_PARAMETERS = frozenset({LANGUAGE_PARAMETER, "left", "right"})


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
    """Pages by (language, path and cacheable query); shared by the Flask view and the WSGI layer."""

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


def page_key(path: str, query_string: str) -> str | None:
    """The page's address as the store knows it (query sorted), or None when not cacheable."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names) or not set(names) <= CACHEABLE_PARAMETERS:
        return None
    return path + ("?" + urlencode(sorted(pairs)) if pairs else "")


def is_cacheable_request() -> bool:
    return (not current_user.is_authenticated and "_flashes" not in session
            and page_key(request.path, request.query_string.decode("latin-1")) is not None)


def cached_page(render: Callable[[], str]) -> Response:
    """The page at this path, from memory when the reader is anonymous; rendered afresh otherwise."""
    if not is_cacheable_request():
        return Response(render())
    # The key holds the page language (query, cookie or browser) and the query it depends on.
    language, store = str(get_locale()), page_store()
    key = page_key(request.path, request.query_string.decode("latin-1"))
    page = store.get(language, key)
    if page is None:
        page = CachedPage.of(render().encode())
        store.put(language, key, page)
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
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        if any(name in cookies for name in PERSONAL_COOKIES):
            return None
        query = environ.get("QUERY_STRING", "")
        key = page_key(environ.get("PATH_INFO", ""), query)
        if key is None:
            return None
        # The same choice as i18n.select_locale makes for a reader without an account.
        language = anonymous_language(self.languages, dict(parse_qsl(query)).get(LANGUAGE_PARAMETER),
                                      parse_cookie(cookies).get(LANGUAGE_COOKIE),
                                      environ.get("HTTP_ACCEPT_LANGUAGE"))
        return self.store.get(language, key)


def init_app(app, content_reloads: bool) -> None:
    from ..security import add_security_headers_to
    app.extensions["emm_page_store"] = PageStore()
    if not content_reloads:  # in development, every request must pass the reload check
        app.wsgi_app = AnonymousPageCache(app, app.wsgi_app, add_security_headers_to)
