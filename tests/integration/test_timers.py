"""Timers on the simulated clock: the 3-monthly evaluation loop (interval from case data), the
non-interrupting plan deadline, fixed dates, cycles, and what happens after downtime. Time moves
only through the clock; the sweep is called explicitly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine import cases, process_models, tasks, timers
from engine.durations import add_duration
from engine.runtime import SYSTEM, Actor, Runtime
from tests.conftest import FIXTURES
from tests.factories import complete_open, open_tasks, start_test_case, walk_to_monitoring
from tests.integration.case_rows import case_row, events_of, tasks_of, timers_of

TERMIJNEN = FIXTURES / "workflows" / "regions" / "utrecht" / "test_termijnen.bpmn"


def open_spec_ids(rt: Runtime, case_id: int) -> list[str]:
    return sorted(t.spec_id for t in open_tasks(rt, case_id))


def start_termijnen_case(rt: Runtime, actor) -> cases.CaseSummary:  # type: ignore[no-untyped-def]
    return cases.start_case(
        rt, actor("utrecht", "procesregisseur"), "utrecht", {}, process_id="test_termijnen"
    )


def start_endless_reminder_case(rt: Runtime, actor) -> cases.CaseSummary:  # type: ignore[no-untyped-def]
    """test_termijnen with a weekly reminder that never stops (R/P7D), published as version 2."""
    text = TERMIJNEN.read_text(encoding="utf-8")
    assert '"R3/P7D"' in text
    draft = process_models.add_draft(
        rt, SYSTEM, "utrecht", text.replace('"R3/P7D"', '"R/P7D"'), TERMIJNEN.name
    )
    process_models.publish(rt, SYSTEM, "utrecht", draft.id)
    return start_termijnen_case(rt, actor)


def test_evaluation_timer_is_due_three_calendar_months_after_the_plan(rt: Runtime) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    (timer,) = timers_of(rt, case.id)
    assert timer.spec_id == "wacht"
    assert timer.due_at == add_duration(rt.clock.now(), "P3M")


def test_advancing_three_months_makes_exactly_one_evaluation_task_appear(rt: Runtime) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    rt.clock.advance("P2M")
    timers.run_due(rt)
    assert open_spec_ids(rt, case.id) == []

    rt.clock.advance("P1M")
    result = timers.run_due(rt)
    timers.run_due(rt)  # a second sweep at the same moment finds nothing left to fire

    assert result.cases_advanced == 1
    assert open_spec_ids(rt, case.id) == ["evaluatie"]
    assert len(tasks_of(rt, case.id, "evaluatie")) == 1
    assert len(events_of(rt, case.id, "timer_fired")) == 1
    assert case_row(rt, case.id).phase == "monitoring"


def test_a_year_of_three_monthly_advances_gives_exactly_four_evaluations(rt: Runtime) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    for _ in range(4):
        rt.clock.advance("P3M")
        timers.run_due(rt)
        assert open_spec_ids(rt, case.id) == ["evaluatie"]
        complete_open(rt, case.id, "evaluatie", besluit="doorgaan")

    assert len(tasks_of(rt, case.id, "evaluatie", status="completed")) == 4
    assert len(events_of(rt, case.id, "timer_fired")) == 4
    (timer,) = timers_of(rt, case.id)  # and the loop waits for the fifth
    assert timer.due_at == add_duration(rt.clock.now(), "P3M")


def test_low_severity_evaluates_every_six_months_so_twice_a_year(rt: Runtime) -> None:
    case = start_test_case(rt, ernst="laag")
    walk_to_monitoring(rt, case.id)
    assert timers_of(rt, case.id)[0].due_at == add_duration(rt.clock.now(), "P6M")
    evaluations = 0
    for _ in range(4):
        rt.clock.advance("P3M")
        timers.run_due(rt)
        if open_spec_ids(rt, case.id) == ["evaluatie"]:
            complete_open(rt, case.id, "evaluatie", besluit="doorgaan")
            evaluations += 1
    assert evaluations == 2
    assert len(events_of(rt, case.id, "timer_fired")) == 2


def test_evaluation_decision_afschalen_ends_the_loop_and_closes_the_case(rt: Runtime) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    rt.clock.advance("P3M")
    timers.run_due(rt)
    complete_open(rt, case.id, "evaluatie", besluit="afschalen")
    row = case_row(rt, case.id)
    assert row.status == "closed" and row.phase == "afsluiting"
    assert timers_of(rt, case.id) == []


def test_plan_deadline_is_the_plan_tasks_due_moment(rt: Runtime) -> None:
    case = start_test_case(rt)
    for spec_id in ("triage", "analyse", "check_a", "check_b"):
        complete_open(rt, case.id, spec_id)
    (plan,) = tasks_of(rt, case.id, "plan")
    (deadline,) = timers_of(rt, case.id)
    assert deadline.spec_id == "plan_termijn"
    assert plan.due_at == deadline.due_at == rt.clock.now() + timedelta(days=5)


def test_plan_deadline_creates_a_reminder_without_cancelling_the_plan(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    for spec_id in ("triage", "analyse", "check_a", "check_b"):
        complete_open(rt, case.id, spec_id)
    due_at = tasks_of(rt, case.id, "plan")[0].due_at
    rt.clock.advance("P4D")
    timers.run_due(rt)
    assert open_spec_ids(rt, case.id) == ["plan"]

    rt.clock.advance("P1D")
    timers.run_due(rt)

    assert open_spec_ids(rt, case.id) == ["herinnering", "plan"]
    assert len(events_of(rt, case.id, "timer_fired")) == 1
    assert events_of(rt, case.id, "task_cancelled") == []
    (plan,) = tasks_of(rt, case.id, "plan")
    assert plan.status == "open" and plan.due_at == due_at  # still due then, so overdue from now on
    rt.clock.advance("PT1H")
    overdue, _ = tasks.inbox(rt, actor("utrecht", "casusregisseur"), tasks.TaskFilter(overdue=True))
    assert [t.id for t in overdue] == [plan.id]
    assert case_row(rt, case.id).phase == "opschaling"

    complete_open(rt, case.id, "plan")  # the plan goes on to monitoring; the reminder stays
    assert open_spec_ids(rt, case.id) == ["herinnering"]
    assert [t.spec_id for t in timers_of(rt, case.id)] == ["wacht"]


def test_plan_finished_in_time_leaves_no_deadline_behind(rt: Runtime) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    rt.clock.advance("P5D")
    timers.run_due(rt)
    assert [t.spec_id for t in timers_of(rt, case.id)] == ["wacht"]
    assert tasks_of(rt, case.id, "herinnering") == []
    assert events_of(rt, case.id, "timer_fired") == []


def test_overdue_loop_timer_fires_once_after_a_year_of_downtime(rt: Runtime) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    rt.clock.advance("P1Y")  # nobody swept for a year

    first = timers.run_due(rt)
    second = timers.run_due(rt)

    assert (first.cases_advanced, second.cases_advanced) == (1, 0)
    assert len(events_of(rt, case.id, "timer_fired")) == 1
    assert open_spec_ids(rt, case.id) == ["evaluatie"]
    complete_open(rt, case.id, "evaluatie", besluit="doorgaan")
    (timer,) = timers_of(rt, case.id)  # the next evaluation counts from now, not from the backlog
    assert timer.due_at == add_duration(rt.clock.now(), "P3M")


def test_date_timer_fires_at_its_moment_and_not_before(rt: Runtime, actor) -> None:
    case = start_termijnen_case(rt, actor)
    moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert moment in [t.due_at for t in timers_of(rt, case.id)]
    rt.clock.set(moment - timedelta(minutes=1))
    timers.run_due(rt)
    assert "na_datum" not in open_spec_ids(rt, case.id)

    rt.clock.set(moment)
    timers.run_due(rt)
    timers.run_due(rt)

    assert open_spec_ids(rt, case.id).count("na_datum") == 1
    assert [e.data["spec_id"] for e in events_of(rt, case.id, "timer_fired")].count("datum") == 1


def test_cycle_timer_reminds_every_period_and_stops_after_its_repetitions(rt: Runtime, actor) -> None:
    case = start_termijnen_case(rt, actor)
    started = rt.clock.now()
    reminders = []
    for week in range(1, 5):
        rt.clock.set(started + timedelta(days=7 * week))
        timers.run_due(rt)
        reminders.append(open_spec_ids(rt, case.id).count("herinner"))
    assert reminders == [1, 2, 3, 3]  # R3: three reminders, then the cycle is done
    fired = [e.data["spec_id"] for e in events_of(rt, case.id, "timer_fired")]
    assert fired.count("wekelijks") == 3
    assert "wekelijks" not in [t.spec_id for t in timers_of(rt, case.id)]
    assert open_spec_ids(rt, case.id).count("lopend") == 1  # non-interrupting


def test_cycle_and_date_timers_fire_once_after_downtime(rt: Runtime, actor) -> None:
    case = start_termijnen_case(rt, actor)
    rt.clock.advance("P1Y")

    for _ in range(3):
        timers.run_due(rt)

    # One reminder for the three missed weeks, and the date once; the R3 cycle is then spent.
    assert open_spec_ids(rt, case.id) == ["herinner", "lopend", "na_datum"]
    fired = [e.data["spec_id"] for e in events_of(rt, case.id, "timer_fired")]
    assert sorted(fired) == ["datum", "wekelijks"]
    assert timers_of(rt, case.id) == []


def test_endless_cycle_after_downtime_reminds_once_and_resumes_in_the_future(rt: Runtime, actor) -> None:
    case = start_endless_reminder_case(rt, actor)
    rt.clock.advance("P1Y")

    for _ in range(3):
        timers.run_due(rt)

    assert open_spec_ids(rt, case.id) == ["herinner", "lopend", "na_datum"]
    (cycle,) = timers_of(rt, case.id)
    assert rt.clock.now() < cycle.due_at <= rt.clock.now() + timedelta(days=7)
    rt.clock.set(cycle.due_at)
    timers.run_due(rt)
    assert open_spec_ids(rt, case.id) == ["herinner", "herinner", "lopend", "na_datum"]


def test_timer_sweep_acts_as_the_system(rt: Runtime, actor: Actor) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    rt.clock.advance("P3M")
    timers.run_due(rt)
    (fired,) = events_of(rt, case.id, "timer_fired")
    assert fired.actor_id is None
    assert fired.data["spec_id"] == "wacht"
