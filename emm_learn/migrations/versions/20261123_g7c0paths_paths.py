"""Learning paths and workshop pre-reading.

Revision ID: g7c0paths
Revises: f6b0feedback
Create Date: 2026-11-23 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'g7c0paths'
down_revision = 'f6b0feedback'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('learning_paths',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.String(length=200), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('copied_from', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_learning_paths_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_paths')),
    sa.UniqueConstraint('slug', name=op.f('uq_learning_paths_slug'))
    )
    with op.batch_alter_table('learning_paths', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_paths_owner_id'), ['owner_id'], unique=False)

    op.create_table('learning_path_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.Integer(), nullable=True),
    sa.Column('ready_made', sa.String(length=100), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(path_id IS NULL AND ready_made IS NOT NULL) OR (path_id IS NOT NULL AND ready_made IS NULL)', name=op.f('ck_learning_path_follows_one_path')),
    sa.ForeignKeyConstraint(['path_id'], ['learning_paths.id'], name=op.f('fk_learning_path_follows_path_id_learning_paths'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learning_path_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_path_follows')),
    sa.UniqueConstraint('user_id', 'path_id', name=op.f('uq_learning_path_follows_user_id_path_id')),
    sa.UniqueConstraint('user_id', 'ready_made', name=op.f('uq_learning_path_follows_user_id_ready_made'))
    )
    with op.batch_alter_table('learning_path_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_path_follows_path_id'), ['path_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learning_path_follows_user_id'), ['user_id'], unique=False)

    op.create_table('learning_path_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('chapter_number', sa.String(length=8), nullable=False),
    sa.Column('anchor', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("(kind = 'chapter' AND anchor IS NULL) OR (kind <> 'chapter' AND anchor IS NOT NULL)", name=op.f('ck_learning_path_steps_anchor_matches_kind')),
    sa.CheckConstraint("kind IN ('chapter', 'section', 'exercise')", name=op.f('ck_learning_path_steps_kind')),
    sa.ForeignKeyConstraint(['path_id'], ['learning_paths.id'], name=op.f('fk_learning_path_steps_path_id_learning_paths'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_path_steps')),
    sa.UniqueConstraint('path_id', 'position', name=op.f('uq_learning_path_steps_path_id_position'))
    )
    op.create_table('workshop_prereading',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.Integer(), nullable=True),
    sa.Column('ready_made', sa.String(length=100), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(path_id IS NULL AND ready_made IS NOT NULL) OR (path_id IS NOT NULL AND ready_made IS NULL)', name=op.f('ck_workshop_prereading_one_path')),
    sa.ForeignKeyConstraint(['path_id'], ['learning_paths.id'], name=op.f('fk_workshop_prereading_path_id_learning_paths'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_prereading_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', name=op.f('pk_workshop_prereading'))
    )
    with op.batch_alter_table('workshop_prereading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_prereading_path_id'), ['path_id'], unique=False)


def downgrade():
    with op.batch_alter_table('workshop_prereading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_prereading_path_id'))

    op.drop_table('workshop_prereading')
    op.drop_table('learning_path_steps')
    with op.batch_alter_table('learning_path_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_path_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_learning_path_follows_path_id'))

    op.drop_table('learning_path_follows')
    with op.batch_alter_table('learning_paths', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_paths_owner_id'))

    op.drop_table('learning_paths')
