"""Workshops, second part: materials, report-backs and sessions on several chapters.

Revision ID: e5a0materials
Revises: d4f0workshops
Create Date: 2026-11-23 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a0materials'
down_revision = 'd4f0workshops'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workshop_session_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('chapter_number', sa.String(length=8), nullable=False),
    sa.Column('exercise_anchor', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['workshop_sessions.id'], name=op.f('fk_workshop_session_items_session_id_workshop_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_session_items')),
    sa.UniqueConstraint('session_id', 'position', name=op.f('uq_workshop_session_items_session_id_position'))
    )
    # A session's single chapter and exercise become its first item before the columns go.
    op.execute("INSERT INTO workshop_session_items (session_id, position, chapter_number, exercise_anchor) "
               "SELECT id, 1, chapter_number, exercise_anchor FROM workshop_sessions "
               "WHERE chapter_number IS NOT NULL")
    with op.batch_alter_table('workshop_sessions', schema=None) as batch_op:
        batch_op.drop_column('exercise_anchor')
        batch_op.drop_column('chapter_number')

    op.create_table('workshop_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['workshop_sessions.id'], name=op.f('fk_workshop_materials_session_id_workshop_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_workshop_materials_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_materials_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_materials')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_workshop_materials_stored_name'))
    )
    with op.batch_alter_table('workshop_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_materials_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_report_backs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'ready')", name=op.f('ck_workshop_report_backs_status')),
    sa.ForeignKeyConstraint(['group_id'], ['workshop_groups.id'], name=op.f('fk_workshop_report_backs_group_id_workshop_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['workshop_sessions.id'], name=op.f('fk_workshop_report_backs_session_id_workshop_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_workshop_report_backs_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_report_backs')),
    sa.UniqueConstraint('session_id', 'group_id', name=op.f('uq_workshop_report_backs_session_id_group_id'))
    )


def downgrade():
    op.drop_table('workshop_report_backs')
    with op.batch_alter_table('workshop_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_materials_workshop_id'))
    op.drop_table('workshop_materials')
    with op.batch_alter_table('workshop_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chapter_number', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('exercise_anchor', sa.String(length=100), nullable=True))
    op.execute("UPDATE workshop_sessions SET chapter_number = (SELECT chapter_number FROM "
               "workshop_session_items i WHERE i.session_id = workshop_sessions.id AND i.position = 1), "
               "exercise_anchor = (SELECT exercise_anchor FROM workshop_session_items i "
               "WHERE i.session_id = workshop_sessions.id AND i.position = 1)")
    op.drop_table('workshop_session_items')
