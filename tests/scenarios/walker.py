"""Walk cases of the real MDA++ process library through the engine's public calls, on the
simulated clock. Every read goes to storage afresh (as the engine itself does between steps), every
completion is done as the demo user `<region>.<role>` of the task's lane, with the task form's
examples for the region, overridden where a scenario needs another path.

Tasks are named by their BPMN id (`triage`, `evaluatie`, `signaal_acceptatie`) or by their Dutch
name; timers by their BPMN id (`timer_acceptatie`, `timer_evaluatie`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select

from engine import cases, messages, process_models, tasks, timers
from engine.accounts import actor_by_username
from engine.case_state import load_case
from engine.durations import add_duration
from engine.runtime import SYSTEM, Actor, Runtime
from engine.storage.tables import Case, Event, Task, Timer

Overrides = Mapping[str, Mapping[str, Any]]


def actor(rt: Runtime, region: str, role: str) -> Actor:
    return actor_by_username(rt, f"{region}.{role}")


def now(rt: Runtime) -> datetime:
    return rt.clock.now()


def sweep(rt: Runtime) -> None:
    """One timer sweep at the clock's now; fails the test when a case could not be advanced."""
    result = timers.run_due(rt)
    assert not result.errors, f"timer sweep failed for cases {result.errors}"


def advance(rt: Runtime, duration: str) -> datetime:
    """Move the simulated clock forward by an ISO 8601 duration and sweep."""
    moment = rt.clock.advance(duration)  # type: ignore[attr-defined]
    sweep(rt)
    return moment


def advance_to(rt: Runtime, moment: datetime) -> datetime:
    """Move the simulated clock to a moment and sweep."""
    rt.clock.set(moment)  # type: ignore[attr-defined]
    sweep(rt)
    return moment


def plus(moment: datetime, duration: str) -> datetime:
    """The moment a duration after another, with the engine's own calendar arithmetic."""
    return add_duration(moment, duration)


@dataclass(frozen=True)
class Fired:
    """A `timer_fired` event: when the sweep fired it and when it was due."""

    spec_id: str
    name: str
    due_at: datetime
    at: datetime


class CaseRun:
    """One case: its open tasks, timers and history as stored, and the steps that move it."""

    def __init__(self, rt: Runtime, case_id: int, region: str) -> None:
        self.rt = rt
        self.id = case_id
        self.region = region

    # ------------------------------------------------------------------ reading
    def row(self) -> Case:
        with self.rt.uow() as uow:
            row = uow.session.get_one(Case, self.id)
            uow.session.expunge(row)
            return row

    @property
    def status(self) -> str:
        return self.row().status

    @property
    def phase(self) -> str:
        return self.row().phase

    def open_tasks(self) -> list[Task]:
        return self._tasks(Task.status == "open")

    def all_tasks(self) -> list[Task]:
        return self._tasks()

    def _tasks(self, *where: Any) -> list[Task]:
        """In the order the engine opened them (tasks opened in one step share created_at)."""
        created = and_(Event.task_id == Task.id, Event.kind == "task_created")
        query = (
            select(Task)
            .outerjoin(Event, created)
            .where(Task.case_id == self.id, *where)
            .order_by(Task.created_at, Event.id)
        )
        with self.rt.uow() as uow:
            rows = list(uow.session.scalars(query))
            uow.session.expunge_all()
            return rows

    def open_ids(self) -> list[str]:
        """BPMN ids of the open tasks, oldest first."""
        return [t.spec_id for t in self.open_tasks()]

    def is_open(self, ref: str) -> bool:
        return any(_matches(t, ref) for t in self.open_tasks())

    def task(self, ref: str) -> Task:
        """The one open task with this BPMN id or name."""
        found = [t for t in self.open_tasks() if _matches(t, ref)]
        assert len(found) == 1, f"expected one open task {ref!r}, open: {self.open_ids()}"
        return found[0]

    def completed(self, ref: str | None = None) -> list[Task]:
        """Completed tasks (with this BPMN id or name), in order of completion."""
        done = [t for t in self._tasks(Task.status == "completed") if ref is None or _matches(t, ref)]
        return sorted(done, key=lambda t: (t.completed_at, t.created_at))

    def cancelled(self) -> list[Task]:
        return self._tasks(Task.status == "cancelled")

    def route(self) -> list[str]:
        """BPMN ids of the completed tasks in the order they were completed (from the history)."""
        by_id = {t.id: t.spec_id for t in self.all_tasks()}
        return [by_id[e.task_id] for e in self.events("task_completed") if e.task_id in by_id]

    def timers(self) -> list[Timer]:
        with self.rt.uow() as uow:
            rows = list(
                uow.session.scalars(select(Timer).where(Timer.case_id == self.id).order_by(Timer.due_at))
            )
            uow.session.expunge_all()
            return rows

    def timer(self, spec_id: str) -> Timer:
        found = [t for t in self.timers() if t.spec_id == spec_id]
        assert len(found) == 1, f"expected one waiting timer {spec_id!r}, waiting: {self.timer_ids()}"
        return found[0]

    def timer_ids(self) -> list[str]:
        return [t.spec_id for t in self.timers()]

    def events(self, kind: str | None = None) -> list[Event]:
        with self.rt.uow() as uow:
            query = select(Event).where(Event.case_id == self.id)
            if kind is not None:
                query = query.where(Event.kind == kind)
            rows = list(uow.session.scalars(query.order_by(Event.id)))
            uow.session.expunge_all()
            return rows

    def fired(self, spec_id: str | None = None) -> list[Fired]:
        """The timers that fired (with this BPMN id), in order."""
        return [
            Fired(e.data["spec_id"], e.data["name"], datetime.fromisoformat(e.data["due_at"]), e.at)
            for e in self.events("timer_fired")
            if spec_id is None or e.data["spec_id"] == spec_id
        ]

    def variable(self, name: str) -> Any:
        """A case variable (a form field or a decision's output) as last set in any branch of the
        workflow: parallel branches (effect measurement, yearly review) each carry their own data."""
        with self.rt.uow() as uow:
            spiff = load_case(uow.session, self.id).workflow.workflow
        holders = [t for t in spiff.get_tasks() if name in t.data]
        if not holders:
            return None
        return max(holders, key=lambda t: t.last_state_change).data[name]

    def team(self) -> dict[str, str]:
        detail = cases.get_case(self.rt, actor(self.rt, self.region, "coordinator"), self.id)
        return {member.role: member.username for member in detail.team}

    # ------------------------------------------------------------------ acting
    def complete(self, ref: str, **overrides: Any) -> tasks.TaskInfo:
        """Complete the open task (BPMN id or name) as the demo user of its lane, with its form's
        examples overridden by `overrides`."""
        return self._complete(self.task(ref), overrides)

    def _overrides_for(self, task: Task, overrides: Overrides) -> dict[str, Any]:
        form = self.rt.forms.get(task.form_key or "")
        fields = {f["name"] for f in form.fields} if form else set()
        common = {k: v for k, v in overrides.get("*", {}).items() if k in fields}
        return common | dict(overrides.get(task.spec_id, {}))

    def _complete(self, task: Task, overrides: Mapping[str, Any]) -> tasks.TaskInfo:
        form = self.rt.forms.get(task.form_key or "")
        data = (form.examples(task.region) if form else {}) | dict(overrides)
        assert task.role, f"task {task.spec_id} lies in no lane"
        return tasks.complete(self.rt, actor(self.rt, task.region, task.role), task.id, data)

    def complete_all(self, overrides: Overrides | None = None, *, keep: tuple[str, ...] = ()) -> list[str]:
        """Complete every open task (again and again, as new ones open) except those in `keep`,
        until none is left to do; returns the BPMN ids completed. `overrides` maps a BPMN id to the
        form values that differ from the examples; under "*", values for every form with that field."""
        overrides = overrides or {}
        done: list[str] = []
        for _ in range(200):
            todo = [t for t in self.open_tasks() if not any(_matches(t, ref) for ref in keep)]
            if not todo:
                return done
            task = todo[0]
            self._complete(task, self._overrides_for(task, overrides))
            done.append(task.spec_id)
        raise AssertionError(f"case {self.id} does not come to rest: {done[-20:]}")

    def send(self, message: str, role: str = "casusregisseur") -> list[str]:
        return messages.send_message(self.rt, actor(self.rt, self.region, role), self.id, message)

    def waiting_messages(self) -> list[str]:
        return messages.waiting_messages(self.rt, actor(self.rt, self.region, "coordinator"), self.id)


WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


def with_civil_care_window(rt: Runtime) -> None:
    """Zeeland turns its Civil Care window on (off by default, 004:135): a new version of its main
    process with the region setting changed, published as its process designer would."""
    source = (WORKFLOWS / "regions" / "zeeland" / "mda_zeeland.bpmn").read_text(encoding="utf-8")
    assert source.count("civil_care_venster = False") == 1
    turned_on = source.replace("civil_care_venster = False", "civil_care_venster = True")
    draft = process_models.add_draft(rt, SYSTEM, "zeeland", turned_on, "mda_zeeland.bpmn")
    process_models.publish(rt, SYSTEM, "zeeland", draft.id)


def _matches(task: Task, ref: str) -> bool:
    return ref in (task.spec_id, task.name)


def start(
    rt: Runtime,
    region: str,
    *,
    process_id: str | None = None,
    role: str = "aanmelder",
    **overrides: Any,
) -> CaseRun:
    """Start a case in the region (its main process unless named) with the start form's examples,
    overridden by `overrides`, as the region's demo aanmelder."""
    form_key = cases.start_form_key(rt, region, process_id)
    form = rt.forms.get(form_key or "")
    data = (form.examples(region) if form else {}) | overrides
    summary = cases.start_case(rt, actor(rt, region, role), region, data, process_id=process_id)
    return CaseRun(rt, summary.id, region)


def live(
    run: CaseRun, until: datetime, overrides: Overrides | None = None, *, keep: tuple[str, ...] = ()
) -> None:
    """Let the case run up to `until`: jump the clock from one waiting timer to the next (so each
    fires exactly on its moment) and complete whatever opens with the examples (+ `overrides`)."""
    run.complete_all(overrides, keep=keep)
    while run.status == "open":
        waiting = [t.due_at for t in run.timers() if t.due_at <= until]
        if not waiting:
            break
        advance_to(run.rt, min(waiting))
        run.complete_all(overrides, keep=keep)
    if now(run.rt) < until:
        advance_to(run.rt, until)


def cross_deadline(
    run: CaseRun,
    timer_id: str,
    start: datetime,
    duration: str,
    signal: str,
    guarded: str,
    *,
    on_task: bool = True,
) -> datetime:
    """A non-interrupting deadline: its timer is due `duration` after `start` and is the guarded
    task's due moment; a minute before, nothing happens; on the moment it fires (a `timer_fired`
    event with that due_at), the signal task opens for the coordinator and the guarded work stays
    open as the same task. `on_task`: the timer sits on the guarded user task itself (not on a call
    activity around it), so it is that task's due moment. Returns the due moment (the clock then
    stands there)."""
    due = plus(start, duration)
    assert run.timer(timer_id).due_at == due
    work = run.task(guarded)
    if on_task:
        assert work.due_at == due, f"{guarded} is due {work.due_at}, its deadline {due}"
    advance_to(run.rt, due - timedelta(minutes=1))
    assert not run.is_open(signal) and not run.fired(timer_id), f"{timer_id} fired early"
    advance_to(run.rt, due)
    assert [(f.due_at, f.at) for f in run.fired(timer_id)] == [(due, due)]
    assert timer_id not in run.timer_ids()
    reminder = run.task(signal)
    assert reminder.role == "coordinator" and reminder.form_key == "termijn_signalering"
    still = run.task(guarded)
    assert still.id == work.id and still.status == "open"
    assert work.id not in {t.id for t in run.cancelled()}
    return due


def to_monitoring(rt: Runtime, region: str, **overrides: dict[str, object]) -> CaseRun:
    """A case of the region walked by its forms' examples (with overrides) to the evaluation wait."""
    run = start(rt, region)
    run.complete_all(overrides)
    assert run.status == "open" and run.open_ids() == [] and "timer_evaluatie" in run.timer_ids()
    return run
