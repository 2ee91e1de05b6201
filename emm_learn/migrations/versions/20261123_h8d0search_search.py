"""The search index over the curriculum (derived data, rebuilt from content).

SQLite gets an FTS5 virtual table, PostgreSQL a table with a weighted tsvector under a GIN index;
both dialects get search_index_state, which records the curriculum digest each language's index
was built from. The application fills the index (emm_learn/search); these tables are not ORM
models, see emm_learn/search/models.py.

Revision ID: h8d0search
Revises: g7c0paths
Create Date: 2026-11-23 16:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'h8d0search'
down_revision = 'g7c0paths'
branch_labels = None
depends_on = None

FTS5_TABLE = (
    "CREATE VIRTUAL TABLE search_entries USING fts5("
    "title, chapter_title, body, "
    "language UNINDEXED, kind UNINDEXED, chapter_number UNINDEXED, anchor UNINDEXED, "
    "position UNINDEXED, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)


def upgrade():
    op.create_table(
        'search_index_state',
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('content_digest', sa.String(length=64), nullable=False),
        sa.Column('entry_count', sa.Integer(), nullable=False),
        sa.Column('built_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('language', name=op.f('pk_search_index_state')),
    )
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(FTS5_TABLE)
        return
    op.create_table(
        'search_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('chapter_number', sa.String(length=8), nullable=True),
        sa.Column('anchor', sa.String(length=200), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('chapter_title', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('document', postgresql.TSVECTOR(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries')),
    )
    op.create_index('ix_search_entries_document', 'search_entries', ['document'],
                    unique=False, postgresql_using='gin')


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("DROP TABLE IF EXISTS search_entries")  # FTS5 drops its shadow tables too
    else:
        op.drop_index('ix_search_entries_document', table_name='search_entries',
                      postgresql_using='gin')
        op.drop_table('search_entries')
    op.drop_table('search_index_state')
