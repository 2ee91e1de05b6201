"""Markdown to HTML for curriculum files (trusted text written by the project's authors)."""
from __future__ import annotations

import html
import re

import markdown

_EXTENSIONS = ["tables", "sane_lists", "smarty"]
_TAG = re.compile(r"<[^>]+>")


def render_markdown(text: str) -> str:
    """Render curriculum markdown; a fresh converter each call keeps it safe across threads."""
    return markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, for search, word counts and summaries."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", fragment))).strip()
