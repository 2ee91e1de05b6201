"""Whole pages for anonymous readers, rendered once per chapter and language and then reused.

Reading needs no account, and most readers are anonymous: their chapter page is the same for all,
so it is rendered on the first request and served from memory afterwards (with an ETag, so a
reader on a slow line who comes back gets a tiny 304). Nothing personal is ever stored here.
"""
from __future__ import annotations

import hashlib
from typing import Callable

from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

MAX_ENTRIES = 512


def is_cacheable_request() -> bool:
    return not current_user.is_authenticated and "_flashes" not in session


def cached_page(key: tuple, render: Callable[[], str]) -> Response:
    """The page for key, from memory when the reader is anonymous; rendered afresh otherwise."""
    if not is_cacheable_request():
        return Response(render())
    cache: dict = current_app.extensions.setdefault("emm_page_cache", {})
    full_key = (str(get_locale()),) + key
    entry = cache.get(full_key)
    if entry is None:
        body = render().encode()
        entry = (body, hashlib.blake2b(body, digest_size=12).hexdigest())
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        cache[full_key] = entry
    body, etag = entry
    response = Response(body, content_type="text/html; charset=utf-8")
    response.set_etag(etag)
    response.vary.update(("Cookie", "Accept-Language"))
    return response.make_conditional(request)
