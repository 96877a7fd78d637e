"""Recording the SQL a piece of code sends (tests that count statements)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import pq
from sqlalchemy import event, text

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


def protocol_trace(rt: Runtime, work: Callable[[], Any]) -> list[str]:
    """PostgreSQL: the protocol messages (libpq's trace, one a line: F from us, B from the server)
    exchanged while `work` ran, on connections made afresh for it."""
    rt.db.dispose()
    with tempfile.TemporaryFile("w+") as trace:

        def traced(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.pgconn.trace(trace.fileno())
            dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)

        event.listen(rt.db, "connect", traced)
        try:
            with rt.uow() as uow:  # connects (and is traced) before the trace starts
                uow.session.execute(text("SELECT 1"))
            trace.seek(0, 2)
            start = trace.tell()
            work()
            trace.seek(start)
            return trace.read().splitlines()
        finally:
            event.remove(rt.db, "connect", traced)
            rt.db.dispose()
