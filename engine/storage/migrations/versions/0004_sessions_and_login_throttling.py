"""server-side sessions (user_sessions) and login throttling per (username, address) pair

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import engine.storage.tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", engine.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", engine.storage.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user_sessions") as batch:
        batch.create_index(batch.f("ix_user_sessions_user_id"), ["user_id"], unique=False)
        batch.create_index(batch.f("ix_user_sessions_last_seen_at"), ["last_seen_at"], unique=False)
    # Failures were stamped with the (possibly frozen) case clock: start afresh on the wall clock.
    op.execute("DELETE FROM login_failures")
    with op.batch_alter_table("login_failures") as batch:
        batch.drop_index("ix_login_failures_username_at")
        batch.create_index("ix_login_failures_pair", ["username", "address", "at"], unique=False)
        batch.create_index(batch.f("ix_login_failures_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_failures") as batch:
        batch.drop_index(batch.f("ix_login_failures_at"))
        batch.drop_index("ix_login_failures_pair")
        batch.create_index("ix_login_failures_username_at", ["username", "at"], unique=False)
    with op.batch_alter_table("user_sessions") as batch:
        batch.drop_index(batch.f("ix_user_sessions_last_seen_at"))
        batch.drop_index(batch.f("ix_user_sessions_user_id"))
    op.drop_table("user_sessions")
