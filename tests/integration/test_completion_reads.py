"""A completion reads only what its step can change: the locked case and its tasks (with the team)
always, in one statement; the timer rows only when the step moved the workflow's timers; the open
phase period only when the case changes phase. A step that does change them still writes them."""

from __future__ import annotations

from sqlalchemy import select

from engine import tasks
from engine.runtime import Runtime
from engine.storage.tables import Case, PhasePeriod, Timer
from tests.factories import complete_open, open_tasks, start_test_case
from tests.sql import starting_with, statements


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


def test_a_step_keeping_timers_and_phase_reads_only_case_and_tasks(rt: Runtime, actor) -> None:  # type: ignore[no-untyped-def]
    case = start_test_case(rt)
    for spec_id in ("triage", "analyse"):
        complete_open(rt, case.id, spec_id)
    before = periods(rt, case.id)
    check_a = next(task for task in open_tasks(rt, case.id) if task.spec_id == "check_a")
    worker, data = actor(check_a.region, check_a.role), rt.forms["test_check"].examples(check_a.region)
    with statements(rt) as sent:
        tasks.complete(rt, worker, check_a.id, data)  # check_b stays open: no new task, timer or phase
    clock_reads = [read for read in starting_with(sent, "SELECT") if "system_settings" in read]  # simulated
    (case_read,) = starting_with(sent, "WITH")  # the case locked, joined to its tasks with its team
    assert "FOR UPDATE" in case_read or rt.db.dialect.name == "sqlite"
    assert len(starting_with(sent, "UPDATE")) == 2  # the case, the completed task
    assert len(starting_with(sent, "INSERT")) == 1  # the events
    assert len(sent) - len(clock_reads) == 4
    assert periods(rt, case.id) == before


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
