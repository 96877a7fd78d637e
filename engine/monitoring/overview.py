"""The coordinator's lists: stuck cases (rule, since when, what the case waits for), overdue tasks
and escalations of one region. The pages and GET /api/v1/monitor/* call these same functions, so
both show the same numbers. Every case listed is a read of case data: access-logged."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from config.monitoring import LADDER
from engine import access, audit
from engine.errors import Invalid
from engine.monitoring.stuck import Lapse, WaitItem, find_lapses, waiting_for
from engine.runtime import Actor, Runtime
from engine.storage.tables import Case, Escalation, Task, User


@dataclass(frozen=True)
class RuleHit:
    kind: str
    label: str
    subject: str
    days: int
    since_at: datetime


@dataclass(frozen=True)
class EscalationInfo:
    id: int
    case_id: int
    region: str
    rule_kind: str
    subject: str
    since_at: datetime
    level: int
    of: int
    next_step_at: datetime | None
    status: str
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    on_agenda_at: datetime | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class StuckCase:
    case_id: int
    title: str
    phase: str
    since_at: datetime
    rules: list[RuleHit]
    waiting_for: list[WaitItem]
    escalation: EscalationInfo | None


@dataclass(frozen=True)
class OverdueTask:
    task_id: str
    case_id: int
    name: str
    role: str | None
    assignee: str | None
    due_at: datetime
    days_overdue: int


@dataclass(frozen=True)
class OverdueList:
    items: list[OverdueTask]
    per_role: dict[str, int]


def default_region(actor: Actor, region: str | None) -> str:
    """The region asked for, or the only one the actor watches. Raises Invalid, Forbidden."""
    if region:
        return region
    regions = access.monitor_regions(actor)
    if len(regions) != 1:
        raise Invalid("Kies een regio.", code="region_required", details={"region": ["Verplicht."]})
    return regions[0]


def _log_reads(
    session: Session, now: datetime, actor: Actor, role: str, case_ids: list[int], kind: str
) -> None:
    for case_id in sorted(set(case_ids)):
        audit.log_access(session, now, actor, case_id, role, kind)


def stuck_cases(rt: Runtime, actor: Actor, region: str) -> list[StuckCase]:
    """The region's stuck cases, longest stuck first. Raises Forbidden."""
    role = access.require_monitor_region(actor, region)
    now = rt.clock.now()
    with rt.uow() as uow:
        session = uow.session
        by_case: dict[int, list[Lapse]] = {}
        for lapse in find_lapses(rt, session, region, now):
            by_case.setdefault(lapse.case_id, []).append(lapse)
        ids = list(by_case)
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
        waits = waiting_for(session, ids)
        escalations = {e.case_id: e for e in escalation_infos(session, region, ids, active_only=True)}
        result = [
            StuckCase(
                case_id,
                cases[case_id].title,
                cases[case_id].phase,
                lapses[0].since_at,
                [RuleHit(x.rule.kind, x.rule.label, x.rule.subject, x.rule.days, x.since_at) for x in lapses],
                waits[case_id],
                escalations.get(case_id),
            )  # fmt: skip
            for case_id, lapses in by_case.items()
        ]
        _log_reads(session, now, actor, role, ids, "monitor_stuck")
        uow.commit()
    return sorted(result, key=lambda s: (s.since_at, s.case_id))


def overdue_tasks(rt: Runtime, actor: Actor, region: str) -> OverdueList:
    """Open tasks of the region past their due moment, most overdue first, and the count per role."""
    role = access.require_monitor_region(actor, region)
    now = rt.clock.now()
    assignee = aliased(User)
    with rt.uow() as uow:
        rows = uow.session.execute(
            select(Task, assignee.username)
            .outerjoin(assignee, assignee.id == Task.assignee_id)
            .where(Task.region == region, Task.status == "open", Task.due_at < now)
            .order_by(Task.due_at, Task.id)
        ).all()
        items = [
            OverdueTask(t.id, t.case_id, t.name, t.role, name, t.due_at, (now - t.due_at).days)
            for t, name in rows
            if t.due_at is not None
        ]
        _log_reads(uow.session, now, actor, role, [t.case_id for t in items], "monitor_overdue")
        uow.commit()
    per_role = Counter(item.role or "-" for item in items)
    return OverdueList(items, dict(sorted(per_role.items())))


def escalation_infos(
    session: Session, region: str, case_ids: list[int] | None = None, *, active_only: bool = False,
    status: str | None = None,
) -> list[EscalationInfo]:  # fmt: skip
    acknowledger = aliased(User)
    query = (
        select(Escalation, acknowledger.username)
        .outerjoin(acknowledger, acknowledger.id == Escalation.acknowledged_by)
        .where(Escalation.region == region)
    )
    if case_ids is not None:
        query = query.where(Escalation.case_id.in_(case_ids))
    if active_only:
        query = query.where(Escalation.status.in_(("open", "acknowledged")))
    if status:
        query = query.where(Escalation.status == status)
    return [
        EscalationInfo(
            e.id,
            e.case_id,
            e.region,
            e.rule_kind,
            e.subject,
            e.since_at,
            e.level,
            len(LADDER),
            e.next_step_at,
            e.status,
            name,
            e.acknowledged_at,
            e.on_agenda_at,
            e.resolved_at,
        )  # fmt: skip
        for e, name in session.execute(query.order_by(Escalation.since_at, Escalation.id))
    ]


def escalations(rt: Runtime, actor: Actor, region: str, status: str | None = None) -> list[EscalationInfo]:
    """The region's escalations (optionally of one status), oldest lapse first. Raises Forbidden."""
    role = access.require_monitor_region(actor, region)
    now = rt.clock.now()
    with rt.uow() as uow:
        items = escalation_infos(uow.session, region, status=status)
        _log_reads(uow.session, now, actor, role, [e.case_id for e in items], "monitor_escalations")
        uow.commit()
    return items
