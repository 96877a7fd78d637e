"""What one engine operation may spend (config.settings.Limits): engine steps (the primary,
deterministic budget), the tasks it adds to the case's tree (its memory), multi-instance
cardinality, and wall time as a backstop. Exceeding any of them raises EngineBudgetExceeded, an
Invalid: the service's unit of work rolls back and the API answers 422; the request never runs on."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from config.settings import Limits
from engine.errors import Invalid
from engine.spiff import private_api

DEFAULT_LIMITS = Limits()


class EngineBudgetExceeded(Invalid):
    """The model asked more of one engine operation than Limits allow; nothing was stored."""

    code = "engine_budget_exceeded"


def _exceeded(message: str, task: Any = None) -> EngineBudgetExceeded:
    element_id = getattr(getattr(task, "task_spec", None), "bpmn_id", None)
    return EngineBudgetExceeded(
        f"Het procesmodel vraagt te veel van de engine: {message}. Er is niets opgeslagen.",
        details=[{"element_id": element_id, "message": message}],
    )


def task_count(workflow: Any) -> int:
    """Tasks in the instance's tree, its subprocesses included."""
    return len(workflow.tasks) + sum(len(sub.tasks) for sub in workflow.subprocesses.values())


class Budget:
    """The spending of one engine operation on one instance."""

    def __init__(self, limits: Limits, workflow: Any) -> None:
        self.limits = limits
        self.workflow = workflow
        self.steps = 0
        self.tasks_at_start = task_count(workflow)
        self.deadline = time.monotonic() + limits.max_engine_seconds

    def step(self, task: Any) -> None:
        """Called after every engine task (Spiff's did_complete_task callback)."""
        self.steps += 1
        if self.steps > self.limits.max_engine_steps:
            raise _exceeded(f"meer dan {self.limits.max_engine_steps} stappen in één keer", task)
        added = task_count(self.workflow) - self.tasks_at_start
        if added > self.limits.max_new_tasks:
            raise _exceeded(f"meer dan {self.limits.max_new_tasks} nieuwe taken in één keer", task)
        if time.monotonic() > self.deadline:
            raise _exceeded(f"langer dan {self.limits.max_engine_seconds:g} s in één keer", task)

    def instances(self, task: Any, count: int) -> None:
        if count > self.limits.max_instances:
            raise _exceeded(
                f"multi-instance met {count} instanties (meer dan {self.limits.max_instances})", task
            )


_active: ContextVar[Budget | None] = ContextVar("mda_engine_budget", default=None)


@contextmanager
def spending(budget: Budget) -> Iterator[Budget]:
    """Make `budget` the one the multi-instance check charges while the block runs."""
    token = _active.set(budget)
    try:
        yield budget
    finally:
        _active.reset(token)


def active_limits() -> Limits:
    """The limits of the engine operation under way (the defaults outside one)."""
    budget = _active.get()
    return budget.limits if budget is not None else DEFAULT_LIMITS


def _check_instances(spec: Any, task: Any) -> None:
    """Before Spiff creates a multi-instance task's children: how many would it create?"""
    if spec.data_input is not None:
        items = spec.data_input.get(task) if spec.data_input.exists(task) else None
        count = len(items) if isinstance(items, Sized) else 0
    else:
        count = task.workflow.script_engine.evaluate(task, spec.cardinality)
        if not isinstance(count, int) or isinstance(count, bool):
            raise _exceeded(f"multi-instance-aantal is geen geheel getal ({type(count).__name__})", task)
    limit = active_limits().max_instances
    if count > limit:
        raise _exceeded(f"multi-instance met {count} instanties (meer dan {limit})", task)


private_api.install_multi_instance_check(_check_instances)
