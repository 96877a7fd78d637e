"""The events of a transaction are written together, in one statement, yet behave like rows the
session writes itself: in order, seen by a read in the same transaction, gone with a rollback
(also of a savepoint), and one completion writes them all at once."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update

from engine import audit, tasks
from engine.errors import Conflict
from engine.runtime import SYSTEM, Runtime
from engine.storage.tables import Case, Event
from tests.factories import open_tasks, start_test_case
from tests.sql import round_trips, starting_with, statements

TRIAGE = {"structureel": True, "toelichting": "x"}


def kinds(rt: Runtime, case_id: int) -> list[str]:
    with rt.uow() as uow:
        found = uow.session.scalars(select(Event.kind).where(Event.case_id == case_id).order_by(Event.id))
        return list(found)


def record(rt: Runtime, session, case_id: int, kind: str) -> None:  # type: ignore[no-untyped-def]
    audit.record(session, rt.clock.now(), SYSTEM, case_id, kind, data={"at": datetime.now().isoformat()})


def test_events_of_a_transaction_are_stored_in_the_order_they_were_recorded(rt: Runtime) -> None:
    case = start_test_case(rt)
    before = kinds(rt, case.id)
    with rt.uow() as uow:
        for kind in ("first", "second", "third"):
            record(rt, uow.session, case.id, kind)
        uow.commit()
    assert kinds(rt, case.id) == [*before, "first", "second", "third"]


def test_a_read_in_the_same_transaction_sees_the_events_recorded_before_it(rt: Runtime) -> None:
    case = start_test_case(rt)
    with rt.uow() as uow:
        record(rt, uow.session, case.id, "seen")
        seen = uow.session.scalars(select(Event.kind).where(Event.case_id == case.id, Event.kind == "seen"))
        assert list(seen) == ["seen"]
        uow.commit()
    assert kinds(rt, case.id).count("seen") == 1


def test_events_of_a_transaction_that_is_not_committed_are_never_stored(rt: Runtime) -> None:
    case = start_test_case(rt)
    before = kinds(rt, case.id)
    with rt.uow() as uow:
        record(rt, uow.session, case.id, "rolled_back")
        uow.rollback()
        record(rt, uow.session, case.id, "kept")
        uow.commit()
    with rt.uow() as uow:
        record(rt, uow.session, case.id, "closed_without_commit")
    assert kinds(rt, case.id) == [*before, "kept"]


def test_a_savepoint_rolled_back_takes_only_its_own_events(rt: Runtime) -> None:
    case = start_test_case(rt)
    before = kinds(rt, case.id)
    with rt.uow() as uow:
        session = uow.session
        record(rt, session, case.id, "before_savepoint")
        savepoint = session.begin_nested()
        session.scalar(select(Event.id).limit(1))  # a read inside the savepoint writes the pending event
        record(rt, session, case.id, "inside_savepoint")
        savepoint.rollback()
        record(rt, session, case.id, "after_savepoint")
        uow.commit()
    assert kinds(rt, case.id) == [*before, "before_savepoint", "after_savepoint"]


def test_a_completion_writes_its_events_in_one_statement(rt: Runtime, actor) -> None:  # type: ignore[no-untyped-def]
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    with statements(rt) as sent:
        tasks.complete(rt, actor("utrecht", "veilig_thuis"), triage.id, TRIAGE)
    assert len(starting_with(sent, "INSERT INTO EVENTS")) == 1
    assert kinds(rt, case.id)[-2:] == ["task_completed", "task_created"]


def test_events_that_cannot_be_written_leave_nothing_of_their_transaction(rt: Runtime) -> None:
    case = start_test_case(rt)
    before = kinds(rt, case.id)
    with rt.uow() as uow:
        uow.session.execute(update(Case).where(Case.id == case.id).values(title="changed"))
        record(rt, uow.session, case.id, "kept_only_if_all_are")
        record(rt, uow.session, case.id + 1_000_000, "of_no_case")  # the foreign key refuses it
        with pytest.raises(Conflict):
            uow.commit()
    assert kinds(rt, case.id) == before
    with rt.uow() as uow:
        assert uow.session.scalar(select(Case.title).where(Case.id == case.id)) != "changed"


def test_a_completion_sends_writes_events_and_commit_in_one_round_trip(rt: Runtime, actor) -> None:  # type: ignore[no-untyped-def]
    if rt.db.dialect.name != "postgresql":
        pytest.skip("SQLite has no round trips")
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    worker = actor("utrecht", "veilig_thuis")
    with statements(rt) as sent, round_trips(rt) as trips:
        tasks.complete(rt, worker, triage.id, TRIAGE)
    checked = starting_with(sent, "WITH CHANGED AS")  # each UPDATE fails unless it touched its row
    assert sorted(update.split("(UPDATE ")[1].split()[0] for update in checked) == ["cases", "tasks"]
    assert all("mda_expect_rows" in update for update in checked), checked
    last = trips[-1]  # (a trace shows a statement's text up to its first line break)
    assert last.count('"WITH changed AS') == 2 and "INSERT INTO tasks" in last, "\n".join(trips)
    assert "'task_completed'" in last, "\n".join(trips)  # the events (maybe prepared: no text)
    assert '"COMMIT"' in last, "\n".join(trips)  # (its text: not yet prepared on a fresh connection)
    written_before = [trip for trip in trips[:-1] if "changed" in trip or "INTO tasks" in trip]
    assert written_before == [], "\n".join(trips)
    assert kinds(rt, case.id)[-2:] == ["task_completed", "task_created"]
