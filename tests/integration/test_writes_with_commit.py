"""On PostgreSQL a completion writes its case and task rows with the COMMIT, in one round trip with
the events (issue 13), instead of through the session's flush. Each such write must still find its
row: a case whose version moved, or a task that is gone, stops the commit, and nothing of the
transaction is kept. (The round trips themselves are pinned in test_audit_batching.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from engine import audit
from engine.errors import Conflict
from engine.runtime import SYSTEM, Runtime
from engine.storage.tables import Case, Event, Task
from engine.storage.with_commit import send_changes_with_commit
from tests.factories import open_tasks, start_test_case
from tests.processes import needs_postgresql

pytestmark = needs_postgresql


def event_kinds(rt: Runtime, case_id: int) -> list[str]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(Event.kind).where(Event.case_id == case_id)))


def test_on_postgresql_a_case_changed_by_another_since_it_was_read_is_not_overwritten(pg_rt: Runtime) -> None:
    case = start_test_case(pg_rt)
    with pg_rt.uow() as uow:
        row = uow.session.get(Case, case.id)  # not locked: another writer can still come first
        assert row is not None
        row.title = "mine"
        audit.record(uow.session, pg_rt.clock.now(), SYSTEM, case.id, "written_by_mine")
        with pg_rt.uow() as other:
            other.session.execute(
                update(Case).where(Case.id == case.id).values(title="theirs", version=Case.version + 1)
            )
            other.commit()
        assert send_changes_with_commit(uow.session, [row])
        with pytest.raises(Conflict) as raised:
            uow.commit()
    assert raised.value.code == "stale_case"
    with pg_rt.uow() as uow:
        assert uow.session.scalar(select(Case.title).where(Case.id == case.id)) == "theirs"
    assert "written_by_mine" not in event_kinds(pg_rt, case.id)


def test_on_postgresql_a_task_that_is_gone_stops_the_commit_of_the_whole_step(pg_rt: Runtime) -> None:
    case = start_test_case(pg_rt)
    (triage,) = open_tasks(pg_rt, case.id)
    with pg_rt.uow() as uow:
        task = uow.session.get(Task, triage.id)
        row = uow.session.get(Case, case.id)
        assert task is not None and row is not None
        task.status, row.title = "completed", "mine"
        with pg_rt.uow() as other:
            other.session.execute(delete(Task).where(Task.id == triage.id))
            other.commit()
        assert send_changes_with_commit(uow.session, [row, task])
        with pytest.raises(Conflict):
            uow.commit()
    with pg_rt.uow() as uow:
        assert uow.session.scalar(select(Case.title).where(Case.id == case.id)) != "mine"


def test_on_postgresql_the_session_keeps_what_it_sent_readable_and_forgets_it(pg_rt: Runtime) -> None:
    case = start_test_case(pg_rt)
    (triage,) = open_tasks(pg_rt, case.id)
    with pg_rt.uow() as uow:
        task = uow.session.get(Task, triage.id)
        assert task is not None
        task.data = {"kept": True}
        assert send_changes_with_commit(uow.session, [task])
        assert task not in uow.session and task.data == {"kept": True}
        uow.commit()
    with pg_rt.uow() as uow:
        assert uow.session.scalar(select(Task.data).where(Task.id == triage.id)) == {"kept": True}
