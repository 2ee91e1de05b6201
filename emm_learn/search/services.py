"""Searching the curriculum, and keeping the index in step with it.

The index is built from the parsed curriculum at start-up (and by `emm-learn search-index`),
language by language, only when what would be indexed in that language changed: its digest is
kept in `search_index_state`. Requests only read the index, in the page's language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from markupsafe import Markup, escape
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from ..curriculum.library import Curriculum
from ..curriculum.translations import TRANSLATED_LANGUAGES
from ..extensions import db
from .backends import Hit, backend_for
from .indexer import GLOSSARY, MARK_START, MARK_STOP, curriculum_entries, entries_digest
from .models import STATE_TABLE, index_state
from .query import ParsedQuery, parse_query

INDEXED_LANGUAGES = ("en",) + TRANSLATED_LANGUAGES
RESULTS_PER_PAGE = 10
MAX_PAGE = 50
MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")


# -- building the index --------------------------------------------------------------------------
@dataclass(frozen=True)
class IndexOutcome:
    language: str
    is_rebuilt: bool
    entry_count: int
    digest: str


def index_is_installed(engine: Engine) -> bool:
    """False before the search migration has run (a new database is created after start-up)."""
    return inspect(engine).has_table(STATE_TABLE)


def ensure_index(curriculum: Curriculum, language: str = "en", force: bool = False,
                 engine: Engine | None = None) -> IndexOutcome:
    """Rebuild the language's index if the curriculum's entries differ from those it was built
    from (or when forced). Safe when several processes start at once: one rebuilds, the others
    wait for it and find the index up to date."""
    engine = engine or db.engine
    entries = curriculum_entries(curriculum, language)
    digest = entries_digest(entries)
    if not force and stored_digest(engine, language) == digest:
        return IndexOutcome(language, False, len(entries), digest)
    with engine.begin() as connection:
        claim_index(connection, language)
        if not force and read_digest(connection, language, lock=True) == digest:
            return IndexOutcome(language, False, len(entries), digest)
        backend_for(connection.dialect.name).replace_entries(connection, language, entries)
        connection.execute(index_state.update().where(index_state.c.language == language).values(
            content_digest=digest, entry_count=len(entries),
            built_at=datetime.now(timezone.utc).replace(tzinfo=None)))
    return IndexOutcome(language, True, len(entries), digest)


def stored_digest(engine: Engine, language: str) -> str | None:
    with engine.connect() as connection:
        return read_digest(connection, language)


def read_digest(connection: Connection, language: str, lock: bool = False) -> str | None:
    statement = select(index_state.c.content_digest).where(index_state.c.language == language)
    return connection.execute(statement.with_for_update() if lock else statement).scalar()


def claim_index(connection: Connection, language: str) -> None:
    """Take the rebuild lock: a write as the transaction's first statement makes SQLite hand
    out its write lock (others wait for it); on PostgreSQL the row is then locked FOR UPDATE."""
    connection.execute(text(
        f"INSERT INTO {STATE_TABLE} (language, content_digest, entry_count, built_at) "
        "VALUES (:language, '', 0, :now) ON CONFLICT (language) DO NOTHING"),
        {"language": language, "now": datetime.now(timezone.utc).replace(tzinfo=None)})


def build_at_start(app) -> None:
    """Called when the app is created: bring every language's index up to date, if the database
    has the search tables yet (`serve` builds it again right after creating them)."""
    curriculum = app.extensions["emm_curriculum"]
    app.extensions["emm_search_indexed"] = curriculum
    with app.app_context():
        try:
            if not index_is_installed(db.engine):
                app.logger.info("The search index is not built yet: the database needs upgrading.")
                return
            index_every_language(curriculum)
        except OperationalError as error:
            # A database that is down, or busy past the timeout (another process building the
            # same index), must not stop the app from starting; the index stays as it was.
            app.logger.warning("The search index was not brought up to date: %s", error.orig)


def index_every_language(curriculum: Curriculum, force: bool = False) -> list[IndexOutcome]:
    return [ensure_index(curriculum, language, force) for language in INDEXED_LANGUAGES]


# -- searching -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchResult:
    kind: str
    chapter_number: str | None
    anchor: str
    chapter_title: str
    title: Markup
    passage: Markup
    language: str  # of its text: the search's, or "en" where the reader is shown the English

    @property
    def is_glossary(self) -> bool:
        return self.kind == GLOSSARY


@dataclass(frozen=True)
class SearchPage:
    query: ParsedQuery
    results: tuple[SearchResult, ...] = ()
    total: int = 0
    page: int = 1
    is_index_ready: bool = True

    @property
    def page_count(self) -> int:
        return min(MAX_PAGE, -(-self.total // RESULTS_PER_PAGE))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * RESULTS_PER_PAGE + 1


def search(curriculum: Curriculum, raw_query: str | None, page: int = 1,
           language: str = "en") -> SearchPage:
    """One page of results in that language for what the reader typed, best first, with
    matches marked."""
    query = parse_query(raw_query)
    page = max(1, min(page, MAX_PAGE))
    if not query.is_searchable:
        return SearchPage(query, page=page)
    connection = db.session.connection()
    # Checked first: PostgreSQL's configuration for the language exists once it is indexed.
    if read_digest(connection, language) is None:
        return SearchPage(query, page=page, is_index_ready=False)
    backend = backend_for(connection.dialect.name)
    total = backend.count(connection, language, query.terms)
    if not total:
        return SearchPage(query, page=page)
    hits = backend.hits(connection, language, query.terms, RESULTS_PER_PAGE,
                        (page - 1) * RESULTS_PER_PAGE)
    languages = TextLanguages(curriculum, language)
    return SearchPage(query, tuple(result_of(hit, languages(hit)) for hit in hits), total, page)


class TextLanguages:
    """The language of a hit's text, as its page shows it: a chapter or glossary term without a
    translation is in English (its result is then marked, as the page is)."""

    def __init__(self, curriculum: Curriculum, language: str):
        self.curriculum, self.language = curriculum, language
        self.terms = {term.anchor: term.language for term in curriculum.glossary_in(language)}

    def __call__(self, hit: Hit) -> str:
        if hit.kind == GLOSSARY:
            return self.terms.get(hit.anchor, self.language)
        chapter = self.curriculum.chapter(hit.chapter_number, self.language)
        return chapter.language if chapter else self.language


def result_of(hit: Hit, language: str) -> SearchResult:
    return SearchResult(hit.kind, hit.chapter_number, hit.anchor, hit.chapter_title,
                        marked(hit.title), marked(hit.passage), language)


def marked(fragment: str) -> Markup:
    """The database's highlighted text made safe: escape everything, then turn each pair of
    markers into <mark>; a stray marker is dropped. No HTML from the database is trusted."""
    escaped = str(escape(fragment or ""))
    highlighted = MARKED.sub(r"<mark>\1</mark>", escaped)
    return Markup(highlighted.replace(MARK_START, "").replace(MARK_STOP, ""))
