"""The measured scenarios: completing a task, the timer sweep, a five-year case's size and load
time, and whether the inbox costs grow with the page rather than with the number of cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from engine import tasks, timers
from engine.accounts import actor_by_username
from engine.case_state import load_case
from engine.runtime import Runtime
from engine.storage.tables import Case
from tests.factories import complete_open, start_test_case, walk_to_monitoring

Timer = Callable[[Callable[[], Any], int], float]


def run_all(rt: Runtime, median_ms: Timer) -> dict[str, Any]:
    return {
        "start_case_ms": median_ms(lambda: start_test_case(rt), 30),
        "complete_task_ms": _complete_task(rt, median_ms),
        "five_year_case": _five_year_case(rt, median_ms),
        "inbox": _inbox_scaling(rt, median_ms),
        "sweep": _sweep(rt),
        "monitor": _monitor(rt, median_ms),  # coordinator dashboard (issue 12); last: it adds 10,000 cases
    }


def _monitor(rt: Runtime, median_ms: Timer) -> dict[str, Any]:
    from bench.monitor import metrics_10k

    return metrics_10k(rt, median_ms)


def run_library(rt: Runtime, median_ms: Timer) -> dict[str, Any]:
    """A real region (Utrecht) lived for five years: every task done with the forms' examples,
    every timer fired on its moment (evaluations, effect measurements)."""
    from tests.scenarios import walker

    run = walker.start(rt, "utrecht")
    start = walker.now(rt)
    sizes = {}
    for year in range(1, 6):
        walker.live(run, walker.plus(start, f"P{year}Y"))
        sizes[year] = _state_bytes(rt, run.id)

    def load() -> None:
        with rt.uow() as uow:
            load_case(uow.session, run.id)

    evaluations = len(run.completed("evaluatie"))
    return {
        "region": "utrecht",
        "evaluations_in_5_years": evaluations,
        "tasks_completed": len(run.completed()),
        "state_bytes_after_1_year": sizes[1],
        "state_bytes_after_5_years": sizes[5],
        "load_ms_after_5_years": median_ms(load, 20),
    }


def _complete_task(rt: Runtime, median_ms: Timer) -> float:
    cases = [start_test_case(rt).id for _ in range(30)]
    pending = iter(cases)
    return median_ms(lambda: complete_open(rt, next(pending), "triage"), len(cases))


def _five_year_case(rt: Runtime, median_ms: Timer) -> dict[str, Any]:
    """20 quarterly evaluations: what the growing task tree costs to store and to load."""
    case_id = start_test_case(rt).id
    walk_to_monitoring(rt, case_id)
    sizes = {}
    for quarter in range(1, 21):
        rt.clock.advance("P3M")
        timers.run_due(rt)
        complete_open(rt, case_id, "evaluatie")
        if quarter in (4, 20):
            sizes[quarter] = _state_bytes(rt, case_id)

    def load() -> None:
        with rt.uow() as uow:
            load_case(uow.session, case_id)

    return {
        "state_bytes_after_1_year": sizes[4],
        "state_bytes_after_5_years": sizes[20],
        "load_ms_after_5_years": median_ms(load, 20),
        "complete_evaluation_ms_after_5_years": _one_more_evaluation(rt, case_id, median_ms),
    }


def _state_bytes(rt: Runtime, case_id: int) -> int:
    with rt.uow() as uow:
        return len(uow.session.scalar(select(Case.state).where(Case.id == case_id)) or "")


def _one_more_evaluation(rt: Runtime, case_id: int, median_ms: Timer) -> float:
    def cycle() -> None:
        rt.clock.advance("P3M")
        timers.run_due(rt)
        complete_open(rt, case_id, "evaluatie")

    return median_ms(cycle, 5)


def _inbox_scaling(rt: Runtime, median_ms: Timer) -> dict[str, Any]:
    actor = actor_by_username(rt, "utrecht.veilig_thuis")
    figures = {}
    for target in (200, 2000):
        with rt.uow() as uow:
            existing = uow.session.scalar(select(func.count()).select_from(Case)) or 0
        for _ in range(max(0, target - existing)):
            start_test_case(rt)
        figures[f"page_of_50_with_{target}_cases_ms"] = median_ms(
            lambda: tasks.inbox(rt, actor, tasks.TaskFilter(limit=50)), 20
        )
    small, large = figures["page_of_50_with_200_cases_ms"], figures["page_of_50_with_2000_cases_ms"]
    figures["ratio_2000_to_200"] = round(large / small, 2) if small else None
    return figures


def _sweep(rt: Runtime) -> dict[str, Any]:
    import time

    ids = [start_test_case(rt).id for _ in range(100)]
    for case_id in ids:
        walk_to_monitoring(rt, case_id)
    rt.clock.advance("P3M")
    started = time.perf_counter()
    result = timers.run_due(rt)
    seconds = time.perf_counter() - started
    return {"cases": result.cases_advanced, "timers_per_second": round(result.cases_advanced / seconds, 1)}
