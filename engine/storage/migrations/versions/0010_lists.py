"""lists: indexes that let the case list and the inbox walk each part of the visible set in its
own order and stop after a page (issue 13): a pool's and a person's open tasks in due order, a
case's open work from the index alone, a person's team places with their cases. Each replaces a
shorter index that is its prefix.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

REPLACED = (  # (old index, new index, table, new columns, old columns)
    ("ix_tasks_open_pool", "ix_tasks_pool_due", "tasks",
     ["status", "region", "role", "assignee_id", "due_at", "created_at", "id", "case_id"], ["status", "region", "role"]),
    ("ix_tasks_assignee", "ix_tasks_assignee_due", "tasks",
     ["assignee_id", "status", "due_at", "created_at", "id", "case_id", "role"], ["assignee_id", "status"]),
    ("ix_tasks_case_id", "ix_tasks_case_open", "tasks",
     ["case_id", "status", "region", "role", "assignee_id"], ["case_id"]),
    ("ix_case_team_user_id", "ix_case_team_user_case", "case_team", ["user_id", "case_id"], ["user_id"]),
)  # fmt: skip


def upgrade() -> None:
    for old, new, table, columns, _ in REPLACED:
        op.create_index(new, table, columns)
        op.drop_index(old, table_name=table)


def downgrade() -> None:
    for old, new, table, _, columns in REPLACED:
        op.create_index(old, table, columns)
        op.drop_index(new, table_name=table)
