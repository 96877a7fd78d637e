"""The escalation ladder (opschaling), run by the scheduler with the timer sweep: a stuck case
gets one escalation per episode; its steps remind the assignee, then the procesregisseur, then the
coordinator (config/monitoring.py LADDER). Every step is a case event. Exactly once from any
number of processes: escalations are opened with INSERT … ON CONFLICT DO NOTHING on a unique
lapse key, and advanced one row at a time under FOR UPDATE SKIP LOCKED (as timers.py claims cases).
A step whose role the model's own deadline task already alarmed is recorded, not repeated."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.monitoring import LADDER, RULE_LABELS
from config.settings import REGIONS
from engine import audit
from engine.monitoring import mailer
from engine.monitoring.notifications import insert_ignoring_duplicates, notify
from engine.monitoring.stuck import find_lapses, first_lapse_per_case
from engine.runtime import SYSTEM, Runtime
from engine.storage.tables import CaseTeamMember, Escalation, Event, Task, UserRole

log = logging.getLogger(__name__)
ACTIVE = ("open", "acknowledged")


@dataclass
class EscalationResult:
    opened: int = 0
    steps: int = 0
    resolved: int = 0
    mails_sent: int = 0
    errors: list[str] = field(default_factory=list)


def run_escalations(rt: Runtime, *, regions: tuple[str, ...] = REGIONS) -> EscalationResult:
    """One sweep: open escalations for newly stuck cases, resolve those no longer stuck, take
    every due ladder step, then mail the pending notifications."""
    result = EscalationResult()
    now = rt.clock.now()
    for region in regions:
        try:
            _open_and_resolve(rt, region, now, result)
        except Exception:  # the sweep goes on with the next region; this one is retried next sweep
            log.exception("escalation sweep failed for region %s", region)
            result.errors.append(region)
    last_id = 0
    while (escalation_id := _advance_next(rt, now, last_id, result)) is not None:
        last_id = escalation_id
    result.mails_sent = mailer.send_pending(rt).sent
    return result


def _open_and_resolve(rt: Runtime, region: str, now: datetime, result: EscalationResult) -> None:
    with rt.uow() as uow:
        session = uow.session
        stuck = first_lapse_per_case(find_lapses(rt, session, region, now))
        active_query = select(Escalation).where(Escalation.region == region, Escalation.status.in_(ACTIVE))
        if uow.dialect == "postgresql":
            active_query = active_query.with_for_update(skip_locked=True)  # one being stepped waits
        active = {row.case_id: row for row in session.scalars(active_query)}
        known = set(session.scalars(select(Escalation.case_id).where(
            Escalation.region == region, Escalation.status.in_(ACTIVE))))  # fmt: skip
        for case_id, row in active.items():
            if case_id not in stuck:
                row.status, row.resolved_at, row.next_step_at = "resolved", now, None
                audit.record(session, now, SYSTEM, case_id, "escalation_resolved",
                             data={"escalation": row.id, "rule": row.rule_kind})  # fmt: skip
                result.resolved += 1
        for case_id, lapse in stuck.items():
            if case_id in known:
                continue
            values = {
                "lapse_key": lapse.key, "case_id": case_id, "region": region, "rule_kind": lapse.rule.kind,
                "subject": lapse.rule.subject, "task_id": lapse.task_id, "since_at": lapse.since_at,
                "level": 0, "next_step_at": lapse.since_at + timedelta(days=LADDER[0][1]),
                "status": "open", "created_at": now,
            }  # fmt: skip
            if insert_ignoring_duplicates(session, Escalation, values):
                audit.record(session, now, SYSTEM, case_id, "case_stuck",
                             data={"rule": lapse.rule.kind, "subject": lapse.rule.subject,
                                   "days": lapse.rule.days, "since": lapse.since_at.isoformat()})  # fmt: skip
                result.opened += 1
        uow.commit()


def _advance_next(rt: Runtime, now: datetime, after_id: int, result: EscalationResult) -> int | None:
    """Claim the next escalation with a due step and take every step due by now."""
    with rt.uow() as uow:
        query = (
            select(Escalation)
            .where(Escalation.id > after_id, Escalation.status == "open", Escalation.next_step_at <= now)
            .order_by(Escalation.id)
            .limit(1)
        )
        if uow.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = uow.session.scalar(query)
        if row is None:
            return None
        try:
            while row.next_step_at is not None and row.next_step_at <= now:
                _take_step(uow.session, now, row)
                result.steps += 1
            uow.commit()
        except Exception:  # logged; the step is retried next sweep (nothing of it was committed)
            log.exception("escalation step failed for escalation %s", row.id)
            result.errors.append(f"escalation {row.id}")
        return row.id


def _take_step(session: Session, now: datetime, row: Escalation) -> None:
    role, _ = LADDER[row.level]
    level = row.level + 1
    alarmed_by_model = _model_alarm_roles(session, row)
    data: dict[str, object] = {"escalation": row.id, "level": level, "of": len(LADDER), "role": role,
                               "rule": row.rule_kind}  # fmt: skip
    if role in alarmed_by_model:
        data["skipped"] = "model_deadline_task"  # the model's own deadline task told this role already
    else:
        recipients = step_recipients(session, row, role)
        data["recipients"] = len(recipients)
        notify(
            session, now, recipients, key=f"escalation:{row.id}:{level}", kind="escalation",
            text=f"Zaak {row.case_id}: {RULE_LABELS[row.rule_kind].lower()} (opschaling stap {level} van "
                 f"{len(LADDER)})",
            link=f"/cases/{row.case_id}" if role != "coordinator" else f"/monitor/{row.region}/stuck",
            case_id=row.case_id, escalation_id=row.id,
        )  # fmt: skip
    audit.record(session, now, SYSTEM, row.case_id, "escalation_step", task_id=row.task_id, data=data)
    row.level = level
    row.next_step_at = row.since_at + timedelta(days=LADDER[level][1]) if level < len(LADDER) else None


def _model_alarm_roles(session: Session, row: Escalation) -> set[str]:
    """Roles of the tasks the model raised when this lapse's own deadline passed (a
    non-interrupting boundary timer leading to a signalling task): one lapse, one alarm."""
    if row.task_id is None:
        return set()
    due_at = session.scalar(select(Task.due_at).where(Task.id == row.task_id))
    if due_at is None:
        return set()
    fired_at = [
        event.at
        for event in session.scalars(
            select(Event).where(Event.case_id == row.case_id, Event.kind == "timer_fired")
        )
        if event.data.get("due_at") == due_at.isoformat()
    ]
    if not fired_at:
        return set()
    roles = session.scalars(
        select(Task.role).where(
            Task.case_id == row.case_id, Task.created_at.in_(fired_at), Task.id != row.task_id
        )
    )
    return {role for role in roles if role}


def step_recipients(session: Session, row: Escalation, role: str) -> list[int]:
    """Who a ladder step notifies: the people holding the stuck work; the case's procesregisseur
    (else the region's); the region's coordinators."""
    if role == "assignee":
        tasks = session.execute(
            select(Task.assignee_id, Task.role).where(
                Task.case_id == row.case_id, Task.status == "open",
                *([Task.id == row.task_id] if row.task_id else []),
            )
        ).all()  # fmt: skip
        people = [assignee for assignee, _ in tasks if assignee]
        pools = [task_role for assignee, task_role in tasks if not assignee and task_role]
        for pool_role in pools:
            people += _team_or_region(session, row, pool_role)
        return (
            people
            or _team_or_region(session, row, "casusregisseur")
            or _team_or_region(session, row, "procesregisseur")
        )
    if role == "procesregisseur":
        return _team_or_region(session, row, "procesregisseur")
    return _region_role(session, row.region, role)


def _team_or_region(session: Session, row: Escalation, role: str) -> list[int]:
    member = session.scalar(
        select(CaseTeamMember.user_id).where(
            CaseTeamMember.case_id == row.case_id, CaseTeamMember.role == role
        )
    )
    return [member] if member is not None else _region_role(session, row.region, role)


def _region_role(session: Session, region: str, role: str) -> list[int]:
    return list(
        session.scalars(select(UserRole.user_id).where(UserRole.region == region, UserRole.role == role))
    )
