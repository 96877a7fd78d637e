"""Keeps the derived rows of a case (open tasks, waiting timers, summary columns) in step with its
workflow, in the same transaction that writes the workflow. Reads use only these rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, undefer

from engine import audit
from engine.access import case_not_found, team_member
from engine.model_checks import PHASES
from engine.monitoring.phases import record_phase
from engine.runtime import SYSTEM, Actor, Runtime
from engine.storage.tables import Case, ModelVersion, Task, Timer
from engine.workflow import CaseWorkflow, task_finished_state, timer_fired


@dataclass
class LoadedCase:
    row: Case
    workflow: CaseWorkflow


def load_case(session: Session, case_id: int, *, lock: bool = False) -> LoadedCase:
    """The case row with its workflow. Raises NotFound."""
    query = select(Case).options(undefer(Case.state)).where(Case.id == case_id)
    if lock:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise case_not_found()
    spec_json = session.scalar(select(ModelVersion.spec_json).where(ModelVersion.id == row.model_version_id))
    assert spec_json is not None, "a case always runs on a published version"
    return LoadedCase(row, CaseWorkflow.load(row.state, spec_json))


def sync(rt: Runtime, session: Session, actor: Actor, case: LoadedCase, now: datetime) -> None:
    """Write the workflow and bring tasks, timers and the summary in line with it."""
    row, workflow = case.row, case.workflow
    row.state = workflow.dump()
    row.last_activity_at = now
    row.waiting_messages = workflow.waiting_messages()
    _sync_tasks(rt, session, actor, case, now)
    _sync_timers(session, case, now)
    _sync_summary(session, actor, row, workflow, now)


def _sync_tasks(rt: Runtime, session: Session, actor: Actor, case: LoadedCase, now: datetime) -> None:
    ready = {info.id: info for info in case.workflow.user_tasks()}
    open_rows = {
        t.id: t
        for t in session.scalars(select(Task).where(Task.case_id == case.row.id, Task.status == "open"))
    }
    for task_id, task in open_rows.items():
        if task_id not in ready:
            task.status = task_finished_state(case.workflow, task_id)
            task.completed_at = now
            if task.status == "cancelled":
                audit.record(
                    session,
                    now,
                    actor,
                    case.row.id,
                    "task_cancelled",
                    task_id=task_id,
                    data={"name": task.name},
                )
    data = case.workflow.data
    for task_id, info in ready.items():
        if task_id in open_rows:
            if info.due_at is not None:  # a deadline that passed (its timer fired) stays the due moment
                open_rows[task_id].due_at = info.due_at
            continue
        form = rt.forms.get(info.form_key or "")
        prefill = {f["name"]: data[f["name"]] for f in (form.fields if form else []) if f["name"] in data}
        session.add(
            Task(
                id=task_id,
                case_id=case.row.id,
                region=case.row.region,
                spec_id=info.spec_id,
                name=info.name,
                role=info.lane,
                form_key=info.form_key,
                phase=info.phase,
                due_at=info.due_at,
                assignee_id=team_member(session, case.row.id, info.lane),
                status="open",
                created_at=now,
                data=prefill,
            )  # fmt: skip
        )
        audit.record(session, now, actor, case.row.id, "task_created", task_id=task_id,
                     data={"name": info.name, "role": info.lane})  # fmt: skip


def _sync_timers(session: Session, case: LoadedCase, now: datetime) -> None:
    current = {timer.id: timer for timer in case.workflow.timers()}
    previous = {t.id: t for t in session.scalars(select(Timer).where(Timer.case_id == case.row.id))}
    for timer_id, timer in previous.items():
        if timer_id not in current and timer_fired(case.workflow, timer_id):
            _record_fired(session, case, now, timer)
    stale = [timer_id for timer_id in previous if timer_id not in current]
    if stale:
        session.execute(delete(Timer).where(Timer.id.in_(stale)))
    for timer_id, info in current.items():
        if timer_id in previous:
            if previous[timer_id].due_at <= now < info.due_at:  # a cycle timer fired and waits again
                _record_fired(session, case, now, previous[timer_id])
            previous[timer_id].due_at = info.due_at
        else:
            session.add(
                Timer(
                    id=timer_id, case_id=case.row.id, spec_id=info.spec_id, name=info.name,
                    due_at=info.due_at, created_at=now,
                )  # fmt: skip
            )


def _record_fired(session: Session, case: LoadedCase, now: datetime, timer: Timer) -> None:
    fired = {"name": timer.name, "spec_id": timer.spec_id, "due_at": timer.due_at.isoformat()}
    audit.record(session, now, SYSTEM, case.row.id, "timer_fired", task_id=timer.id, data=fired)


def _sync_summary(session: Session, actor: Actor, row: Case, workflow: CaseWorkflow, now: datetime) -> None:
    session.flush()
    phases = session.scalars(select(Task.phase).where(Task.case_id == row.id, Task.status == "open")).all()
    known = [p for p in phases if p in PHASES]
    if not known:  # nothing to do now: the waiting step says where the case stands (e.g. monitoring)
        known = [t.phase for t in workflow.timers() if t.phase in PHASES]
    if known:
        row.phase = max(known, key=PHASES.index)
    if workflow.is_completed and row.status != "closed":
        row.status = "closed"
        row.phase = "afsluiting"
        row.closed_at = now
        audit.record(session, now, actor, row.id, "case_closed")
    record_phase(session, row, now)  # coordinator monitoring: lead time per phase
