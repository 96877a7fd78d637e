"""domain: a household that comes back — case_households (key digest per case) and case_links

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import engine.storage.tables

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_households",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id"),
    )
    with op.batch_alter_table("case_households", schema=None) as batch_op:
        batch_op.create_index("ix_case_households_region_key", ["region", "key_digest"], unique=False)
    op.create_table(
        "case_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("earlier_case_id", sa.Integer(), nullable=False),
        sa.Column("created_at", engine.storage.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["earlier_case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "earlier_case_id", name="uq_case_links_pair"),
    )
    with op.batch_alter_table("case_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_links_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_links_earlier_case_id"), ["earlier_case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_links_earlier_case_id"))
        batch_op.drop_index(batch_op.f("ix_case_links_case_id"))
    op.drop_table("case_links")
    with op.batch_alter_table("case_households", schema=None) as batch_op:
        batch_op.drop_index("ix_case_households_region_key")
    op.drop_table("case_households")
