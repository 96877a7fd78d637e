"""A completion reads only what its step can change: the locked case and its tasks (with the team)
always, in one statement; the timer rows only when the step moved the workflow's timers; the open
phase period only when the case changes phase. A step that does change them still writes them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from engine import tasks
from engine.runtime import Actor, Runtime
from engine.storage.tables import Case, PhasePeriod, Task, Timer
from tests.factories import complete_open, open_tasks, start_test_case
from tests.sql import round_trips, starting_with, statements


def timer_names(rt: Runtime, case_id: int) -> list[str]:
    with rt.uow() as uow:
        return sorted(uow.session.scalars(select(Timer.spec_id).where(Timer.case_id == case_id)))


def periods(rt: Runtime, case_id: int) -> list[tuple[str, bool]]:
    """(phase, still open) of the case's phase periods, in order."""
    with rt.uow() as uow:
        found = uow.session.scalars(
            select(PhasePeriod).where(PhasePeriod.case_id == case_id).order_by(PhasePeriod.id)
        )
        return [(period.phase, period.ended_at is None) for period in found]


def case_phase(rt: Runtime, case_id: int) -> str:
    with rt.uow() as uow:
        phase = uow.session.scalar(select(Case.phase).where(Case.id == case_id))
    assert phase is not None
    return phase


def plain_step(rt: Runtime, actor) -> tuple[int, Actor, str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """A case, and who completes which task of it with what, where the step starts no task, timer
    or phase: check_a, while check_b stays open."""
    case = start_test_case(rt)
    for spec_id in ("triage", "analyse"):
        complete_open(rt, case.id, spec_id)
    check_a = next(task for task in open_tasks(rt, case.id) if task.spec_id == "check_a")
    worker = actor(check_a.region, check_a.role)
    return case.id, worker, check_a.id, rt.forms["test_check"].examples(check_a.region)


def test_a_step_keeping_timers_and_phase_reads_only_case_and_tasks(rt: Runtime, actor) -> None:  # type: ignore[no-untyped-def]
    case_id, worker, task_id, data = plain_step(rt, actor)
    before = periods(rt, case_id)
    with statements(rt) as sent:
        tasks.complete(rt, worker, task_id, data)
    clock_reads = [read for read in starting_with(sent, "SELECT") if "system_settings" in read]  # simulated
    (case_read,) = starting_with(sent, "WITH LOCKED_CASE")  # the case locked, joined to its tasks and team
    assert "FOR UPDATE" in case_read or rt.db.dialect.name == "sqlite"
    # the case and the completed task (on PostgreSQL each in a statement that checks it found its row)
    assert len(starting_with(sent, "UPDATE") + starting_with(sent, "WITH CHANGED AS")) == 2
    assert len(starting_with(sent, "INSERT")) == 1  # the events
    assert len(sent) - len(clock_reads) == 4
    assert periods(rt, case_id) == before


def test_on_postgresql_a_plain_step_takes_three_round_trips(rt: Runtime, actor) -> None:  # type: ignore[no-untyped-def]
    if rt.db.dialect.name != "postgresql":
        pytest.skip("SQLite has no round trips")
    _, worker, task_id, data = plain_step(rt, actor)
    with round_trips(rt) as trips:
        tasks.complete(rt, worker, task_id, data)
    trips = [trip for trip in trips if "system_settings" not in trip]  # the simulated clock
    begun = next(i for i, trip in enumerate(trips) if '"BEGIN' in trip)  # (a pool's ping may come first)
    _begin, locked_read, writes_and_commit = trips[begun:]  # nothing after: committed in the third
    assert "WITH locked_case" in locked_read, "\n".join(trips)
    assert writes_and_commit.count('"WITH changed AS') == 2, "\n".join(trips)
    with rt.uow() as uow:
        assert uow.session.scalar(select(Task.status).where(Task.id == task_id)) == "completed"


def test_a_completion_that_starts_or_ends_timers_still_writes_their_rows(rt: Runtime) -> None:
    case = start_test_case(rt)
    for spec_id in ("triage", "analyse", "check_a"):
        complete_open(rt, case.id, spec_id)
    assert timer_names(rt, case.id) == []
    complete_open(rt, case.id, "check_b")  # the plan starts, with its deadline
    assert timer_names(rt, case.id) == ["plan_termijn"]
    complete_open(rt, case.id, "plan")  # the deadline goes with the plan; the case waits
    assert timer_names(rt, case.id) == ["wacht"]


def test_a_completion_that_changes_the_phase_closes_its_period_and_opens_the_next(rt: Runtime) -> None:
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")
    assert case_phase(rt, case.id) == "analyse"
    assert periods(rt, case.id) == [("triage", False), ("analyse", True)]
    for spec_id in ("analyse", "check_a", "check_b"):
        complete_open(rt, case.id, spec_id)
    assert case_phase(rt, case.id) == "plan"
    assert periods(rt, case.id) == [("triage", False), ("analyse", False), ("plan", True)]
