"""NEN 7513: the access log and the audit trail outlive their case. The product never deletes a
case, and the database refuses every attempt to delete one that has a trail (migration 0003)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from engine import cases
from engine.errors import Conflict
from engine.runtime import Runtime
from engine.storage.tables import AccessLog, Case, CaseTeamMember, Event, Task, Timer
from tests.factories import start_test_case, walk_to_monitoring


def trail(rt: Runtime, case_id: int) -> tuple[int, int, int]:
    """(case rows, event rows, access-log rows) of the case."""
    with rt.uow() as uow:
        count = [
            uow.session.scalar(select(func.count()).select_from(table).where(table.case_id == case_id))
            for table in (Event, AccessLog)
        ]
        exists = uow.session.scalar(select(func.count()).select_from(Case).where(Case.id == case_id))
    return exists or 0, count[0] or 0, count[1] or 0


def test_a_cases_access_log_and_events_survive_every_attempt_to_delete_it(rt: Runtime, actor) -> None:  # type: ignore[no-untyped-def]
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    cases.get_case(rt, actor("utrecht", "coordinator"), case.id)
    cases.access_log(rt, actor("utrecht", "beheerder"), case.id)
    before = trail(rt, case.id)
    assert before[0] == 1 and before[1] > 0 and before[2] >= 2

    with rt.uow() as uow:  # through the ORM, as any service would
        uow.session.delete(uow.session.get_one(Case, case.id))
        with pytest.raises(Conflict):
            uow.commit()
    assert trail(rt, case.id) == before

    with rt.db.connect() as connection:  # in plain SQL, after clearing what does cascade
        for table in (Task, Timer, CaseTeamMember):
            connection.execute(delete(table).where(table.case_id == case.id))
        with pytest.raises(IntegrityError):
            connection.execute(delete(Case).where(Case.id == case.id))
        connection.rollback()
    assert trail(rt, case.id) == before

    with rt.db.connect() as connection:  # everything at once, as a careless retention script would
        with pytest.raises(IntegrityError):
            connection.execute(delete(Case))
        connection.rollback()
    assert trail(rt, case.id) == before
