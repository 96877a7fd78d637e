"""Keeps the derived rows of a case (open tasks, waiting timers, summary columns) in step with its
workflow, in the same transaction that writes the workflow. Reads use only these rows."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import cast
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, Table, bindparam, inspect, select, update
from sqlalchemy.orm import Session, undefer
from sqlalchemy.orm.attributes import History

from engine import audit, timer_wakeup
from engine.access import TeamPlace, case_not_found
from engine.errors import Conflict
from engine.model_checks import PHASES
from engine.monitoring.phases import record_phase
from engine.runtime import SYSTEM, Actor, Runtime
from engine.storage.tables import Case, CaseTeamMember, ModelVersion, PhasePeriod, Task, Timer
from engine.workflow import CaseWorkflow, TimerInfo, UserTaskInfo, task_finished_state, timer_fired


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
    return load_workflow(session, row)


def load_workflow(session: Session, row: Case, spec_json: str | None = None) -> LoadedCase:
    """The workflow of a case row already loaded with its state (and, when the caller has it, its
    version's frozen spec)."""
    if spec_json is None:
        spec_json = version_spec(session, row.model_version_id)
    return LoadedCase(row, CaseWorkflow.load(row.state, spec_json))


# A published version never changes, and its frozen spec is large: it is read once per database
# (engine) and process, not with every change of every case (PostgreSQL would send it each time).
# Keyed by the engine, so two databases whose version ids collide never share a spec.
_SPECS: WeakKeyDictionary[Engine, dict[int, str]] = WeakKeyDictionary()
_SPECS_LOCK = threading.Lock()
_SPECS_PER_DATABASE = 256
_SPEC_OF_VERSION = select(ModelVersion.spec_json).where(ModelVersion.id == bindparam("version_id"))


def version_spec(session: Session, version_id: int) -> str:
    """The frozen spec of the published version a case runs on."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _SPECS_LOCK:
        known = _SPECS.setdefault(engine, {})
        spec_json = known.get(version_id)
    if spec_json is None:
        spec_json = session.scalar(_SPEC_OF_VERSION, {"version_id": version_id})
        assert spec_json is not None, "a case always runs on a published version"
        with _SPECS_LOCK:
            if len(known) >= _SPECS_PER_DATABASE:
                known.clear()
            known[version_id] = spec_json
    return spec_json


@dataclass
class StoredRows:
    """What is stored for a case before a change: its open task rows and timer rows (and its team
    and open phase periods when the caller read them; None: read when needed). A caller that did
    not read the timer rows gives the timers the workflow waited on before the change instead
    (`loaded_timers`): the rows hold exactly those, so they are read only when the change moved
    one."""

    open_tasks: list[Task]
    timers: list[Timer] | None
    team: list[TeamPlace] | None = None
    phase_periods: list[PhasePeriod] | None = None  # open ones (monitoring); None: read when needed
    loaded_timers: list[TimerInfo] | None = None


def stored_rows(session: Session, case_ids: list[int]) -> dict[int, StoredRows]:
    """The stored rows of many cases in four statements (the sweep syncs a batch at once)."""
    found = {case_id: StoredRows([], [], [], []) for case_id in case_ids}
    open_periods = select(PhasePeriod).where(
        PhasePeriod.case_id.in_(case_ids), PhasePeriod.ended_at.is_(None)
    )
    for period in session.scalars(open_periods.order_by(PhasePeriod.id)):
        periods = found[period.case_id].phase_periods
        assert periods is not None
        periods.append(period)
    team_places = select(CaseTeamMember.case_id, CaseTeamMember.role, CaseTeamMember.user_id).where(
        CaseTeamMember.case_id.in_(case_ids)
    )
    for case_id, role, user_id in session.execute(team_places.order_by(CaseTeamMember.id)):
        team = found[case_id].team
        assert team is not None
        team.append(TeamPlace(role, user_id))
    for task in session.scalars(select(Task).where(Task.case_id.in_(case_ids), Task.status == "open")):
        found[task.case_id].open_tasks.append(task)
    for timer in session.scalars(select(Timer).where(Timer.case_id.in_(case_ids))):
        timers = found[timer.case_id].timers
        assert timers is not None
        timers.append(timer)
    return found


def sync(
    rt: Runtime,
    session: Session,
    actor: Actor,
    case: LoadedCase,
    now: datetime,
    stored: StoredRows | None = None,
) -> None:
    """Write the workflow and bring tasks, timers and the summary in line with it. Reads what is
    stored first (open tasks, timers, team; or takes `stored`), then writes: nothing is flushed
    and read back."""
    row, workflow = case.row, case.workflow
    derived = workflow.derived()
    place = (row.phase, row.status)
    with session.no_autoflush:
        if stored is None:
            stored = stored_rows(session, [row.id])[row.id]
        # a task this transaction just completed is still 'open' in the database
        open_rows = {t.id: t for t in stored.open_tasks if t.status == "open"}
        timer_rows = _timer_rows(session, row.id, stored, derived.timers)
        has_new = any(info.id not in open_rows for info in derived.user_tasks)
        team = _team(session, row.id, stored.team) if has_new else {}
    row.last_activity_at = now
    row.waiting_messages = derived.waiting_messages
    phases = _sync_tasks(rt, session, actor, case, derived.user_tasks, open_rows, team, now)
    if timer_rows is not None:
        _sync_timers(session, case, derived.timers, {t.id: t for t in timer_rows}, now)
    _sync_summary(session, actor, row, workflow, phases, derived.timers, now)
    # coordinator monitoring: lead time per phase. A case that stays in its phase keeps its open
    # period (record_phase would find nothing to do): not read.
    if stored.phase_periods is not None or (row.phase, row.status) != place:
        record_phase(session, row, now, stored.phase_periods)
    row.state = workflow.dump()  # last: it drops finished subprocesses that the steps above read


_TIMERS_OF_CASE = select(Timer).where(Timer.case_id == bindparam("case_id"))


def _timer_rows(
    session: Session, case_id: int, stored: StoredRows, timers: list[TimerInfo]
) -> list[Timer] | None:
    """The case's timer rows; None when the change left the workflow's timers as they were (the
    rows already say so, and nothing fired or moved)."""
    if stored.timers is not None:
        return stored.timers
    if stored.loaded_timers is not None and _moments(stored.loaded_timers) == _moments(timers):
        return None
    return list(session.scalars(_TIMERS_OF_CASE, {"case_id": case_id}))


def _moments(timers: list[TimerInfo]) -> dict[str, datetime]:
    return {timer.id: timer.due_at for timer in timers}


def _team(session: Session, case_id: int, members: list[TeamPlace] | None) -> dict[str, int]:
    """Role → member of the case team, including members added earlier in this transaction."""
    if members is None:  # entities: an appointment changed in this transaction shows (not flushed)
        found = session.scalars(select(CaseTeamMember).where(CaseTeamMember.case_id == case_id))
        members = [TeamPlace(member.role, member.user_id) for member in found]
    team = {member.role: member.user_id for member in members}
    for pending in session.new:  # appointed in this transaction, not flushed yet
        if isinstance(pending, CaseTeamMember) and pending.case_id == case_id:
            team[pending.role] = pending.user_id
    return team


def _sync_tasks(
    rt: Runtime,
    session: Session,
    actor: Actor,
    case: LoadedCase,
    user_tasks: list[UserTaskInfo],
    open_rows: dict[str, Task],
    team: dict[str, int],
    now: datetime,
) -> list[str | None]:
    """Close the rows of tasks no longer ready, add rows for new ones; the phases of open work."""
    ready = {info.id: info for info in user_tasks}
    phases: list[str | None] = []
    for task_id, task in open_rows.items():
        if task_id not in ready:
            task.status = task_finished_state(case.workflow, task_id)
            task.completed_at = now
            if task.status == "cancelled":
                audit.record(session, now, actor, case.row.id, "task_cancelled", task_id=task_id,
                             data={"name": task.name})  # fmt: skip
        else:
            phases.append(task.phase)
    data = case.workflow.data if any(task_id not in open_rows for task_id in ready) else {}
    for task_id, info in ready.items():
        if task_id in open_rows:
            if info.due_at is not None:  # a deadline that passed (its timer fired) stays the due moment
                open_rows[task_id].due_at = info.due_at
            continue
        phases.append(info.phase)
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
                assignee_id=team.get(info.lane) if info.lane else None,
                reserved_for=team.get(info.lane) if info.lane else None,
                status="open",
                created_at=now,
                data=prefill,
            )  # fmt: skip
        )
        audit.record(session, now, actor, case.row.id, "task_created", task_id=task_id,
                     data={"name": info.name, "role": info.lane})  # fmt: skip
    return phases


def _sync_timers(
    session: Session, case: LoadedCase, timers: list[TimerInfo], previous: dict[str, Timer], now: datetime
) -> None:
    current = {timer.id: timer for timer in timers}
    for timer_id, timer in previous.items():
        if timer_id not in current and timer_fired(case.workflow, timer_id):
            _record_fired(session, case, now, timer)
    stale = [timer_id for timer_id in previous if timer_id not in current]
    for timer_id in stale:
        session.delete(previous[timer_id])
    earliest: datetime | None = None
    for timer_id, info in current.items():
        if timer_id in previous:
            if previous[timer_id].due_at <= now < info.due_at:  # a cycle timer fired and waits again
                _record_fired(session, case, now, previous[timer_id])
            if previous[timer_id].due_at == info.due_at:
                continue
            previous[timer_id].due_at = info.due_at
        else:
            session.add(
                Timer(
                    id=timer_id,
                    case_id=case.row.id,
                    spec_id=info.spec_id,
                    name=info.name,
                    due_at=info.due_at,
                    created_at=now,
                )  # fmt: skip
            )
        earliest = info.due_at if earliest is None else min(earliest, info.due_at)
    if earliest is not None:
        timer_wakeup.announce(session, earliest)


def _record_fired(session: Session, case: LoadedCase, now: datetime, timer: Timer) -> None:
    fired = {"name": timer.name, "spec_id": timer.spec_id, "due_at": timer.due_at.isoformat()}
    audit.record(session, now, SYSTEM, case.row.id, "timer_fired", task_id=timer.id, data=fired)


def _sync_summary(
    session: Session,
    actor: Actor,
    row: Case,
    workflow: CaseWorkflow,
    phases: list[str | None],
    timers: list[TimerInfo],
    now: datetime,
) -> None:
    known = [p for p in phases if p in PHASES]
    if not known:  # nothing to do now: the waiting step says where the case stands (e.g. monitoring)
        known = [t.phase for t in timers if t.phase in PHASES]
    if known:
        row.phase = max(known, key=PHASES.index)
    if workflow.is_completed and row.status != "closed":
        row.status = "closed"
        row.phase = "afsluiting"
        row.closed_at = now
        audit.record(session, now, actor, row.id, "case_closed")


_CASES = cast(Table, Case.__table__)
_WRITTEN = ("status", "phase", "last_activity_at", "closed_at", "waiting_messages", "state")  # what sync sets
_WRITE_CASE = (
    update(_CASES)
    .where(_CASES.c.id == bindparam("case_id"), _CASES.c.version == bindparam("read_version"))
    .values({name: bindparam(name) for name in _WRITTEN} | {"version": _CASES.c.version + 1})
)


def write_cases(session: Session, rows: list[Case]) -> None:
    """Write case rows the session does not track (a sweep's batch) in one statement, each only
    while its version is still the one read, as the version counter guards a tracked row; as the
    unit of work would, a row whose columns did not change is not written (a case another worker
    advanced just before our claim stays as it is). Raises Conflict when any was changed in
    between (nothing of the transaction may then be committed)."""
    changed = [row for row in rows if any(_history(row, name).has_changes() for name in _WRITTEN)]
    if not changed:
        return
    params = [
        {"case_id": row.id, "read_version": row.version} | {name: getattr(row, name) for name in _WRITTEN}
        for row in changed
    ]
    written = session.execute(_WRITE_CASE, params)
    if getattr(written, "rowcount", len(changed)) != len(changed):
        raise Conflict("De zaak is intussen door iemand anders gewijzigd.", code="stale_case")
    for row in changed:
        row.version += 1


def _history(row: Case, name: str) -> History:
    return inspect(row).attrs[name].history
