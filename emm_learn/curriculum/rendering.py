"""Markdown to HTML for curriculum files (trusted text written by the project's authors)."""
from __future__ import annotations

import html
import re
import threading

import markdown

_EXTENSIONS = ["tables", "sane_lists", "smarty"]
_TAG = re.compile(r"<[^>]+>")
_local = threading.local()


def _converter() -> markdown.Markdown:
    # Building a converter costs more than converting a paragraph: keep one per thread.
    if not hasattr(_local, "converter"):
        _local.converter = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
    return _local.converter


def render_markdown(text: str) -> str:
    """Render curriculum markdown to an HTML fragment."""
    converter = _converter()
    try:
        return converter.convert(text)
    finally:
        converter.reset()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, for search, word counts and summaries."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", fragment))).strip()
