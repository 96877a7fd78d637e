"""task reservation: a task row names the case team's member holding its role (`reserved_for`), at
the end of the pool's and the case's task indexes. A pool list asked the case team once per task
row whether the task was kept for someone else; counting a pool up to its cap of 1,000 made 1,001
such probes, and at 100,000 cases that was most of the inbox's time (issue 13).

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_tasks_reserved_for"
POOL = ["status", "region", "role", "assignee_id", "due_at", "created_at", "id", "case_id", "phase"]
CASE_OPEN = ["case_id", "status", "region", "role", "assignee_id"]
WIDENED = (("ix_tasks_pool_due", POOL), ("ix_tasks_case_open", CASE_OPEN))
FROM_TEAM = (
    "UPDATE tasks SET reserved_for = (SELECT case_team.user_id FROM case_team"
    " WHERE case_team.case_id = tasks.case_id AND case_team.role = tasks.role)"
    " WHERE tasks.role IS NOT NULL"
)


def _recreate(widened: bool) -> None:
    for name, columns in WIDENED:
        op.drop_index(name, table_name="tasks")
        op.create_index(name, "tasks", [*columns, "reserved_for"] if widened else columns)


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("reserved_for", sa.Integer(), nullable=True))
        batch.create_foreign_key(FOREIGN_KEY, "users", ["reserved_for"], ["id"])
    op.execute(FROM_TEAM)
    _recreate(widened=True)


def downgrade() -> None:
    _recreate(widened=False)
    with op.batch_alter_table("tasks") as batch:
        batch.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch.drop_column("reserved_for")
