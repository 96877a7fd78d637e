"""Writes whose results nobody reads (the audit events of a transaction), sent on PostgreSQL with
the transaction's COMMIT in one round trip (psycopg pipeline mode) instead of one each. They stay
part of the transaction: if one fails, COMMIT is not executed and the commit raises."""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, Executable, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_KEY = "mda_with_commit"  # on the connection: the statements this transaction sends with COMMIT


def send_with_commit(session: Session, statement: Executable, rows: list[dict[str, Any]]) -> bool:
    """Have `statement` sent (once per row) with the COMMIT of the session's transaction, in one
    round trip with it. False when it cannot be (not PostgreSQL, or inside a savepoint, whose
    rollback must be able to take it back): the caller executes it then."""
    if session.in_nested_transaction() or session.get_bind().dialect.name != "postgresql":
        return False
    connection = session.connection()
    connection.info.setdefault(_KEY, []).append((statement, rows))
    return True


def listen(engine: Engine) -> None:
    event.listen(engine, "begin", _forget)
    event.listen(engine, "rollback", _forget)
    event.listen(engine, "commit", _commit_with_statements)


def _forget(connection: Connection) -> None:
    """A new or rolled back transaction sends nothing of an earlier one (`info` outlives it). A
    connection the database dropped has no `info` to clean: the pool discards it."""
    if not connection.invalidated:
        connection.info.pop(_KEY, None)


def _commit_with_statements(connection: Connection) -> None:
    """Right before SQLAlchemy commits: the statements and COMMIT in one pipeline, closed by its one
    Sync (SQLAlchemy's own commit then finds the transaction committed and sends nothing)."""
    statements = connection.info.pop(_KEY, None)
    if not statements:
        return
    dbapi_connection: Any = connection.connection.dbapi_connection
    try:
        with dbapi_connection.pipeline():
            for statement, rows in statements:
                connection.execute(statement, rows)  # psycopg's executemany rides the pipeline
            dbapi_connection.execute("COMMIT")  # not commit(): that syncs, and the exit syncs again
    except psycopg.Error as error:  # raised at the pipeline's sync: translated like any other
        raise DBAPIError.instance(None, None, error, psycopg.Error) from error
