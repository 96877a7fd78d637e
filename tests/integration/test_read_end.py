"""A unit of work that only read ends its transaction with COMMIT on PostgreSQL, so psycopg keeps
the connection's prepared statements (a ROLLBACK makes it drop them all); one that wrote without
committing, or failed, is still rolled back (issue 13)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update

from engine.runtime import Runtime
from engine.storage.tables import Case
from tests.factories import start_test_case
from tests.processes import needs_postgresql
from tests.sql import round_trips

pytestmark = needs_postgresql


def title_of(rt: Runtime, case_id: int) -> str | None:
    with rt.uow() as uow:
        return uow.session.scalar(select(Case.title).where(Case.id == case_id))


def test_on_postgresql_a_read_ends_with_commit_and_keeps_the_prepared_statements(pg_rt: Runtime) -> None:
    case = start_test_case(pg_rt)
    with round_trips(pg_rt) as trips:
        assert title_of(pg_rt, case.id) is not None
    assert not [trip for trip in trips if "ROLLBACK" in trip or "DEALLOCATE" in trip], trips
    assert '"COMMIT"' in trips[-1], trips
    for _ in range(6):  # psycopg prepares a statement on its fifth use on a connection
        title_of(pg_rt, case.id)
    with pg_rt.uow() as uow:
        prepared = uow.session.scalar(select(func.count()).select_from(text("pg_prepared_statements")))
    assert prepared, "the reads' statement should have stayed prepared"


def test_on_postgresql_what_a_unit_of_work_wrote_without_committing_is_rolled_back(pg_rt: Runtime) -> None:
    case = start_test_case(pg_rt)
    before = title_of(pg_rt, case.id)
    with pg_rt.uow() as uow:
        uow.session.execute(update(Case).where(Case.id == case.id).values(title="not committed"))
        uow.session.scalar(select(Case.id).limit(1))  # a read after the write changes nothing
    assert title_of(pg_rt, case.id) == before


def test_on_postgresql_a_unit_of_work_that_failed_is_rolled_back(pg_rt: Runtime) -> None:
    case = start_test_case(pg_rt)
    before = title_of(pg_rt, case.id)
    with pytest.raises(RuntimeError), pg_rt.uow() as uow:
        uow.session.execute(update(Case).where(Case.id == case.id).values(title="failed"))
        raise RuntimeError("the service failed")
    assert title_of(pg_rt, case.id) == before
