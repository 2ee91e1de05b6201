"""Feedback: chapter ratings, workshop forms and their responses.

Revision ID: f6b0feedback
Revises: e5a0materials
Create Date: 2026-11-23 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6b0feedback'
down_revision = 'e5a0materials'
branch_labels = None
depends_on = None

CHAPTER_CRITERIA = ('relevance', 'accuracy', 'depth', 'clarity', 'structure', 'exercises')


def scale_check(table, column):
    return sa.CheckConstraint(f'{column} BETWEEN 1 AND 5', name=op.f(f'ck_{table}_{column}_scale'))


def upgrade():
    op.create_table('chapter_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('chapter_number', sa.String(length=8), nullable=False),
    *[sa.Column(column, sa.Integer(), nullable=True) for column in CHAPTER_CRITERIA],
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    *[scale_check('chapter_feedback', column) for column in CHAPTER_CRITERIA],
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_chapter_feedback_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chapter_feedback')),
    sa.UniqueConstraint('user_id', 'chapter_number', name=op.f('uq_chapter_feedback_user_id_chapter_number'))
    )
    with op.batch_alter_table('chapter_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chapter_feedback_chapter_number'), ['chapter_number'], unique=False)

    op.create_table('workshop_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('is_anonymous', sa.Boolean(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('session', 'final')", name=op.f('ck_workshop_forms_kind')),
    sa.CheckConstraint("(kind = 'session' AND session_id IS NOT NULL) OR (kind = 'final' AND session_id IS NULL)", name=op.f('ck_workshop_forms_session_matches_kind')),
    sa.ForeignKeyConstraint(['session_id'], ['workshop_sessions.id'], name=op.f('fk_workshop_forms_session_id_workshop_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_forms_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_forms')),
    sa.UniqueConstraint('session_id', name=op.f('uq_workshop_forms_session_id'))
    )
    with op.batch_alter_table('workshop_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_forms_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_form_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('choices', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('scale', 'choice', 'text')", name=op.f('ck_workshop_form_questions_kind')),
    sa.ForeignKeyConstraint(['form_id'], ['workshop_forms.id'], name=op.f('fk_workshop_form_questions_form_id_workshop_forms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_form_questions'))
    )
    with op.batch_alter_table('workshop_form_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_form_questions_form_id'), ['form_id'], unique=False)

    op.create_table('workshop_form_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('facilitator_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['facilitator_id'], ['workshop_facilitators.id'], name=op.f('fk_workshop_form_responses_facilitator_id_workshop_facilitators'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['form_id'], ['workshop_forms.id'], name=op.f('fk_workshop_form_responses_form_id_workshop_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['workshop_groups.id'], name=op.f('fk_workshop_form_responses_group_id_workshop_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_workshop_form_responses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_form_responses')),
    sa.UniqueConstraint('form_id', 'user_id', name=op.f('uq_workshop_form_responses_form_id_user_id'))
    )
    with op.batch_alter_table('workshop_form_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_form_responses_form_id'), ['form_id'], unique=False)

    op.create_table('workshop_form_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    scale_check('workshop_form_answers', 'scale'),
    sa.ForeignKeyConstraint(['question_id'], ['workshop_form_questions.id'], name=op.f('fk_workshop_form_answers_question_id_workshop_form_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['workshop_form_responses.id'], name=op.f('fk_workshop_form_answers_response_id_workshop_form_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_form_answers')),
    sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_workshop_form_answers_response_id_question_id'))
    )
    with op.batch_alter_table('workshop_form_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_form_answers_question_id'), ['question_id'], unique=False)

    op.create_table('workshop_form_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['workshop_forms.id'], name=op.f('fk_workshop_form_receipts_form_id_workshop_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_workshop_form_receipts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_form_receipts')),
    sa.UniqueConstraint('form_id', 'user_id', name=op.f('uq_workshop_form_receipts_form_id_user_id'))
    )
    with op.batch_alter_table('workshop_form_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_form_receipts_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('workshop_form_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_form_receipts_user_id'))
    op.drop_table('workshop_form_receipts')
    with op.batch_alter_table('workshop_form_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_form_answers_question_id'))
    op.drop_table('workshop_form_answers')
    with op.batch_alter_table('workshop_form_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_form_responses_form_id'))
    op.drop_table('workshop_form_responses')
    with op.batch_alter_table('workshop_form_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_form_questions_form_id'))
    op.drop_table('workshop_form_questions')
    with op.batch_alter_table('workshop_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_forms_workshop_id'))
    op.drop_table('workshop_forms')
    with op.batch_alter_table('chapter_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chapter_feedback_chapter_number'))
    op.drop_table('chapter_feedback')
