"""Progress: sections marked done and each learner's reading position.

Revision ID: b2d0progress
Revises: a1c0accounts
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "b2d0progress"
down_revision = "a1c0accounts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sections_done",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("chapter_number", sa.String(length=8), nullable=False),
        sa.Column("section_anchor", sa.String(length=100), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_sections_done_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sections_done")),
        sa.UniqueConstraint("user_id", "chapter_number", "section_anchor",
                            name=op.f("uq_sections_done_user_id_chapter_number_section_anchor")),
    )
    op.create_index(op.f("ix_sections_done_user_id"), "sections_done", ["user_id"])
    op.create_table(
        "reading_positions",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("chapter_number", sa.String(length=8), nullable=False),
        sa.Column("section_anchor", sa.String(length=100), nullable=True),
        sa.Column("visited_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_reading_positions_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reading_positions")),
    )


def downgrade():
    op.drop_table("reading_positions")
    op.drop_index(op.f("ix_sections_done_user_id"), table_name="sections_done")
    op.drop_table("sections_done")
