import pytest
from sqlalchemy import select

from engine import cases
from engine.runtime import Runtime
from engine.storage.tables import AccessLog, User
from tests.factories import start_test_case
from tests.sql import round_trips


def test_listing_cases_logs_a_read_per_listed_case_in_the_readers_role(rt: Runtime, actor) -> None:
    first, second = start_test_case(rt), start_test_case(rt)
    listed, total = cases.list_cases(rt, actor("utrecht", "veilig_thuis"), cases.CaseFilter())
    assert total == 2 and {c.id for c in listed} == {first.id, second.id}
    with rt.uow() as uow:
        rows = uow.session.execute(
            select(AccessLog.case_id, AccessLog.role, AccessLog.kind, User.username).join(User)
        ).all()
    assert sorted(rows) == sorted(
        (case_id, "veilig_thuis", "case_list", "utrecht.veilig_thuis") for case_id in (first.id, second.id)
    )


def test_listing_shows_another_region_nothing_and_logs_nothing(rt: Runtime, actor) -> None:
    start_test_case(rt)
    listed, total = cases.list_cases(rt, actor("nml", "coordinator"), cases.CaseFilter())
    assert (listed, total) == ([], 0)
    with rt.uow() as uow:
        assert uow.session.scalars(select(AccessLog)).all() == []


def test_on_postgresql_a_list_pages_access_log_is_one_multi_row_insert(rt: Runtime, actor) -> None:
    if rt.db.dialect.name != "postgresql":
        pytest.skip("the wire protocol of PostgreSQL")
    for _ in range(3):
        start_test_case(rt)
    with round_trips(rt) as trips:
        listed, _ = cases.list_cases(rt, actor("utrecht", "veilig_thuis"), cases.CaseFilter())
    inserts = [trip for trip in trips if "INSERT INTO access_log" in trip]
    assert len(listed) == 3 and len(inserts) == 1, trips
    assert inserts[0].count("Execute") == 1 and inserts[0].count("), (") == 2  # three rows, one statement
