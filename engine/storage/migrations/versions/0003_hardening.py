"""hardening: audit and access log outlive their case

The events and access_log rows of a case were deleted with it (ON DELETE CASCADE); NEN 7513
requires the access log to be kept. Their foreign keys now RESTRICT: a case with a trail cannot be
deleted at all, and the product never hard-deletes cases.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("events", "access_log")
# SQLite's foreign keys have no names; batch mode needs one to drop the old constraint.
NAMING = {"fk": "%(table_name)s_%(column_0_name)s_fkey"}


def _case_foreign_key(table: str, ondelete: str) -> None:
    name = f"{table}_case_id_fkey"  # PostgreSQL's own name for it, and the batch name on SQLite
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(table, recreate="always", naming_convention=NAMING) as batch:
            batch.drop_constraint(name, type_="foreignkey")
            batch.create_foreign_key(name, "cases", ["case_id"], ["id"], ondelete=ondelete)
    else:
        op.drop_constraint(name, table, type_="foreignkey")
        op.create_foreign_key(name, table, "cases", ["case_id"], ["id"], ondelete=ondelete)


def upgrade() -> None:
    for table in TABLES:
        _case_foreign_key(table, "RESTRICT")


def downgrade() -> None:
    for table in TABLES:
        _case_foreign_key(table, "CASCADE")


