"""Pooled PostgreSQL connections are checked before use only after sitting idle (issue 13: a ping
on every checkout cost two or three round trips per request); one that died meanwhile is replaced
without the caller noticing. That no ping is sent for a connection in use moments ago is pinned in
tests/api/test_read_round_trips.py."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine import accounts
from engine.runtime import Runtime
from engine.storage import db
from tests.processes import needs_postgresql

pytestmark = needs_postgresql


def end_every_connection(rt: Runtime) -> int:
    """What a database restart does to the pool: each of its connections is gone."""
    admin = create_engine(make_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        ended = connection.execute(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :name"),
            {"name": rt.db.url.database},
        ).scalar_one()
    admin.dispose()
    return int(ended)


def test_on_postgresql_a_pooled_connection_that_died_while_idle_is_replaced_before_use(
    pg_rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "PING_AFTER_IDLE_S", 0.0)  # every pooled connection counts as idle
    coordinator = accounts.actor_by_username(pg_rt, "utrecht.coordinator")  # leaves one in the pool
    assert end_every_connection(pg_rt) >= 1
    assert accounts.actor_by_username(pg_rt, "utrecht.coordinator") == coordinator
