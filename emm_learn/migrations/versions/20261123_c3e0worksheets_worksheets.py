"""Worksheets: answers, their revisions, and drafts kept across an ended session.

Revision ID: c3e0worksheets
Revises: b2d0progress
Create Date: 2026-11-23 14:46:13.168012

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e0worksheets'
down_revision = 'b2d0progress'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_drafts',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('chapter_number', sa.String(length=8), nullable=False),
    sa.Column('exercise_anchor', sa.String(length=100), nullable=False),
    sa.Column('texts', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_pending_drafts'))
    )
    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('chapter_number', sa.String(length=8), nullable=False),
    sa.Column('exercise_anchor', sa.String(length=100), nullable=False),
    sa.Column('prompt_number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_answers_version_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_answers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('user_id', 'chapter_number', 'exercise_anchor', 'prompt_number', name=op.f('uq_answers_user_id_chapter_number_exercise_anchor_prompt_number'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_user_id'), ['user_id'], unique=False)

    op.create_table('answer_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('save', 'restore', 'merge', 'conflict')", name=op.f('ck_answer_revisions_kind')),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_answer_revisions_answer_id_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_revisions'))
    )
    with op.batch_alter_table('answer_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_answer_revisions_answer_saved', ['answer_id', 'saved_at'], unique=False)



def downgrade():
    with op.batch_alter_table('answer_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_revisions_answer_saved')

    op.drop_table('answer_revisions')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_user_id'))

    op.drop_table('answers')
    op.drop_table('pending_drafts')
