"""row check: on PostgreSQL a function that fails a statement (and so its transaction) when a write
touched another number of rows than it had to. A case step sends its writes and its COMMIT in one
round trip (engine/storage/with_commit.py); with the check inside the statements, a write that
missed its row (a case whose version moved, a task that is gone) makes the database skip that
COMMIT, where the client used to wait for the writes' results before sending it (issue 13).

Revision ID: 0013
Revises: 0012
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# SQLSTATE of the failure, told apart from every other error by engine/storage/with_commit.py.
ROWS_MISSED = "MDA01"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION mda_expect_rows(touched bigint, expected integer) RETURNS bigint"
        " LANGUAGE plpgsql AS $$ BEGIN"
        " IF touched <> expected THEN"
        "  RAISE EXCEPTION 'a write touched % rows, not %', touched, expected"
        f"   USING ERRCODE = '{ROWS_MISSED}';"
        " END IF;"
        " RETURN touched;"
        " END $$"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION mda_expect_rows(bigint, integer)")
