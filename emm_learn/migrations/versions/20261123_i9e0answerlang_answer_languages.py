"""The language an answer (and each of its revisions) and a report-back is written in.

Rows written before this revision get NULL, "not recorded": the account's interface language is
no evidence of the language someone typed in, and a wrong lang attribute makes a screen reader
read the text with the wrong voice, while lang="" (unknown) does no harm.

Revision ID: i9e0answerlang
Revises: h8d0search
Create Date: 2026-11-24 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i9e0answerlang'
down_revision = 'h8d0search'
branch_labels = None
depends_on = None

TABLES = ('answers', 'answer_revisions', 'workshop_report_backs')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('language')
