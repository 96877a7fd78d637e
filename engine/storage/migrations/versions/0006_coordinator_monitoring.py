"""coordinator monitoring: stuck rules, phase periods, escalations, notifications; timers.created_at, users.email

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa
import engine.storage.tables


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.create_table('stuck_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', engine.storage.tables.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region'], ['regions.key'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('region', 'kind', 'subject')
    )
    op.create_table('escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lapse_key', sa.String(length=250), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=False),
    sa.Column('rule_kind', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('since_at', engine.storage.tables.UTCDateTime(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('next_step_at', engine.storage.tables.UTCDateTime(), nullable=True),
    sa.Column('status', sa.String(length=14), nullable=False),
    sa.Column('created_at', engine.storage.tables.UTCDateTime(), nullable=False),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', engine.storage.tables.UTCDateTime(), nullable=True),
    sa.Column('on_agenda_at', engine.storage.tables.UTCDateTime(), nullable=True),
    sa.Column('resolved_at', engine.storage.tables.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('lapse_key')
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_escalations_due', ['status', 'next_step_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_region'), ['region'], unique=False)

    op.create_table('phase_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('started_at', engine.storage.tables.UTCDateTime(), nullable=False),
    sa.Column('ended_at', engine.storage.tables.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('phase_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_periods_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_phase_periods_region_phase', ['region', 'phase'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=250), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=200), nullable=False),
    sa.Column('created_at', engine.storage.tables.UTCDateTime(), nullable=False),
    sa.Column('read_at', engine.storage.tables.UTCDateTime(), nullable=True),
    sa.Column('mail_status', sa.String(length=12), nullable=False),
    sa.Column('mail_sent_at', engine.storage.tables.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_notifications_mail', ['mail_status', 'id'], unique=False)
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('timers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_at', engine.storage.tables.UTCDateTime(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('timers', schema=None) as batch_op:
        batch_op.drop_column('created_at')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
        batch_op.drop_index('ix_notifications_mail')
        batch_op.drop_index(batch_op.f('ix_notifications_case_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('phase_periods', schema=None) as batch_op:
        batch_op.drop_index('ix_phase_periods_region_phase')
        batch_op.drop_index(batch_op.f('ix_phase_periods_case_id'))

    op.drop_table('phase_periods')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_region'))
        batch_op.drop_index('ix_escalations_due')
        batch_op.drop_index(batch_op.f('ix_escalations_case_id'))

    op.drop_table('escalations')
    op.drop_table('stuck_rules')
