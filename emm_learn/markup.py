"""The one way anything a user writes becomes HTML: markdown, then bleach with a strict allowlist.

Order matters: markdown can itself produce dangerous links, so the HTML is sanitised *after*
rendering and never changed afterwards. Keep every caller on sanitize_markdown() so that the
sanitiser (bleach, or its successor nh3) can be swapped in this one place.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup

SANITIZER_VERSION = 1
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MAX_CACHED_TEXTS = 4096
_local = threading.local()


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in ("href", "title", "rel")
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag in ("th", "td"):
        return name == "align" and value in ("left", "right", "center")
    if tag == "code":
        return name == "class" and value.startswith("language-") and value[9:].isalnum()
    return False


def _safe_links(attrs, new=False):
    """Every link gets rel=nofollow noopener noreferrer. A link that is not http(s) or mailto
    keeps its text but loses its address (relative and scheme-less ones included)."""
    href = attrs.get((None, "href"), "")
    if not href.strip().lower().startswith(("http://", "https://", "mailto:")):
        if new:
            return None
        attrs.pop((None, "href"), None)
        attrs.pop((None, "rel"), None)
        return attrs
    attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


def _cleaner() -> bleach.Cleaner:
    # bleach's Cleaner is not thread-safe: one per thread.
    if not hasattr(_local, "cleaner"):
        _local.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS, attributes=_allowed_attribute, protocols=ALLOWED_PROTOCOLS,
            strip=True, strip_comments=True,
            filters=[lambda source: LinkifyFilter(source, callbacks=[_safe_links],
                                                  skip_tags={"pre", "code"})])
    return _local.cleaner


def _converter() -> markdown.Markdown:
    if not hasattr(_local, "converter"):
        _local.converter = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code"],
                                             output_format="html")
    return _local.converter


def sanitize_html(html: str) -> str:
    """Keep only the allowlisted tags and attributes of an HTML fragment."""
    return _cleaner().clean(html)


@lru_cache(maxsize=MAX_CACHED_TEXTS)
def _render(text: str, version: int) -> str:
    converter = _converter()
    try:
        # Raw HTML typed by a user is shown as text, never passed through: no tag can open
        # without "<". (">" stays, because it starts a markdown block quote.)
        escaped = text.replace("&", "&amp;").replace("<", "&lt;")
        return sanitize_html(converter.convert(escaped))
    finally:
        converter.reset()


def sanitize_markdown(text: str) -> Markup:
    """User markdown as safe HTML (cached by text and sanitiser version)."""
    return Markup(_render(text or "", SANITIZER_VERSION))
