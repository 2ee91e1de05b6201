"""What the reader typed, turned into search terms; never handed to a database as query syntax.

Words are runs of letters and digits; everything else separates them. "Double quotes" (straight
or curly) make a phrase, a word joined by hyphens or apostrophes ("non-refoulement") is a phrase
of its parts, and a trailing star (migra*) matches the beginning of a word. All terms must match.
Each backend writes the terms in its own syntax from these parts alone, so no character the
reader typed reaches FTS5's MATCH or PostgreSQL's tsquery grammar.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARACTERS = 200
MAX_WORDS = 16
MIN_PREFIX_LENGTH = 2  # "a*" would match nearly every entry

WORD = re.compile(r"[^\W_]+")
QUOTES = re.compile(r'["“”„«»]')
# A piece of the query outside quotes: a word, possibly hyphenated, possibly ending in a star.
CHUNK = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*\*?")


@dataclass(frozen=True)
class Term:
    """One or more words that must appear together, in this order; the last may be a prefix."""
    words: tuple[str, ...]
    is_prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[Term, ...]
    problem: str | None  # empty, no_words, too_long, too_many_words

    @property
    def is_searchable(self) -> bool:
        return self.problem is None


def parse_query(raw: str | None) -> ParsedQuery:
    """The terms of a query, or the reason there are none to search for."""
    text = unicodedata.normalize("NFC", raw or "").strip()
    if not text:
        return ParsedQuery(text, (), "empty")
    if len(text) > MAX_QUERY_CHARACTERS:
        return ParsedQuery(text, (), "too_long")
    terms = tuple(term for term in split_terms(text.lower()) if term.words)
    if not terms:
        return ParsedQuery(text, (), "no_words")
    if sum(len(term.words) for term in terms) > MAX_WORDS:
        return ParsedQuery(text, terms, "too_many_words")
    return ParsedQuery(text, terms, None)


def split_terms(text: str) -> list[Term]:
    """Quoted stretches become phrases; the rest is cut into words and hyphenated phrases."""
    terms: list[Term] = []
    for position, stretch in enumerate(QUOTES.split(text)):
        inside_quotes = position % 2 == 1
        if inside_quotes:
            terms.append(phrase(stretch))
        else:
            terms.extend(phrase(chunk) for chunk in CHUNK.findall(stretch))
    return terms


def phrase(chunk: str) -> Term:
    words = tuple(WORD.findall(chunk))
    is_prefix = chunk.rstrip().endswith("*") and bool(words) \
        and len(words[-1]) >= MIN_PREFIX_LENGTH
    return Term(words, is_prefix)
