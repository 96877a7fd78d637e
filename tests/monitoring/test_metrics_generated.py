"""Dashboard figures on generated data: a few hundred cases started over three simulated years and
worked at random (seeded), with every number of the dashboard and the heatmap checked against an
independent computation in this test. The test keeps its own record of what it did and of what it
saw after every step (phases, open work, timers), and computes the figures from that record."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from config.monitoring import DEFAULT_RULES
from engine import accounts, timers
from engine.monitoring import metrics
from engine.runtime import Runtime
from engine.storage.tables import Case, Task, Timer
from tests.factories import complete_open, start_test_case

REGION = "utrecht"
STEP = timedelta(days=5)
STEPS = 219  # three years of five-day steps
DAY = 86400.0


@dataclass
class Seen:
    """What the test itself saw of one case."""

    started_at: datetime
    phases: list[tuple[datetime, str]] = field(default_factory=list)
    waits: dict[str, tuple[str, datetime]] = field(default_factory=dict)  # row id -> (element, first seen)
    last_change_at: datetime | None = None
    closed_at: datetime | None = None
    reason: str | None = None
    consultation_at: datetime | None = None


def observe(rt: Runtime, seen: dict[int, Seen], now: datetime) -> None:
    """Read phases, open tasks and timers after a step and note every change at `now`."""
    with rt.uow() as uow:
        cases = uow.session.execute(select(Case.id, Case.phase, Case.status)).all()
        tasks = uow.session.execute(
            select(Task.id, Task.case_id, Task.spec_id).where(Task.status == "open")
        ).all()
        waiting = uow.session.execute(select(Timer.id, Timer.case_id, Timer.spec_id)).all()
    current: dict[int, dict[str, str]] = defaultdict(dict)
    for row_id, case_id, spec_id in [*tasks, *waiting]:
        current[case_id][row_id] = spec_id
    for case_id, phase, status in cases:
        record = seen[case_id]
        if not record.phases or record.phases[-1][1] != phase:
            record.phases.append((now, phase))
        if status == "closed" and record.closed_at is None:
            record.closed_at = now
        before = {row_id: element for row_id, (element, _) in record.waits.items()}
        if before != current[case_id]:
            record.last_change_at = now
        record.waits = {
            row_id: record.waits[row_id] if row_id in record.waits else (element, now)
            for row_id, element in current[case_id].items()
        }


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(len(ordered) * 9 / 10) - 1]


def expected_figures(seen: dict[int, Seen], now: datetime, due_timers: list[datetime], overdue: Counter[str]):  # type: ignore[no-untyped-def]
    open_cases = {i: s for i, s in seen.items() if s.closed_at is None}
    months = Counter(f"{s.started_at.year:04d}-{s.started_at.month:02d}" for s in seen.values())
    durations: dict[str, list[float]] = defaultdict(list)
    for record in seen.values():
        # Closing sets the phase 'afsluiting' at the closing moment: the end, not a period of its own.
        phases = [(at, phase) for at, phase in record.phases if at != record.closed_at]
        moments = phases + ([(record.closed_at, "")] if record.closed_at else [])
        for (start, phase), (end, _) in zip(moments, moments[1:], strict=False):
            durations[phase].append((end - start).total_seconds() / DAY)
    heat: dict[str, list[float]] = defaultdict(list)
    for record in open_cases.values():
        longest: dict[str, float] = {}
        for element, since in record.waits.values():
            longest[element] = max(longest.get(element, 0.0), (now - since).total_seconds() / DAY)
        for element, days in longest.items():
            heat[element].append(days)
    return {
        "open_per_phase": Counter(s.phases[-1][1] for s in open_cases.values()),
        "months": months,
        "lead_times": {p: (len(v), statistics.median(v), p90(v)) for p, v in durations.items()},
        "evaluations_due": sum(1 for due in due_timers if now <= due <= now + timedelta(days=30)),
        "overdue": dict(overdue),
        "closures": Counter(s.reason or "onbekend" for s in seen.values() if s.closed_at),
        "heatmap": {e: (len(v), statistics.median(v)) for e, v in heat.items()},
        "stuck": expected_stuck(seen, open_cases, now),
    }


def expected_stuck(seen: dict[int, Seen], open_cases: dict[int, Seen], now: datetime) -> int:
    """The default rules, applied to the test's own record (no element rules by default)."""
    days = {key: timedelta(days=n) for key, n in DEFAULT_RULES.items()}
    stuck = set()
    for case_id, record in open_cases.items():
        elements = [element for element, _ in record.waits.values()]
        has_timer = any(e in ("wacht", "plan_termijn") for e in elements)
        assert record.last_change_at is not None
        if not has_timer and record.last_change_at <= now - days[("idle", "")]:
            stuck.add(case_id)
        phase_since, phase = record.phases[-1]
        if ("phase_too_long", phase) in days and phase_since <= now - days[("phase_too_long", phase)]:
            stuck.add(case_id)
        for element, since in record.waits.values():
            if element == "evaluatie" and since <= now - days[("evaluation_missed", "")]:
                stuck.add(case_id)
            if element == "plan" and since + timedelta(days=5) <= now - days[("task_overdue", "")]:
                stuck.add(case_id)  # the plan is due five days after it opened (plan_termijn)
    return len(stuck)


@pytest.mark.slow
def test_every_dashboard_number_matches_an_independent_computation(mon_rt: Runtime) -> None:
    rt = mon_rt
    rng = random.Random(20261130)
    seen: dict[int, Seen] = {}
    now = rt.clock.now()
    for _ in range(STEPS):
        case = start_test_case(rt, ernst=rng.choice(["hoog", "laag"]))
        seen[case.id] = Seen(started_at=now)
        observe(rt, seen, now)
        for case_id in rng.sample(sorted(seen), k=min(4, len(seen))):
            work_on(rt, rng, seen[case_id], case_id, now)
            observe(rt, seen, now)
        now = rt.clock.advance("P5D")  # type: ignore[attr-defined]
        timers.run_due(rt)
        observe(rt, seen, now)

    with rt.uow() as uow:
        due_timers = list(uow.session.scalars(select(Timer.due_at).where(Timer.spec_id == "wacht")))
        open_tasks = uow.session.execute(select(Task.role, Task.due_at).where(Task.status == "open")).all()
    overdue = Counter(role for role, due in open_tasks if due is not None and due < now)
    expected = expected_figures(seen, now, due_timers, overdue)
    coordinator = accounts.actor_by_username(rt, f"{REGION}.coordinator")
    got = metrics.region_metrics(rt, coordinator, REGION, "test_flow")

    assert len(seen) == STEPS and sum(expected["closures"].values()) > 20  # hundreds of cases, many closed
    assert got.open_per_phase == dict(expected["open_per_phase"])
    assert {m.month: m.count for m in got.inflow if m.count} == dict(expected["months"])
    assert len(got.inflow) == 37  # January 2026 up to and including January 2029, empty months too
    _compare_lead_times(got.lead_times, expected["lead_times"])
    assert got.evaluations_due == expected["evaluations_due"]
    assert got.overdue_per_role == expected["overdue"]
    assert got.closures == dict(expected["closures"])
    _compare_heatmap(got.heatmap, expected["heatmap"])
    assert got.stuck == expected["stuck"] > 0
    print(
        f"\n{len(seen)} cases: {got.stuck} stuck, {got.evaluations_due} evaluations due, "
        f"overdue {got.overdue_per_role}"
    )


def _compare_lead_times(got, expected) -> None:  # type: ignore[no-untyped-def]
    assert {lt.phase for lt in got} == set(expected)
    for lt in got:
        count, median, high = expected[lt.phase]
        assert (lt.count, lt.median_days, lt.p90_days) == (count, pytest.approx(median), pytest.approx(high))


def _compare_heatmap(got, expected) -> None:  # type: ignore[no-untyped-def]
    assert {h.element_id for h in got} == set(expected)
    for h in got:
        assert (h.count, h.median_days) == (
            expected[h.element_id][0],
            pytest.approx(expected[h.element_id][1]),
        )
    return True


def work_on(rt: Runtime, rng: random.Random, record: Seen, case_id: int, now: datetime) -> None:
    """Complete one open task of the case with some probability, choosing the path at random."""
    with rt.uow() as uow:
        open_specs = sorted(
            uow.session.scalars(select(Task.spec_id).where(Task.case_id == case_id, Task.status == "open"))
        )
    if not open_specs or rng.random() < 0.3:
        return
    spec_id = rng.choice(open_specs)
    if spec_id == "triage":
        complete_open(rt, case_id, "triage", structureel=rng.random() < 0.8)
    elif spec_id == "advies":
        record.reason = rng.choice(["Regulier traject", "Ander traject"])
        complete_open(rt, case_id, "advies", advies=record.reason)
    elif spec_id == "evaluatie":
        decision = "afschalen" if rng.random() < 0.4 else "doorgaan"
        record.reason = decision
        complete_open(rt, case_id, "evaluatie", besluit=decision)
    else:
        complete_open(rt, case_id, spec_id)
