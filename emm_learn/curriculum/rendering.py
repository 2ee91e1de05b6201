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


def reference_pattern(titles: dict[str, str]) -> re.Pattern:
    """Matches 'number title' for the given chapter titles (English, or a translation's)."""
    return re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(n) for n in sorted(titles, key=len, reverse=True))
        + r")\s+(" + "|".join(re.escape(html.escape(t, quote=False)) for t in
                              sorted(set(titles.values()), key=len, reverse=True)) + r")(?!\w)")


_REFERENCE = reference_pattern(CHAPTER_TITLES)
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


def link_chapter_references(fragment: str, titles: dict[str, str] = CHAPTER_TITLES,
                            pattern: re.Pattern | None = None, query: str = "") -> str:
    """'see 3.12 Irregular Migration' becomes a link to that chapter (number and exact title).

    A translation passes its own titles ('3.12 Migración irregular') and the query that keeps
    the reader in its language ('?lang=es')."""
    pattern = pattern or (_REFERENCE if titles is CHAPTER_TITLES else reference_pattern(titles))

    def link(match: re.Match) -> str:
        number, title = match.group(1), match.group(2)
        if html.unescape(title) != titles[number]:
            return match.group(0)
        href = CHAPTER_URL.format(number=number) + query
        return f'<a class="chapter-ref" href="{href}">{number} {title}</a>'
    parts = _PROTECTED.split(fragment)
    return "".join(part if index % 2 else pattern.sub(link, part)
                   for index, part in enumerate(parts))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, for search, word counts and summaries."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", fragment))).strip()
