"""Where the search index lives: one shape per database, both outside the ORM's metadata.

The index is derived data, rebuilt from the curriculum; it is not a learner's record. Keeping its
tables out of `db.metadata` means the test suite's per-test emptying of every table leaves the
index alone, and `create_all` never tries to build an FTS5 virtual table as a plain one. Alembic's
autogenerate is told to leave these tables alone as well (`is_search_table`, used in `init_app`).

- SQLite: an FTS5 virtual table. Its tokenizer (Porter stemming over unicode61, diacritics
  removed) is fixed per table, and serves English, Spanish and French alike: with accents
  removed for all, one table with a language column is enough (see backends.py).
- PostgreSQL: a plain table whose `document` column holds the weighted tsvector, computed on
  insert with the language's text search configuration, under a GIN index.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import TSVECTOR

from ..extensions import NAMING_CONVENTION

search_metadata = MetaData(naming_convention=NAMING_CONVENTION)

ENTRIES_TABLE = "search_entries"
STATE_TABLE = "search_index_state"

# Which curriculum (by digest) each language's index was built from. Its row is also the lock
# that keeps two processes starting together from rebuilding the same index at once.
index_state = Table(
    STATE_TABLE, search_metadata,
    Column("language", String(8), primary_key=True),
    Column("content_digest", String(64), nullable=False),
    Column("entry_count", Integer, nullable=False),
    Column("built_at", DateTime, nullable=False),
)

# PostgreSQL's index. Titles weigh most (A), then the chapter's title (B), then the text (D).
postgres_entries = Table(
    ENTRIES_TABLE, search_metadata,
    Column("id", Integer, primary_key=True),
    Column("language", String(8), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("chapter_number", String(8), nullable=True),
    Column("anchor", String(200), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("chapter_title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("document", TSVECTOR, nullable=False),
    Index("ix_search_entries_document", "document", postgresql_using="gin"),
)

# SQLite's index: the searched columns first (their order is bm25()'s weight order), then the
# stored-only ones.
FTS5_SEARCHED_COLUMNS = ("title", "chapter_title", "body")
FTS5_STORED_COLUMNS = ("language", "kind", "chapter_number", "anchor", "position")
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"


def is_search_table(name: str | None) -> bool:
    """The index's tables, FTS5's own shadow tables (search_entries_data, ...) included."""
    return bool(name) and (name in (ENTRIES_TABLE, STATE_TABLE)
                           or name.startswith(ENTRIES_TABLE + "_"))
