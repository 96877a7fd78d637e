"""The region's figures for the dashboard and the heatmap: open cases per phase, inflow per month
against the region's target, lead time per phase (median and 90th percentile), evaluations due,
overdue tasks per role, closures and their reasons, and where the cases wait on the diagram.
Aggregates only, so no access log; listing the cases at one element is a logged read."""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config.monitoring import INFLOW_TARGETS
from engine import access, audit
from engine.errors import NotFound
from engine.model_checks import PHASES
from engine.monitoring.stuck import stuck_case_ids
from engine.process_models import main_process_id
from engine.runtime import Actor, Runtime
from engine.storage.tables import Case, ModelVersion, PhasePeriod, Task, Timer

DAY = 86400.0
NO_REASON = "onbekend"


@dataclass(frozen=True)
class ElementWait:
    element_id: str
    name: str
    count: int
    median_days: float


@dataclass(frozen=True)
class InflowMonth:
    month: str  # YYYY-MM
    count: int
    target_low: float | None
    target_high: float | None


@dataclass(frozen=True)
class LeadTime:
    phase: str
    count: int
    median_days: float
    p90_days: float


@dataclass(frozen=True)
class RegionMetrics:
    region: str
    at: datetime
    open_per_phase: dict[str, int]
    inflow: list[InflowMonth]
    lead_times: list[LeadTime]
    evaluations_due: int
    overdue_per_role: dict[str, int]
    closures: dict[str, int]
    stuck: int
    heatmap: list[ElementWait]


def p90(values: list[float]) -> float:
    """The 90th percentile by nearest rank: the smallest value at or above 90% of the values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def region_metrics(rt: Runtime, actor: Actor, region: str, process_id: str | None = None) -> RegionMetrics:
    """The dashboard's figures, with the heatmap of one process's diagram (the region's main
    process unless named). Raises Forbidden (not the region's coordinator or beheerder)."""
    access.require_monitor_region(actor, region)
    now = rt.clock.now()
    with rt.uow() as uow:
        return compute_metrics(rt, uow.session, region, now, process_id or main_process_id(region))


def compute_metrics(
    rt: Runtime, session: Session, region: str, now: datetime, process_id: str
) -> RegionMetrics:
    config = rt.settings.monitoring
    open_cases = (Case.region == region) & (Case.status == "open")
    per_phase = dict(
        session.execute(select(Case.phase, func.count()).where(open_cases).group_by(Case.phase)).all()
    )
    due = session.scalar(
        select(func.count(Timer.id))
        .join(Case, Case.id == Timer.case_id)
        .where(
            open_cases,
            Timer.spec_id.in_(config.evaluation_timers),
            Timer.due_at >= now,
            Timer.due_at <= now + timedelta(days=config.due_window_days),
        )
    )
    overdue = session.execute(
        select(Task.role, func.count())
        .where(Task.region == region, Task.status == "open", Task.due_at < now)
        .group_by(Task.role)
    ).all()
    return RegionMetrics(
        region=region,
        at=now,
        open_per_phase={phase: per_phase[phase] for phase in PHASES if per_phase.get(phase)},
        inflow=_inflow(session, region, now),
        lead_times=_lead_times(session, region),
        evaluations_due=due or 0,
        overdue_per_role=dict(sorted((role or "-", n) for role, n in overdue)),
        closures=_closures(rt, session, region),
        stuck=len(stuck_case_ids(rt, session, [region], now)),
        heatmap=element_waits(rt, session, region, process_id, now),
    )


def _month(moment: datetime) -> tuple[int, int]:
    return moment.year, moment.month


def _inflow(session: Session, region: str, now: datetime) -> list[InflowMonth]:
    counts = Counter(
        _month(at) for at in session.scalars(select(Case.created_at).where(Case.region == region))
    )
    if not counts:
        return []
    first_year, first_month = min(counts)
    targets = INFLOW_TARGETS.get(region)
    months = []
    year, month = first_year, first_month
    index = 0
    while (year, month) <= _month(now):
        low = high = None
        if targets is not None:
            low, high = (value / 12 for value in targets[0 if index < 12 else 1])
        months.append(InflowMonth(f"{year:04d}-{month:02d}", counts.get((year, month), 0), low, high))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        index += 1
    return months


def _lead_times(session: Session, region: str) -> list[LeadTime]:
    durations: dict[str, list[float]] = defaultdict(list)
    rows = session.execute(
        select(PhasePeriod.phase, PhasePeriod.started_at, PhasePeriod.ended_at).where(
            PhasePeriod.region == region, PhasePeriod.ended_at.is_not(None)
        )
    )
    for phase, started, ended in rows:
        if ended is not None:
            durations[phase].append((ended - started).total_seconds() / DAY)
    return [
        LeadTime(phase, len(values), statistics.median(values), p90(values))
        for phase in PHASES
        if (values := durations.get(phase))
    ]


def _closures(rt: Runtime, session: Session, region: str) -> dict[str, int]:
    """Closed cases per reason: the last reason field (config) a completed form of the case gave."""
    fields = rt.settings.monitoring.closure_reason_fields
    forms = [key for key, form in rt.forms.items() if any(f["name"] in fields for f in form.fields)]
    closed = select(Case.id).where(Case.region == region, Case.status == "closed")
    reasons: dict[int, str] = {case_id: NO_REASON for case_id in session.scalars(closed)}
    if forms and reasons:
        rows = session.execute(
            select(Task.case_id, Task.data)
            .where(Task.case_id.in_(closed), Task.status == "completed", Task.form_key.in_(forms))
            .order_by(Task.completed_at, Task.id)
        )
        for case_id, data in rows:
            reason = next((data[f] for f in fields if isinstance((data or {}).get(f), str)), None)
            if reason:
                reasons[case_id] = reason
    return dict(sorted(Counter(reasons.values()).items()))


# ---- the heatmap -------------------------------------------------------------------------------


def element_map(spec_json: str) -> tuple[dict[str, str], dict[str, str]]:
    """(BPMN id -> the element of the main diagram it happens inside, element id -> its name).
    Work inside a called process shows on the call activity that calls it."""
    spec = json.loads(spec_json)
    subprocesses = spec.get("subprocess_specs", {})
    top: dict[str, str] = {}
    names: dict[str, str] = {}
    main = [t for t in spec["spec"]["task_specs"].values() if t.get("bpmn_id")]
    for task in main:
        top[task["bpmn_id"]] = task["bpmn_id"]
        names[task["bpmn_id"]] = task.get("bpmn_name") or task["bpmn_id"]
    for task in main:
        seen: set[str] = set()
        pending = [task.get("spec")] if task.get("typename") == "CallActivity" else []
        while pending:
            name = pending.pop()
            if not isinstance(name, str) or name in seen or name not in subprocesses:
                continue
            seen.add(name)
            for inner in subprocesses[name]["task_specs"].values():
                if inner.get("bpmn_id"):
                    top.setdefault(inner["bpmn_id"], task["bpmn_id"])
                if inner.get("typename") == "CallActivity":
                    pending.append(inner.get("spec"))
    return top, names


def _waits(
    rt: Runtime, session: Session, region: str, process_id: str
) -> list[tuple[str, int, datetime, str]]:
    """(element on the main diagram, case id, waiting since, element name) of every open wait."""
    open_cases = (Case.region == region) & (Case.status == "open") & (Case.process_id == process_id)
    tasks = session.execute(
        select(Task.spec_id, Task.case_id, Task.created_at, Task.name, Case.model_version_id)
        .join(Case, Case.id == Task.case_id)
        .where(open_cases, Task.status == "open")
    ).all()
    timers = session.execute(
        select(
            Timer.spec_id, Timer.case_id, func.coalesce(Timer.created_at, Case.last_activity_at), Timer.name,
            Case.model_version_id,
        )
        .join(Case, Case.id == Timer.case_id)
        .where(open_cases)
    ).all()  # fmt: skip
    maps: dict[int, tuple[dict[str, str], dict[str, str]]] = {}
    waits = []
    for spec_id, case_id, since, name, version_id in [*tasks, *timers]:
        if version_id not in maps:
            text = session.scalar(select(ModelVersion.spec_json).where(ModelVersion.id == version_id))
            maps[version_id] = element_map(text) if text else ({}, {})
        top, names = maps[version_id]
        element = top.get(spec_id, spec_id)
        waits.append((element, case_id, since, names.get(element, name)))
    return waits


def heatmap(rt: Runtime, actor: Actor, region: str, process_id: str | None = None) -> list[ElementWait]:
    """Where the region's cases wait now on the diagram of one of its processes. Raises Forbidden."""
    access.require_monitor_region(actor, region)
    with rt.uow() as uow:
        return element_waits(rt, uow.session, region, process_id or main_process_id(region), rt.clock.now())


def element_waits(
    rt: Runtime, session: Session, region: str, process_id: str, now: datetime
) -> list[ElementWait]:
    """Per element of the diagram: how many cases wait there now and their median waiting time in
    days (a case waiting twice at one element counts once, with its longest wait)."""
    longest: dict[tuple[str, int], float] = {}
    names: dict[str, str] = {}
    for element, case_id, since, name in _waits(rt, session, region, process_id):
        days = (now - since).total_seconds() / DAY
        longest[(element, case_id)] = max(days, longest.get((element, case_id), 0.0))
        names.setdefault(element, name)
    per_element: dict[str, list[float]] = defaultdict(list)
    for (element, _), days in longest.items():
        per_element[element].append(days)
    return sorted(
        (ElementWait(e, names[e], len(d), statistics.median(d)) for e, d in per_element.items()),
        key=lambda w: (-w.count, w.element_id),
    )


@dataclass(frozen=True)
class WaitingCase:
    case_id: int
    title: str
    phase: str
    waiting_days: float


def element_cases(
    rt: Runtime, actor: Actor, region: str, element_id: str, process_id: str | None = None
) -> list[WaitingCase]:
    """The cases waiting at one element of the diagram, longest first; an access-logged read.
    Raises Forbidden."""
    role = access.require_monitor_region(actor, region)
    now = rt.clock.now()
    with rt.uow() as uow:
        waits = [
            w
            for w in _waits(rt, uow.session, region, process_id or main_process_id(region))
            if w[0] == element_id
        ]
        longest: dict[int, float] = {}
        for _, case_id, since, _name in waits:
            longest[case_id] = max((now - since).total_seconds() / DAY, longest.get(case_id, 0.0))
        rows: dict[int, Any] = {
            c.id: c for c in uow.session.scalars(select(Case).where(Case.id.in_(longest)))
        }
        for case_id in sorted(longest):
            audit.log_access(uow.session, now, actor, case_id, role, "monitor_heatmap")
        uow.commit()
    return sorted(
        (WaitingCase(i, rows[i].title, rows[i].phase, d) for i, d in longest.items()),
        key=lambda w: (-w.waiting_days, w.case_id),
    )


def diagram_source(rt: Runtime, actor: Actor, region: str, process_id: str | None = None) -> str:
    """The BPMN XML of the region's published process, for the heatmap. Raises Forbidden, NotFound."""
    access.require_monitor_region(actor, region)
    with rt.uow() as uow:
        source = uow.session.scalar(
            select(ModelVersion.source).where(
                ModelVersion.region == region,
                ModelVersion.process_id == (process_id or main_process_id(region)),
                ModelVersion.status == "published",
                ModelVersion.kind == "bpmn",
            )
        )
    if source is None:
        raise NotFound("Deze regio heeft (nog) geen gepubliceerd proces.", code="no_published_process")
    return source
