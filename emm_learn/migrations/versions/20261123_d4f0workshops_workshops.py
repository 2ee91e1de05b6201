"""Workshops: rooms, groups, sessions, members, facilitators and the rotation.

Revision ID: d4f0workshops
Revises: c3e0worksheets
Create Date: 2026-11-23 15:40:55.223082

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f0workshops'
down_revision = 'c3e0worksheets'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workshops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('languages', sa.String(length=64), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_workshops_dates_in_order')),
    sa.ForeignKeyConstraint(['organiser_id'], ['users.id'], name=op.f('fk_workshops_organiser_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshops')),
    sa.UniqueConstraint('join_code', name=op.f('uq_workshops_join_code'))
    )
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshops_organiser_id'), ['organiser_id'], unique=False)

    op.create_table('workshop_facilitators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('languages', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_workshop_facilitators_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_facilitators_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_facilitators')),
    sa.UniqueConstraint('workshop_id', 'user_id', name=op.f('uq_workshop_facilitators_workshop_id_user_id'))
    )
    with op.batch_alter_table('workshop_facilitators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_facilitators_user_id'), ['user_id'], unique=False)

    op.create_table('workshop_rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('languages', sa.String(length=64), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_workshop_rooms_capacity_positive')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_rooms_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_rooms')),
    sa.UniqueConstraint('workshop_id', 'name', name=op.f('uq_workshop_rooms_workshop_id_name'))
    )
    op.create_table('workshop_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('chapter_number', sa.String(length=8), nullable=True),
    sa.Column('exercise_anchor', sa.String(length=100), nullable=True),
    sa.CheckConstraint("kind IN ('plenary', 'breakout')", name=op.f('ck_workshop_sessions_kind')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_workshop_sessions_times_in_order')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_sessions_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_sessions'))
    )
    op.create_table('workshop_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['workshop_rooms.id'], name=op.f('fk_workshop_groups_room_id_workshop_rooms'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_groups_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_groups')),
    sa.UniqueConstraint('workshop_id', 'name', name=op.f('uq_workshop_groups_workshop_id_name'))
    )
    op.create_table('workshop_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('languages', sa.String(length=64), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=100), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('is_locked', sa.Boolean(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['workshop_groups.id'], name=op.f('fk_workshop_members_group_id_workshop_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_workshop_members_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_members_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_members')),
    sa.UniqueConstraint('workshop_id', 'user_id', name=op.f('uq_workshop_members_workshop_id_user_id'))
    )
    with op.batch_alter_table('workshop_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_members_user_id'), ['user_id'], unique=False)

    op.create_table('workshop_rotation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['facilitator_id'], ['workshop_facilitators.id'], name=op.f('fk_workshop_rotation_facilitator_id_workshop_facilitators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['workshop_groups.id'], name=op.f('fk_workshop_rotation_group_id_workshop_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['workshop_sessions.id'], name=op.f('fk_workshop_rotation_session_id_workshop_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_rotation')),
    sa.UniqueConstraint('session_id', 'group_id', name=op.f('uq_workshop_rotation_session_id_group_id'))
    )


def downgrade():
    op.drop_table('workshop_rotation')
    with op.batch_alter_table('workshop_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_members_user_id'))

    op.drop_table('workshop_members')
    op.drop_table('workshop_groups')
    op.drop_table('workshop_sessions')
    op.drop_table('workshop_rooms')
    with op.batch_alter_table('workshop_facilitators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_facilitators_user_id'))

    op.drop_table('workshop_facilitators')
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshops_organiser_id'))

    op.drop_table('workshops')
