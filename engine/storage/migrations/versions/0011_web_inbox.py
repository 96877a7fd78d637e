"""web inbox: a task's phase at the end of the pool's task index, and its phase and region at the
end of a person's, so the inbox's filter counts per value are read from the indexes alone
(issue 13: counted per value up to the cap, without reading each task row of the inbox).

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

POOL = ["status", "region", "role", "assignee_id", "due_at", "created_at", "id", "case_id"]
PERSONAL = ["assignee_id", "status", "due_at", "created_at", "id", "case_id", "role"]
WIDENED = (  # (index, columns before, columns added)
    ("ix_tasks_pool_due", POOL, ["phase"]),
    ("ix_tasks_assignee_due", PERSONAL, ["phase", "region"]),
)


def _recreate(widened: bool) -> None:
    for name, columns, added in WIDENED:
        op.drop_index(name, table_name="tasks")
        op.create_index(name, "tasks", [*columns, *added] if widened else columns)


def upgrade() -> None:
    _recreate(widened=True)


def downgrade() -> None:
    _recreate(widened=False)
