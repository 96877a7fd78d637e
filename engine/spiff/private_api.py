"""Every use of a SpiffWorkflow attribute that is not public API, in one place: a task's internal
data (where timers keep their due moment and whether they fired) and the `datetime` name of the
timer module (where timers read "now"). `verify()` checks all of them; a test calls it, so an
upgrade of SpiffWorkflow that moves any of them fails loudly instead of silently stopping timers."""

from __future__ import annotations

import inspect
from importlib import metadata
from typing import Any

import SpiffWorkflow.bpmn.specs.event_definitions.timer as spiff_timer
from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.task import Task
from SpiffWorkflow.workflow import Workflow

CHECKED_VERSION = "3.2.0"  # the version these uses were read against (pyproject pins it)
_TIMER_READS = ("datetime.now(timezone.utc)", "_get_internal_data('event_value')")


def internal(task: Any, name: str, *, update: Any = None) -> Any:
    """Read one field of a task's internal data; with `update`, write it first. The single door to
    `Task._get_internal_data` / `Task._set_internal_data`."""
    if update is not None:
        task._set_internal_data(**{name: update})
    return task._get_internal_data(name)


def repredict(workflow: Any, task: Any, mask: int) -> None:
    """Drop the task's children in `mask` (predicted, not yet begun) and predict its path again
    from its spec (`Workflow._remove_task`, `TaskSpec._predict`): after a migration a started task
    would otherwise keep a path through elements the new spec no longer has."""
    for child in list(task.children):
        if child.has_state(mask):
            workflow._remove_task(child.id)
    task.task_spec._predict(task, mask=mask | task.state)


def install_timer_clock(clock_datetime: type) -> None:
    """Make Spiff's timer module read "now" from `clock_datetime.now` (it calls
    `datetime.now(timezone.utc)` when it computes and checks due moments)."""
    spiff_timer.datetime = clock_datetime


def verify() -> list[str]:
    """What of the private API this package relies on is missing or changed (empty when all is
    as it was in CHECKED_VERSION)."""
    problems: list[str] = []
    for method in ("_get_internal_data", "_set_internal_data"):
        if not callable(getattr(Task, method, None)):
            problems.append(f"SpiffWorkflow.task.Task.{method} is gone")
    if not callable(getattr(Workflow, "_remove_task", None)):
        problems.append("SpiffWorkflow.workflow.Workflow._remove_task is gone")
    if not callable(getattr(TaskSpec, "_predict", None)):
        problems.append("SpiffWorkflow.specs.base.TaskSpec._predict is gone")
    if not hasattr(spiff_timer, "datetime"):
        problems.append("the timer module no longer imports the name 'datetime'")
    source = inspect.getsource(spiff_timer)
    problems += [f"the timer module no longer calls {call}" for call in _TIMER_READS if call not in source]
    version = metadata.version("SpiffWorkflow")
    if version != CHECKED_VERSION:
        problems.append(f"SpiffWorkflow {version} is not {CHECKED_VERSION}: read private_api.py again")
    return problems
