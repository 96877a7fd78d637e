"""PostgreSQL: a pooled connection is handed out without a liveness round trip (a pre-ping would
cost every transaction one), yet one whose session the server ended is replaced, not used."""

from __future__ import annotations

import tempfile
import time

import psycopg
import pytest
from psycopg import pq
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from engine.runtime import Runtime


def postgresql_only(rt: Runtime) -> None:
    if rt.db.dialect.name != "postgresql":
        pytest.skip("SQLite has no server that could end a session")


def server_answers(rt: Runtime, work) -> int:  # type: ignore[no-untyped-def]
    """How many times the server said it was ready for the next query while `work` ran."""
    rt.db.dispose()
    with tempfile.TemporaryFile("w+") as trace:

        def traced(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_connection.pgconn.trace(trace.fileno())
            dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)

        event.listen(rt.db, "connect", traced)
        try:
            with rt.uow() as uow:  # connects (and is traced) before the count starts
                uow.session.execute(text("SELECT 1"))
            trace.seek(0, 2)
            start = trace.tell()
            work()
            trace.seek(start)
            return trace.read().count("ReadyForQuery")
        finally:
            event.remove(rt.db, "connect", traced)
            rt.db.dispose()


def test_a_transaction_costs_no_liveness_round_trip(rt: Runtime) -> None:
    postgresql_only(rt)

    def one_read() -> None:
        with rt.uow() as uow:
            uow.session.execute(text("SELECT 1"))
            uow.commit()

    assert server_answers(rt, one_read) == 3  # BEGIN, the read, COMMIT


def test_a_pooled_connection_whose_session_the_server_ended_is_replaced(rt: Runtime) -> None:
    postgresql_only(rt)
    with rt.uow() as uow:
        pid = uow.session.scalar(text("SELECT pg_backend_pid()"))
    url = make_url(rt.settings.database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        for _ in range(100):  # until the backend is gone
            if admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone() is None:
                break
            time.sleep(0.01)
    with rt.uow() as uow:
        assert uow.session.scalar(text("SELECT pg_backend_pid()")) != pid
