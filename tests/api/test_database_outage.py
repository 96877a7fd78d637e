"""A database outage (issue 8): while the database cannot be reached every request answers 503
with Retry-After and a generic body, nothing is half-written, and the service recovers by itself
once the database is back. The outage is real: the SQLite file is replaced by a directory (it can
no longer be opened), or the PostgreSQL database stops accepting connections and its backends are
terminated."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import requests
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from engine.storage.tables import Case
from tests.api.conftest import Api, assert_error
from tests.factories import start_test_case


@contextmanager
def sqlite_outage(api: Api) -> Iterator[None]:
    database = Path(make_url(api.rt.settings.database_url).database or "")
    away = database.parent / "away"
    api.rt.db.dispose()  # the open connections die with the outage (and SQLite checkpoints its WAL)
    away.mkdir()
    for file in database.parent.glob(database.name + "*"):
        shutil.move(file, away / file.name)
    database.mkdir()  # where the file was, nothing SQLite can open
    try:
        yield
    finally:
        database.rmdir()
        for file in away.iterdir():
            shutil.move(file, database.parent / file.name)


@contextmanager
def postgresql_outage(api: Api) -> Iterator[None]:
    name = make_url(api.rt.settings.database_url).database
    admin = create_engine(make_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def outage(api: Api) -> AbstractContextManager[None]:
    return sqlite_outage(api) if api.rt.db.dialect.name == "sqlite" else postgresql_outage(api)


def assert_unavailable(response: requests.Response) -> None:
    error = assert_error(response, 503, "service_unavailable")
    assert int(response.headers["Retry-After"]) > 0
    assert error["details"] is None
    for leak in ("sqlite", "psycopg", "SELECT", "Traceback", "mda_test", ".db"):
        assert leak not in response.text


def case_count(api: Api) -> int:
    with api.rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Case)) or 0)


def test_a_database_outage_answers_503_and_the_service_recovers_by_itself(api: Api) -> None:
    start_test_case(api.rt)
    token_client = api.as_role("utrecht", "coordinator")
    cookie_client = api.login("utrecht.coordinator")
    before = token_client.get("/cases").json()
    cases_before = case_count(api)

    with outage(api):
        assert_unavailable(token_client.get("/cases"))
        assert_unavailable(cookie_client.get("/me"))
        assert_unavailable(token_client.post("/cases", json={"region": "utrecht", "data": {}}))
        guess = {"username": "utrecht.teamlid", "password": "x"}
        assert_unavailable(api.anonymous().post("/login", json=guess))

    assert token_client.get("/cases").json() == before
    assert cookie_client.get("/me").json()["username"] == "utrecht.coordinator"
    assert case_count(api) == cases_before  # nothing was half-written
