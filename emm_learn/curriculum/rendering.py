"""Markdown to HTML for curriculum files (trusted text written by the project's authors)."""
from __future__ import annotations

import html
import re
import threading

import markdown

from .manifest import CHAPTER_TITLES

_EXTENSIONS = ["tables", "sane_lists"]
_TAG = re.compile(r"<[^>]+>")
_local = threading.local()
# Existing links, headings and code are left alone when chapter references become links.
_PROTECTED = re.compile(r"(<a\b.*?</a>|<h[1-6]\b.*?</h[1-6]>|<code\b.*?</code>|<pre\b.*?</pre>)",
                        re.S)
_REFERENCE = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(n) for n in sorted(CHAPTER_TITLES, key=len, reverse=True))
    + r")\s+(" + "|".join(re.escape(html.escape(t, quote=False)) for t in
                          sorted(set(CHAPTER_TITLES.values()), key=len, reverse=True)) + r")\b")
CHAPTER_URL = "/chapters/{number}"


def _converter() -> markdown.Markdown:
    # Building a converter costs more than converting a paragraph: keep one per thread.
    if not hasattr(_local, "converter"):
        _local.converter = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
    return _local.converter


def render_markdown(text: str) -> str:
    """Render curriculum markdown to an HTML fragment, linking references to other chapters."""
    converter = _converter()
    try:
        return link_chapter_references(converter.convert(text))
    finally:
        converter.reset()


def link_chapter_references(fragment: str) -> str:
    """'see 3.12 Irregular Migration' becomes a link to that chapter (number and exact title)."""
    def link(match: re.Match) -> str:
        number, title = match.group(1), match.group(2)
        if html.unescape(title) != CHAPTER_TITLES[number]:
            return match.group(0)
        return f'<a class="chapter-ref" href="{CHAPTER_URL.format(number=number)}">{number} {title}</a>'
    parts = _PROTECTED.split(fragment)
    return "".join(part if index % 2 else _REFERENCE.sub(link, part)
                   for index, part in enumerate(parts))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, for search, word counts and summaries."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", fragment))).strip()
