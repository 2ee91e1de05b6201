"""Glossary terms linked where they first appear in each section, with their short definition.

Done once, when the curriculum is loaded. The definition sits beside the link, hidden until the
term is hovered or focused (plain CSS, no script), and is the link's accessible description, so
a screen reader announces it. Headings, existing links and code are left alone; where terms
overlap, the longest wins ("irregular migration" before "migration")."""
from __future__ import annotations

import html
import re
from dataclasses import replace

from .model import Chapter, GlossaryTerm

# Regions whose text is never linked: links, headings, code.
_PROTECTING = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"}
_TAG = re.compile(r"(<[^>]+>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")
GLOSSARY_URL = "/glossary#{anchor}"


def short_definition(term: GlossaryTerm) -> str:
    """The first sentence of the definition."""
    first = re.split(r"(?<=[.!?])\s", term.definition, maxsplit=1)[0]
    return first


class TermLinker:
    """Links one language's glossary terms to that language's glossary page."""

    def __init__(self, terms: tuple[GlossaryTerm, ...], glossary_url: str = GLOSSARY_URL):
        self.glossary_url = glossary_url
        self.by_text = {t.term.lower(): t for t in terms}
        ordered = sorted(self.by_text, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(html.escape(t, quote=False)) for t in ordered)
            + r")(?:s|es)?(?![\w-])", re.IGNORECASE) if ordered else None

    def link_section(self, fragment: str, id_prefix: str) -> str:
        """Link the first appearance of each term in one section's HTML."""
        if self.pattern is None:
            return fragment
        seen: set[str] = set()
        depth = 0
        parts = _TAG.split(fragment)
        for index, part in enumerate(parts):
            if index % 2:  # a tag
                name = _TAG_NAME.match(part)
                if name and name[1].lower() in _PROTECTING and not part.endswith("/>"):
                    depth += -1 if part.startswith("</") else 1
                continue
            if depth == 0 and part:
                parts[index] = self.pattern.sub(lambda m: self.link(m, seen, id_prefix), part)
        return "".join(parts)

    def link(self, match: re.Match, seen: set[str], id_prefix: str) -> str:
        term = self.by_text[html.unescape(match.group(1)).lower()]
        if term.anchor in seen:
            return match.group(0)
        seen.add(term.anchor)
        definition_id = f"{id_prefix}-{term.anchor}"
        return (f'<span class="term"><a href="{self.glossary_url.format(anchor=term.anchor)}" '
                f'aria-describedby="{definition_id}">{match.group(0)}</a>'
                f'<span class="term-def" id="{definition_id}" role="tooltip">'
                f'{html.escape(short_definition(term))}</span></span>')


def link_glossary_terms(chapter: Chapter, linker: TermLinker) -> Chapter:
    """The chapter with glossary links in its narrative sections."""
    # A translation's ids differ from the English ones: both can share a side-by-side page.
    language = "" if chapter.language == "en" else chapter.language + "-"
    prefix = "gl-" + language + chapter.number.replace(".", "-")
    sections = tuple(replace(section, html=linker.link_section(section.html,
                                                               f"{prefix}-{section.anchor}"))
                     for section in chapter.sections)
    return replace(chapter, sections=sections)
