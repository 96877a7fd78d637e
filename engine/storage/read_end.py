"""A transaction that only read ends with COMMIT on PostgreSQL, not ROLLBACK. For such a
transaction the two are the same, but on a ROLLBACK psycopg drops every prepared statement of the
connection (it cannot know what the rollback undid): the next requests on it would be parsed and
planned again, and pay a DEALLOCATE ALL first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

_WROTE = "mda_wrote"  # on the connection: this transaction sent something other than a SELECT


def listen(engine: Engine) -> None:
    event.listen(engine, "begin", _forget)
    event.listen(engine, "before_cursor_execute", _note_write)


def _forget(connection: Connection) -> None:
    if not connection.invalidated:
        connection.info.pop(_WROTE, None)


def _note_write(connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        connection.info[_WROTE] = True


def end_if_only_read(session: Session) -> None:
    """Commit the session's transaction in the database when it sent nothing but SELECTs (the
    session's own rollback then finds no transaction and sends nothing). A transaction that wrote
    is left to be rolled back: what a service did not commit is not kept."""
    if not session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return
    connection = session.connection()
    if not connection.invalidated and not connection.info.get(_WROTE):
        connection.exec_driver_sql("COMMIT")
