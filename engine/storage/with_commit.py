"""Writes whose results nobody reads before the transaction ends (the audit events, and the rows of
a case step written under the case's lock), sent on PostgreSQL with the transaction's COMMIT in
one pipeline: one round trip for all of them. They stay part of the transaction: if one fails or
misses its row, the database skips the COMMIT queued behind it and the commit raises. A write that
must touch one row checks that itself (the database function `mda_expect_rows`, migration 0013),
so the COMMIT need not wait for the writes' results."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import psycopg
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Executable,
    Table,
    Update,
    bindparam,
    event,
    func,
    insert,
    inspect,
    literal_column,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

_KEY = "mda_with_commit"  # on the connection: the statements this transaction sends with COMMIT
_ROWS_MISSED = "MDA01"  # the SQLSTATE mda_expect_rows fails with (migration 0013)
# A statement and its parameter rows.
_Queued = tuple[Executable, list[dict[str, Any]]]


def send_with_commit(session: Session, statement: Executable, rows: list[dict[str, Any]]) -> bool:
    """Have `statement` sent (once per row) with the COMMIT of the session's transaction, in one
    round trip with it. False when it cannot be (not PostgreSQL, or inside a savepoint, whose
    rollback must be able to take it back): the caller executes it then."""
    if not _can_send(session):
        return False
    _queue(session).append((statement, rows))
    return True


def send_changes_with_commit(session: Session, objects: Iterable[object]) -> bool:
    """Write the changes of these ORM objects with the COMMIT instead of by the session's flush: an
    UPDATE of the changed columns by primary key (and version, which it raises), or the INSERT of a
    new object. Each must touch exactly one row, or the COMMIT is not made. The objects leave the
    session; their values stay readable. False when this cannot be (see `send_with_commit`): the
    flush writes them then. For a caller that changed rows nobody else writes meanwhile (the
    case row it locked, and that case's tasks)."""
    if not _can_send(session):
        return False
    queue = _queue(session)
    for obj in objects:
        state: Any = inspect(obj)
        if state.pending and None not in state.mapper.primary_key_from_instance(obj):
            values = _loaded_columns(state)
            queue.append((_insert_of(state.mapper.local_table), [values]))  # one row, or it fails
        elif state.persistent and (changed := _changed_columns(state)):
            queue.append(_update_of_changes(obj, state, changed))
        else:
            continue  # unchanged (or not insertable without reading back its key): left to the flush
        session.expunge(obj)
    return True


def _loaded_columns(state: Any) -> dict[str, Any]:
    mapper = state.mapper
    return {
        attr.columns[0].key: state.dict[attr.key] for attr in mapper.column_attrs if attr.key in state.dict
    }


def _changed_columns(state: Any) -> dict[str, Any]:
    """The columns assigned a new value (the ORM's history; one set to its old value is not).
    Only the attributes the ORM noted as assigned are looked at."""
    columns = state.mapper.column_attrs
    changed = [key for key in state.committed_state if key in columns and state.attrs[key].history.added]
    return {columns[key].columns[0].key: state.dict[key] for key in changed}


def _update_of_changes(obj: object, state: Any, values: dict[str, Any]) -> _Queued:
    """The UPDATE of an object's changed columns, failing unless it touched its one row (of the
    version it has)."""
    mapper = state.mapper
    keys = {
        f"pk_{column.key}": value for column, value in zip(mapper.primary_key, state.identity, strict=True)
    }
    version = mapper.version_id_col
    if version is not None:
        attribute = mapper.get_property_by_column(version).key
        current = state.dict[attribute]
        keys["old_version"] = current
        values[version.key] = current + 1
        set_committed_value(obj, attribute, current + 1)
    return _update_of(mapper.local_table, version, tuple(sorted(values))), [values | keys]


@functools.cache
def _insert_of(table: Table) -> Executable:
    return insert(table).inline()  # the columns are those of the parameters


@functools.cache
def _update_of(table: Table, version: Column[Any] | None, columns: tuple[str, ...]) -> Executable:
    """By primary key (and version), setting `columns` from the parameters of the same names, and
    failing unless it touched one row. Built once per set of columns: a statement object keeps its
    compiled forms."""
    statement = (
        update(table)
        .where(*(column == bindparam(f"pk_{column.key}") for column in table.primary_key))
        .values({table.c[name]: bindparam(name) for name in columns})
    )
    if version is not None:
        statement = statement.where(version == bindparam("old_version"))
    return _touching_one_row(statement)


def _touching_one_row(statement: Update) -> Executable:
    """WITH changed AS (UPDATE ... RETURNING 1) SELECT mda_expect_rows(count, 1): the UPDATE as a
    statement that fails when it touched no row (or more than one)."""
    changed = statement.returning(literal_column("1")).cte("changed")
    touched = select(func.count()).select_from(changed).scalar_subquery()
    return select(func.mda_expect_rows(touched, 1))


def _can_send(session: Session) -> bool:
    return not session.in_nested_transaction() and session.get_bind().dialect.name == "postgresql"


def _queue(session: Session) -> list[_Queued]:
    queue: list[_Queued] = session.connection().info.setdefault(_KEY, [])
    return queue


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
    """Right before SQLAlchemy commits: the statements and COMMIT in one pipeline, one round trip
    (SQLAlchemy's own commit then finds the transaction committed and sends nothing). When one of
    them fails, the database skips what follows it, the COMMIT too, until the pipeline's end."""
    statements: list[_Queued] | None = connection.info.pop(_KEY, None)
    if not statements:
        return
    dbapi_connection: Any = connection.connection.dbapi_connection
    try:
        with dbapi_connection.pipeline():
            for statement, rows in statements:
                connection.execute(statement, rows)  # queued in the pipeline, not waited for
            dbapi_connection.execute("COMMIT")  # not commit(): that syncs, and the exit syncs again
    except DBAPIError as error:  # raised by a later statement's execute, which fetched the result
        if _missed_rows(error.orig):
            raise StaleDataError(str(error.orig)) from error
        raise
    except psycopg.Error as error:  # raised at the pipeline's end: translated like any other
        if _missed_rows(error):
            raise StaleDataError(str(error)) from error
        raise DBAPIError.instance(None, None, error, psycopg.Error) from error


def _missed_rows(error: BaseException | None) -> bool:
    return getattr(error, "sqlstate", None) == _ROWS_MISSED
