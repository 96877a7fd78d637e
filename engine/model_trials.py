"""Trying a draft with data: a throw-away instance of the region's draft on a simulated moment
of its own. It is stored apart from the cases (its own table), so nothing of it reaches cases,
tasks, timers, inboxes, lists or metrics, and the timer sweep never sees it; conditions, decisions
and scripts run through the same restricted engine as real cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, undefer

from engine import audit, process_models
from engine.durations import add_duration
from engine.errors import Conflict, Invalid, NotFound
from engine.runtime import Actor, Runtime
from engine.storage.tables import ModelTrial, ModelVersion
from engine.workflow import CaseWorkflow
from forms.validation import FormDataInvalid


@dataclass(frozen=True)
class TrialTask:
    id: str
    spec_id: str
    name: str
    role: str | None
    form: dict[str, Any] | None  # the form with its examples for the region


@dataclass(frozen=True)
class TrialTimer:
    spec_id: str
    name: str
    due_at: datetime


@dataclass(frozen=True)
class TrialState:
    id: int
    version_id: int
    now: datetime
    is_completed: bool
    path: list[str]  # BPMN ids finished, in order
    tasks: list[TrialTask]
    timers: list[TrialTimer]
    data: dict[str, Any]


def start_trial(
    rt: Runtime, actor: Actor, region: str, version_id: int, data: dict[str, Any] | None = None
) -> TrialState:
    """Start a throw-away instance of a version (a draft, typically) at the clock's now, with the
    start form's examples unless data is given. Raises NotFound, Forbidden, Invalid (the model
    still has problems, or the data does not fit the start form)."""
    process_models.require_designer(actor, region)
    now = rt.clock.now()
    with rt.uow() as uow:
        session = uow.session
        row = session.get(ModelVersion, version_id, options=[undefer(ModelVersion.source)])
        if row is None or row.region != region:
            raise NotFound("Onbekende modelversie.", code="unknown_model")
        if row.kind != "bpmn":
            raise Invalid("Alleen een BPMN-proces kan worden uitgeprobeerd.", code="not_a_process")
        checked = process_models.check_source(rt, session, region, row.source, row.file_name)
        assert checked.spec_json is not None
        form = rt.forms.get(checked.start_form_key or "")
        cleaned = _validated(form, region, data)
        workflow = CaseWorkflow.start(checked.spec_json, cleaned, now, rt.settings.limits)
        trial = ModelTrial(
            model_version_id=row.id, region=region, owner_id=actor.user_id, now=now,
            path=workflow.finished_path(), spec_json=checked.spec_json,
            state=workflow.dump(keep_history=True), created_at=now,  # a trial shows its whole path
        )  # fmt: skip
        session.add(trial)
        session.flush()
        _record(session, rt, actor, trial, "model_trial_started")
        uow.commit()
        return _state(rt, trial, workflow)


def complete_trial_task(
    rt: Runtime, actor: Actor, region: str, trial_id: int, task_id: str, data: dict[str, Any] | None = None
) -> TrialState:
    """Complete a ready user task of the trial (its form's examples unless data is given).
    Raises NotFound, Forbidden, Invalid (form data), Conflict (task not ready)."""
    process_models.require_designer(actor, region)
    with rt.uow() as uow:
        trial, workflow = _load(uow.session, region, trial_id)
        task = next((t for t in workflow.user_tasks() if t.id == task_id), None)
        if task is None:
            raise Conflict("Deze taak staat in de proefzaak niet (meer) open.", code="task_not_open")
        cleaned = _validated(rt.forms.get(task.form_key or ""), region, data)
        workflow.complete(task_id, cleaned, trial.now, rt.settings.limits)
        _save(trial, workflow)
        _record(uow.session, rt, actor, trial, "model_trial_task_completed", spec_id=task.spec_id)
        uow.commit()
        return _state(rt, trial, workflow)


def advance_trial(
    rt: Runtime, actor: Actor, region: str, trial_id: int, duration: str | None = None
) -> TrialState:
    """Move the trial's own clock by an ISO 8601 duration, or to its next timer when none is
    given, and let the due timers fire. The real clock and real cases do not move.
    Raises NotFound, Forbidden, Invalid (bad duration, no timer to jump to)."""
    process_models.require_designer(actor, region)
    with rt.uow() as uow:
        trial, workflow = _load(uow.session, region, trial_id)
        if duration:
            moment = add_duration(trial.now, duration)
        else:
            dues = [t.due_at for t in workflow.timers()]
            if not dues:
                raise Invalid("De proefzaak wacht niet op een timer.", code="no_timer")
            moment = max(min(dues), trial.now)
        workflow.run_engine(moment, rt.settings.limits)
        trial.now = moment
        _save(trial, workflow)
        _record(uow.session, rt, actor, trial, "model_trial_clock_moved", to=moment.isoformat())
        uow.commit()
        return _state(rt, trial, workflow)


def get_trial(rt: Runtime, actor: Actor, region: str, trial_id: int) -> TrialState:
    """Raises NotFound, Forbidden."""
    process_models.require_designer(actor, region)
    with rt.uow() as uow:
        trial, workflow = _load(uow.session, region, trial_id)
        return _state(rt, trial, workflow)


def _load(session: Session, region: str, trial_id: int) -> tuple[ModelTrial, CaseWorkflow]:
    trial = session.get(
        ModelTrial, trial_id, options=[undefer(ModelTrial.state), undefer(ModelTrial.spec_json)]
    )
    if trial is None or trial.region != region:
        raise NotFound("Onbekende proefzaak.", code="unknown_trial")
    return trial, CaseWorkflow.load(trial.state, trial.spec_json)


def _save(trial: ModelTrial, workflow: CaseWorkflow) -> None:
    trial.state = workflow.dump(keep_history=True)
    trial.path = workflow.finished_path()


def _validated(form: Any, region: str, data: dict[str, Any] | None) -> dict[str, Any]:
    if form is None:
        return {}
    try:
        cleaned: dict[str, Any] = form.validate(form.examples(region) if data is None else data)
    except FormDataInvalid as error:
        raise Invalid(
            "Het formulier is niet goed ingevuld.", code="invalid_form", details=error.errors
        ) from error
    return cleaned


def _record(session: Session, rt: Runtime, actor: Actor, trial: ModelTrial, kind: str, **extra: Any) -> None:
    data = {"region": trial.region, "trial_id": trial.id, "version_id": trial.model_version_id}
    audit.record(session, rt.clock.now(), actor, None, kind, data=data | extra)


def _state(rt: Runtime, trial: ModelTrial, workflow: CaseWorkflow) -> TrialState:
    tasks = [
        TrialTask(
            t.id,
            t.spec_id,
            t.name,
            t.lane,
            rt.forms[t.form_key].as_dict(trial.region) if t.form_key in rt.forms else None,
        )  # fmt: skip
        for t in workflow.user_tasks()
    ]
    timers = [TrialTimer(t.spec_id, t.name, t.due_at) for t in workflow.timers()]
    return TrialState(
        trial.id, trial.model_version_id, trial.now, workflow.is_completed, list(trial.path), tasks, timers,
        _plain(workflow.data),
    )  # fmt: skip


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """The case data as JSON-friendly values (dates and the like as text)."""
    return {
        key: value if isinstance(value, str | int | float | bool | list | dict | None) else str(value)
        for key, value in data.items()
    }
