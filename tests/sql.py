"""Recording the SQL a piece of code sends (tests that count statements)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from engine.runtime import Runtime


@contextmanager
def statements(rt: Runtime) -> Iterator[list[str]]:
    """The SQL statements sent meanwhile (not SQLite's BEGIN, nor a pool's liveness ping)."""
    sent: list[str] = []

    def note(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):
            sent.append(args[2])

    event.listen(rt.db, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(rt.db, "before_cursor_execute", note)


def starting_with(sent: list[str], prefix: str) -> list[str]:
    return [statement for statement in sent if statement.lstrip().upper().startswith(prefix)]


@contextmanager
def round_trips(rt: Runtime) -> Iterator[list[str]]:
    """PostgreSQL only: each round trip to the server meanwhile, as the messages the client sent
    in it (libpq's protocol trace of each connection checked out). Unlike `statements`, it shows
    what the driver sends by itself: BEGIN, COMMIT, ROLLBACK, DEALLOCATE and liveness pings."""
    from psycopg.pq import Trace

    traces: list[tuple[Any, Any]] = []  # (libpq connection, its trace file)

    def follow(dbapi_connection: Any, *_: Any) -> None:
        trace = tempfile.TemporaryFile()
        dbapi_connection.pgconn.trace(trace.fileno())
        dbapi_connection.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)
        traces.append((dbapi_connection.pgconn, trace))

    sent: list[str] = []
    event.listen(rt.db.pool, "checkout", follow, insert=True)  # before the pool's own checks
    try:
        yield sent
    finally:
        event.remove(rt.db.pool, "checkout", follow)
        for pgconn, trace in traces:
            pgconn.untrace()  # flushes the trace
            trace.seek(0)
            said: list[str] = []
            for line in trace.read().decode("utf-8", "replace").splitlines():
                direction, _length, message = [*line.split("\t", 2), "", ""][:3]
                if direction == "F":
                    said.append(" ".join(message.split()))
                elif message.startswith("ReadyForQuery"):
                    sent.append(" | ".join(said))
                    said = []
            trace.close()
