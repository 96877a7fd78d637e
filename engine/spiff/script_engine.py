"""The script engine Spiff runs a case with: the restricted sandbox (engine/scripting.py), plus a
check of what a timer expression returns before Spiff schedules it. A timer computed from case
data ("P" + jaren + "Y") is refused with 422 instead of hanging Spiff's month-by-month arithmetic
or answering 500."""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
)

from engine.durations import timer_problem
from engine.errors import Invalid
from engine.scripting import RestrictedEnvironment
from engine.spiff.budget import active_limits

_KINDS = (
    (DurationTimerEventDefinition, "timeDuration"),
    (TimeDateEventDefinition, "timeDate"),
    (CycleTimerEventDefinition, "timeCycle"),
)


class CheckedScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        result = super().evaluate(task, expression, external_context)
        kind = _timer_kind(task, expression)
        if kind is not None:
            problem = timer_problem(kind, result, active_limits().max_timer_days)
            if problem is not None:
                element_id = getattr(task.task_spec, "bpmn_id", None)
                raise Invalid(
                    f"Timer {element_id}: {problem}. Er is niets opgeslagen.",
                    code="invalid_timer",
                    details=[{"element_id": element_id, "message": problem}],
                )
        return result


def _timer_kind(task: Any, expression: str) -> str | None:
    """Which kind of timer this expression is of, when it is the expression of a timer on the task."""
    definition = getattr(task.task_spec, "event_definition", None)
    members = (
        definition.event_definitions if isinstance(definition, MultipleEventDefinition) else [definition]
    )
    for member in members:
        for cls, kind in _KINDS:
            if isinstance(member, cls) and member.expression == expression:
                return kind
    return None


def make_case_script_engine() -> CheckedScriptEngine:
    return CheckedScriptEngine(environment=RestrictedEnvironment())
