"""The two search engines behind one interface: SQLite's FTS5 and PostgreSQL's full-text search.

Each backend writes a parsed query (`query.Term`s: words of letters and digits only) in its own
syntax, fills the index, and returns a page of hits with the matches between the indexer's
markers. Turning markers into <mark> happens later, after escaping (`services.marked`).

Languages: every row has one, and each search reads only its language's rows.
- SQLite: one FTS5 table for all three, tokenized by unicode61 with diacritics removed, then
  Porter. FTS5 has no Spanish or French stemmer; Porter's English rules drop a plural -s and a
  final -e, which also brings together most Spanish and French plurals (migraciones and
  migración, réfugiés and réfugié). Accents never count, in the text or in the query.
- PostgreSQL: each language has its own configuration, `emm_english`, `emm_spanish` and
  `emm_french`: a copy of PostgreSQL's, with unaccent before the language's stemmer. Made while
  indexing (the extension needs a privilege: without it, the copy keeps the accents and a warning
  is logged once).
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from .indexer import MARK_START, MARK_STOP, Entry
from .models import ENTRIES_TABLE, postgres_entries
from .query import Term

logger = logging.getLogger(__name__)

# The languages the index holds, each with PostgreSQL's name for it: the name of its stemmer
# (<name>_stem) and of the configuration ours are copied from (pg_catalog.<name>).
LANGUAGES = {"en": "english", "es": "spanish", "fr": "french"}
PASSAGE_WORDS = 32
# A glossary entry is a short definition whose title is often exactly the query; the chapters
# explain it. Scaling the glossary's score by 0.7 puts the chapter that deals with a term first
# and its definition close behind, on page one. (bm25() is negative: scaling it also worsens it.)
GLOSSARY_FACTOR_SQL = "(CASE WHEN kind = 'glossary' THEN 0.7 ELSE 1.0 END)"


@dataclass(frozen=True)
class Hit:
    kind: str
    chapter_number: str | None
    anchor: str
    chapter_title: str
    title: str  # with markers around matches
    passage: str  # with markers around matches


class SearchBackend(Protocol):
    """What services.py needs from an engine."""

    def replace_entries(self, connection: Connection, language: str,
                        entries: list[Entry]) -> None: ...

    def count(self, connection: Connection, language: str, terms: tuple[Term, ...]) -> int: ...

    def hits(self, connection: Connection, language: str, terms: tuple[Term, ...], limit: int,
             offset: int) -> list[Hit]: ...


class SqliteSearch:
    """FTS5: bm25 ranking with titles weighted above the text, snippet() for the passage."""

    # bm25() weights, in the order of models.FTS5_SEARCHED_COLUMNS.
    WEIGHTS = "10.0, 4.0, 1.0"
    # Each language's rows have a block of rowids of their own, and a search asks FTS5 for its
    # block only. A condition on the (UNINDEXED) language column is checked only after FTS5 has
    # found every match in every language: for "migration", 7.4 ms of CPU against 2.4 ms.
    ROWID_BLOCK_SIZE = 1_000_000

    def rowids(self, language: str) -> dict[str, int]:
        """The language's block of rowids, as the query parameters first and last."""
        first = (list(LANGUAGES).index(language) + 1) * self.ROWID_BLOCK_SIZE
        return {"first": first, "last": first + self.ROWID_BLOCK_SIZE - 1}

    @staticmethod
    def match_expression(terms: tuple[Term, ...]) -> str:
        """'"irregular migration" AND "migra" *': every term a quoted string, so no word is an
        operator (AND, NEAR...) and no character is syntax."""
        written = []
        for term in terms:
            quoted = '"' + " ".join(word.replace('"', '""') for word in term.words) + '"'
            written.append(quoted + (" *" if term.is_prefix else ""))
        return " AND ".join(written)

    def replace_entries(self, connection: Connection, language: str, entries: list[Entry]) -> None:
        # By language, not by block: rows an older version indexed may lie outside the block.
        connection.execute(text(f"DELETE FROM {ENTRIES_TABLE} WHERE language = :language"),
                           {"language": language})
        if entries:
            first = self.rowids(language)["first"]
            connection.execute(text(
                f"INSERT INTO {ENTRIES_TABLE} (rowid, title, chapter_title, body, language, kind, "
                "chapter_number, anchor, position) VALUES (:rowid, :title, :chapter_title, :body, "
                ":language, :kind, :chapter_number, :anchor, :position)"),
                [{**asdict(entry), "rowid": first + entry.position} for entry in entries])

    def count(self, connection: Connection, language: str, terms: tuple[Term, ...]) -> int:
        return connection.execute(text(
            f"SELECT count(*) FROM {ENTRIES_TABLE} WHERE {ENTRIES_TABLE} MATCH :match "
            "AND rowid BETWEEN :first AND :last"),
            {"match": self.match_expression(terms), **self.rowids(language)}).scalar_one()

    def hits(self, connection: Connection, language: str, terms: tuple[Term, ...], limit: int,
             offset: int) -> list[Hit]:
        # Rank and cut the page first: SQLite would otherwise compute highlight() and snippet()
        # for every match before sorting, not just for the page's ten.
        rows = connection.execute(text(
            f"WITH page AS (SELECT rowid AS id, position, "
            f"  bm25({ENTRIES_TABLE}, {self.WEIGHTS}) * {GLOSSARY_FACTOR_SQL} AS score "
            f"  FROM {ENTRIES_TABLE} WHERE {ENTRIES_TABLE} MATCH :match "
            "  AND rowid BETWEEN :first AND :last "
            "  ORDER BY score, position LIMIT :limit OFFSET :offset) "
            f"SELECT kind, chapter_number, anchor, chapter_title, "
            f"highlight({ENTRIES_TABLE}, 0, :start, :stop) AS title, "
            f"snippet({ENTRIES_TABLE}, 2, :start, :stop, '…', {PASSAGE_WORDS}) AS passage "
            f"FROM page JOIN {ENTRIES_TABLE} ON {ENTRIES_TABLE}.rowid = page.id "
            f"WHERE {ENTRIES_TABLE} MATCH :match ORDER BY page.score, page.position"),
            {"match": self.match_expression(terms), **self.rowids(language), "start": MARK_START,
             "stop": MARK_STOP, "limit": limit, "offset": offset})
        return [Hit(**row._mapping) for row in rows]


class PostgresSearch:
    """tsvector with weights A (title), B (chapter title), D (text); ts_rank and ts_headline."""

    # Any constant shared by every process: the key of the lock held while configurations change.
    CONFIGURATION_LOCK = 0x454D4D5453  # "EMMTS"
    HEADLINE = (f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords={PASSAGE_WORDS}, "
                "MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"")
    TITLE_HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_STOP}, HighlightAll=true"
    warned_without_unaccent = False

    def config(self, language: str) -> str:
        return f"emm_{LANGUAGES[language]}"

    def prepare_config(self, connection: Connection, language: str) -> None:
        """Create or update the language's configuration, in the rebuild's transaction: the
        documents and the queries then always use the same one. Its mapping is set on every
        rebuild, so `search-index --force` takes up unaccent once an administrator installed it.
        """
        name, stemmer = self.config(language), LANGUAGES[language]
        # Two processes creating the same configuration at once would collide: one at a time.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": self.CONFIGURATION_LOCK})
        exists = connection.execute(text(
            "SELECT 1 FROM pg_ts_config WHERE cfgname = :name "
            "AND cfgnamespace = CAST(current_schema() AS regnamespace)"), {"name": name}).first()
        if not exists:
            connection.execute(text(
                f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{stemmer})"))
        dictionaries = f"unaccent, {stemmer}_stem" if self.has_unaccent(connection) \
            else f"{stemmer}_stem"
        # Only words with letters outside ASCII can carry accents; the ascii* token types keep
        # their stemmer alone.
        connection.execute(text(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH {dictionaries}"))

    def has_unaccent(self, connection: Connection) -> bool:
        """Install the unaccent extension if it is not there; False if this user may not."""
        try:
            with connection.begin_nested():  # a refusal must not abort the rebuild
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
            return True
        except DBAPIError as error:
            if not PostgresSearch.warned_without_unaccent:
                PostgresSearch.warned_without_unaccent = True
                logger.warning(
                    "Search ignores accents only with PostgreSQL's unaccent extension, which this "
                    "database user may not create (%s). Searches must type accents as written "
                    "until an administrator runs 'CREATE EXTENSION unaccent' in the database and "
                    "then 'emm-learn search-index --force'.", str(error.orig).splitlines()[0])
            return False

    @staticmethod
    def tsquery(terms: tuple[Term, ...]) -> str:
        """'irregular <-> migration & labour:*': built from letters and digits only, so the text
        can be handed to to_tsquery() without the reader's input ever being parsed as syntax."""
        written = []
        for term in terms:
            words = list(term.words)
            if term.is_prefix:
                words[-1] += ":*"
            written.append("(" + " <-> ".join(words) + ")" if term.is_phrase else words[0])
        return " & ".join(written)

    def replace_entries(self, connection: Connection, language: str, entries: list[Entry]) -> None:
        connection.execute(postgres_entries.delete().where(
            postgres_entries.c.language == language))
        self.prepare_config(connection, language)
        if not entries:
            return
        config = self.config(language)
        connection.execute(text(
            f"INSERT INTO {ENTRIES_TABLE} (language, kind, chapter_number, anchor, position, "
            "title, chapter_title, body, document) VALUES (:language, :kind, :chapter_number, "
            ":anchor, :position, :title, :chapter_title, :body, "
            "setweight(to_tsvector(CAST(:config AS regconfig), :title), 'A') || "
            "setweight(to_tsvector(CAST(:config AS regconfig), :chapter_title), 'B') || "
            "setweight(to_tsvector(CAST(:config AS regconfig), :body), 'D'))"),
            [{**asdict(entry), "config": config} for entry in entries])

    @staticmethod
    def prefer_the_index(connection: Connection) -> None:
        """Search through the GIN index even where the planner expects a sequential scan to be
        cheaper. Its estimate leaves out reading each row's tsvector (large, kept out of line)
        to test it: for "migration", the scan takes 6 ms and the index 0.9 ms. The setting lasts
        until the end of the request's transaction, and only weighs on sequential scans."""
        connection.execute(text("SET LOCAL enable_seqscan = off"))

    def count(self, connection: Connection, language: str, terms: tuple[Term, ...]) -> int:
        self.prefer_the_index(connection)
        return connection.execute(text(
            f"SELECT count(*) FROM {ENTRIES_TABLE} WHERE language = :language "
            "AND document @@ to_tsquery(CAST(:config AS regconfig), :query)"),
            {"language": language, "config": self.config(language),
             "query": self.tsquery(terms)}).scalar_one()

    def hits(self, connection: Connection, language: str, terms: tuple[Term, ...], limit: int,
             offset: int) -> list[Hit]:
        # Rank and cut the page first; ts_headline then reads only the page's texts. The rank is
        # not normalised by length (0): dividing by it let every short glossary entry win.
        self.prefer_the_index(connection)
        rows = connection.execute(text(
            "WITH q AS (SELECT to_tsquery(CAST(:config AS regconfig), :query) AS query), "
            "page AS (SELECT e.*, "
            f"  ts_rank(e.document, q.query, 0) * {GLOSSARY_FACTOR_SQL} AS score "
            f"  FROM {ENTRIES_TABLE} e, q WHERE e.language = :language AND e.document @@ q.query "
            "  ORDER BY score DESC, e.position LIMIT :limit OFFSET :offset) "
            "SELECT page.kind, page.chapter_number, page.anchor, page.chapter_title, "
            "  ts_headline(CAST(:config AS regconfig), page.title, q.query, :title_options) "
            "    AS title, "
            "  ts_headline(CAST(:config AS regconfig), page.body, q.query, :options) AS passage "
            "FROM page, q ORDER BY page.score DESC, page.position"),
            {"config": self.config(language), "query": self.tsquery(terms),
             "language": language, "limit": limit, "offset": offset,
             "options": self.HEADLINE, "title_options": self.TITLE_HEADLINE})
        return [Hit(**row._mapping) for row in rows]


def backend_for(dialect_name: str) -> SearchBackend:
    if dialect_name == "sqlite":
        return SqliteSearch()
    if dialect_name == "postgresql":
        return PostgresSearch()
    raise RuntimeError(f"search supports SQLite and PostgreSQL, not {dialect_name}")
