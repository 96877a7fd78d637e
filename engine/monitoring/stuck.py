"""Which cases of a region are stuck now, by which rule, since when, and what each waits for.
Plain indexed queries over the derived rows (tasks, timers, phase periods, team); one query per
rule kind, so the cost grows with the stuck cases, not with the whole region."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from config.monitoring import RULE_KINDS
from engine.monitoring.rules import Rule, effective_rules
from engine.runtime import Runtime
from engine.storage.tables import Case, CaseTeamMember, PhasePeriod, Task, Timer, User


@dataclass(frozen=True)
class Lapse:
    """One rule catching one case: `key` names this lapse for good (the escalation's identity)."""

    key: str
    case_id: int
    rule: Rule
    since_at: datetime
    task_id: str | None = None


@dataclass(frozen=True)
class WaitItem:
    kind: str  # task | timer | message
    name: str
    element_id: str
    who: str | None  # the assignee, or "pool <role>" for a claimable task
    at: datetime | None  # a task's due moment, a timer's moment


def find_lapses(rt: Runtime, session: Session, region: str, now: datetime) -> list[Lapse]:
    """Every lapse of the region's open cases under its active rules, earliest first."""
    lapses = _lapses(rt, session, region, now)
    return sorted(lapses, key=lambda lapse: (lapse.since_at, _KIND_ORDER[lapse.rule.kind], lapse.key))


def _lapses(rt: Runtime, session: Session, region: str, now: datetime) -> list[Lapse]:
    lapses: list[Lapse] = []
    for rule in effective_rules(rt, session, region):
        if rule.is_active:
            lapses += _FINDERS[rule.kind](rt, session, region, rule, now)
    return lapses


_KIND_ORDER = {kind: n for n, kind in enumerate(RULE_KINDS)}


def first_lapse_per_case(lapses: Iterable[Lapse]) -> dict[int, Lapse]:
    first: dict[int, Lapse] = {}
    for lapse in lapses:
        first.setdefault(lapse.case_id, lapse)
    return first


def _open_case(region: str) -> Any:
    return (Case.region == region) & (Case.status == "open")


def _idle(rt: Runtime, session: Session, region: str, rule: Rule, now: datetime) -> list[Lapse]:
    limit = timedelta(days=rule.days)
    rows = session.execute(
        select(Case.id, Case.last_activity_at).where(
            _open_case(region),
            Case.last_activity_at <= now - limit,
            ~exists().where(Timer.case_id == Case.id),  # a waiting timer will move the case itself
        )
    )
    return [Lapse(f"idle:{cid}:{at.isoformat()}", cid, rule, at + limit) for cid, at in rows]


def _task_overdue(rt: Runtime, session: Session, region: str, rule: Rule, now: datetime) -> list[Lapse]:
    limit = timedelta(days=rule.days)
    rows = session.execute(
        select(Task.id, Task.case_id, Task.due_at).where(
            Task.region == region, Task.status == "open", Task.due_at.is_not(None), Task.due_at <= now - limit
        )
    )
    return [Lapse(f"task_overdue:{tid}", cid, rule, due + limit, tid) for tid, cid, due in rows if due]


def _evaluation_missed(rt: Runtime, session: Session, region: str, rule: Rule, now: datetime) -> list[Lapse]:
    limit = timedelta(days=rule.days)
    rows = session.execute(
        select(Task.id, Task.case_id, Task.created_at).where(
            Task.region == region,
            Task.status == "open",
            Task.form_key.in_(rt.settings.monitoring.evaluation_forms),
            Task.created_at <= now - limit,
        )
    )
    return [Lapse(f"evaluation_missed:{tid}", cid, rule, at + limit, tid) for tid, cid, at in rows]


def consultation_done_query(rt: Runtime, region: str) -> Any:
    """(case id, moment the consultation's work was first completed) per case of the region."""
    phase = rt.settings.monitoring.consultation_phase
    return (
        select(Task.case_id, func.min(Task.completed_at).label("done_at"))
        .where(Task.region == region, Task.phase == phase, Task.status == "completed")
        .group_by(Task.case_id)
    )


def _no_casusregisseur(rt: Runtime, session: Session, region: str, rule: Rule, now: datetime) -> list[Lapse]:
    limit = timedelta(days=rule.days)
    done = consultation_done_query(rt, region).subquery()
    rows = session.execute(
        select(Case.id, done.c.done_at)
        .join(done, done.c.case_id == Case.id)
        .where(
            _open_case(region),
            done.c.done_at <= now - limit,
            ~exists().where(CaseTeamMember.case_id == Case.id, CaseTeamMember.role == "casusregisseur"),
        )
    )
    return [Lapse(f"no_casusregisseur:{cid}", cid, rule, at + limit) for cid, at in rows]


def _phase_too_long(rt: Runtime, session: Session, region: str, rule: Rule, now: datetime) -> list[Lapse]:
    limit = timedelta(days=rule.days)
    rows = session.execute(
        select(PhasePeriod.case_id, PhasePeriod.started_at)
        .join(Case, Case.id == PhasePeriod.case_id)
        .where(
            _open_case(region),
            PhasePeriod.ended_at.is_(None),
            PhasePeriod.phase == rule.subject,
            PhasePeriod.started_at <= now - limit,
        )
    )
    return [
        Lapse(f"phase_too_long:{cid}:{rule.subject}:{at.isoformat()}", cid, rule, at + limit)
        for cid, at in rows
    ]


def _element_wait(rt: Runtime, session: Session, region: str, rule: Rule, now: datetime) -> list[Lapse]:
    limit = timedelta(days=rule.days)
    lapses = [
        Lapse(f"element_wait:{tid}", cid, rule, at + limit, tid)
        for tid, cid, at in session.execute(
            select(Task.id, Task.case_id, Task.created_at).where(
                Task.region == region,
                Task.status == "open",
                Task.spec_id == rule.subject,
                Task.created_at <= now - limit,
            )
        )
    ]
    waiting_since = func.coalesce(Timer.created_at, Case.last_activity_at)
    lapses += [
        Lapse(f"element_wait:{tid}", cid, rule, at + limit)
        for tid, cid, at in session.execute(
            select(Timer.id, Timer.case_id, waiting_since)
            .join(Case, Case.id == Timer.case_id)
            .where(_open_case(region), Timer.spec_id == rule.subject, waiting_since <= now - limit)
        )
    ]
    return lapses


_FINDERS = {
    "idle": _idle,
    "task_overdue": _task_overdue,
    "evaluation_missed": _evaluation_missed,
    "no_casusregisseur": _no_casusregisseur,
    "phase_too_long": _phase_too_long,
    "element_wait": _element_wait,
}


def waiting_for(session: Session, case_ids: list[int]) -> dict[int, list[WaitItem]]:
    """What each case waits for right now: open tasks and whose, timers and when, messages."""
    items: dict[int, list[WaitItem]] = {case_id: [] for case_id in case_ids}
    if not case_ids:
        return items
    assignee = aliased(User)
    tasks = session.execute(
        select(Task.case_id, Task.name, Task.spec_id, Task.role, Task.due_at, assignee.username)
        .outerjoin(assignee, assignee.id == Task.assignee_id)
        .where(Task.case_id.in_(case_ids), Task.status == "open")
        .order_by(Task.created_at, Task.id)
    )
    for case_id, name, spec_id, role, due_at, username in tasks:
        who = username or (f"pool {role}" if role else None)
        items[case_id].append(WaitItem("task", name, spec_id, who, due_at))
    timers = session.execute(
        select(Timer.case_id, Timer.name, Timer.spec_id, Timer.due_at)
        .where(Timer.case_id.in_(case_ids))
        .order_by(Timer.due_at)
    )
    for case_id, name, spec_id, due_at in timers:
        items[case_id].append(WaitItem("timer", name, spec_id, None, due_at))
    for case_id, names in session.execute(
        select(Case.id, Case.waiting_messages).where(Case.id.in_(case_ids))
    ):
        items[case_id] += [WaitItem("message", name, "", None, None) for name in names or []]
    return items


def stuck_case_ids(rt: Runtime, session: Session, regions: Iterable[str], now: datetime) -> set[int]:
    """The stuck cases of these regions under each region's rules (GET /cases?stuck=true)."""
    return {lapse.case_id for region in regions for lapse in _lapses(rt, session, region, now)}
