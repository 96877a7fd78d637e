"""performance: an index that pages a region's cases by last activity (keyset paging of the case
list for coordinators and beheerders without sorting the region)

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_region_activity", "cases", ["region", "last_activity_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_cases_region_activity", table_name="cases")
