"""PostgreSQL: a pooled connection is handed out without a liveness round trip (a pre-ping would
cost every transaction one), yet one whose session the server ended is replaced, not used."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from engine.runtime import Runtime
from tests.sql import protocol_trace


def postgresql_only(rt: Runtime) -> None:
    if rt.db.dialect.name != "postgresql":
        pytest.skip("SQLite has no server that could end a session")


def test_a_transaction_costs_no_liveness_round_trip(rt: Runtime) -> None:
    postgresql_only(rt)

    def one_read() -> None:
        with rt.uow() as uow:
            uow.session.execute(text("SELECT 1"))
            uow.commit()

    answers = [line for line in protocol_trace(rt, one_read) if "ReadyForQuery" in line]
    assert len(answers) == 3  # BEGIN, the read, COMMIT


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
