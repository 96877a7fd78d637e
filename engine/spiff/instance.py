"""A running SpiffWorkflow instance of one case: start, load, dump (instance state only), run the
engine, complete a user task, deliver a message, and describe its open user tasks and timers as
plain values. Knows nothing of storage."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin, StartEventJoin
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition, TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.camunda.specs.event_definitions import MessageEventDefinition as CamundaMessage
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.util.task import TaskState

from config.settings import Limits
from engine.errors import Invalid
from engine.scripting import ScriptDataRefused, ScriptLimitExceeded
from engine.spiff.budget import DEFAULT_LIMITS, Budget, EngineBudgetExceeded, spending
from engine.spiff.clock_hook import DUE_TOLERANCE, use_clock
from engine.spiff.private_api import internal
from engine.spiff.script_engine import make_case_script_engine
from engine.spiff.specs import SERIALIZER, invalid_from_spiff, shared_spec


@dataclass(frozen=True)
class UserTaskInfo:
    id: str
    spec_id: str
    name: str
    lane: str | None
    form_key: str | None
    phase: str | None
    due_at: datetime | None


@dataclass(frozen=True)
class TimerInfo:
    id: str
    spec_id: str
    name: str
    due_at: datetime
    phase: str | None = None  # the case's phase while it waits here


@dataclass(frozen=True)
class Derived:
    user_tasks: list[UserTaskInfo]
    timers: list[TimerInfo]
    waiting_messages: list[str]


# Spiff's converter for a whole workflow (the serializer's own, registered again on its registry):
# its public pieces restore and write an instance without thawing or converting the spec.
_WORKFLOW_CONVERTER: Any = BpmnWorkflowConverter(BpmnWorkflow, SERIALIZER.registry)


class CaseWorkflow:
    """A running SpiffWorkflow instance of one case, with the operations the engine needs."""

    def __init__(self, workflow: BpmnWorkflow, spec_json: str) -> None:
        self.workflow = workflow
        self.spec_json = spec_json
        self.limits = DEFAULT_LIMITS  # those of the latest operation; they bound dump() too
        self._derived: Derived | None = None  # what the latest operation left (`derived`)

    @classmethod
    def start(
        cls, spec_json: str, data: dict[str, Any], now: datetime, limits: Limits | None = None
    ) -> CaseWorkflow:
        """A new instance with the registration data, run until it waits. Raises Invalid
        (EngineBudgetExceeded when the model asks too much of one operation)."""
        spec, subprocesses = shared_spec(spec_json)
        workflow = BpmnWorkflow(spec, dict(subprocesses), script_engine=make_case_script_engine())
        case = cls(workflow, spec_json)
        start_task = workflow.get_next_task(state=TaskState.READY)
        if start_task is not None:
            start_task.data.update(data)
        workflow.data.update(data)
        case.run_engine(now, limits)
        return case

    @classmethod
    def load(cls, state_json: str, spec_json: str) -> CaseWorkflow:
        """Restore an instance on its version's spec, thawed once per process (`shared_spec`):
        what Spiff's workflow converter does, minus thawing the spec again."""
        state = json.loads(state_json)
        state.pop("spec", None)  # states written before specs were kept per version
        state.pop("subprocess_specs", None)
        spec, subprocesses = shared_spec(spec_json)
        converter = _WORKFLOW_CONVERTER
        workflow = BpmnWorkflow(
            spec, dict(subprocesses), script_engine=make_case_script_engine(), deserializing=True
        )
        workflow.tasks = converter.mapping_from_dict(state["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(state["root"]))
        converter.set_default_attributes(workflow, state)
        converter.subprocesses_from_dict(state["subprocesses"], workflow)
        workflow.bpmn_events = converter.registry.restore(state.pop("bpmn_events", []))
        return cls(workflow, spec_json)

    def dump(self, *, keep_history: bool = False) -> str:
        """Instance state only (the spec is kept once per model version and not even converted
        here), without the subprocesses that finished: they would otherwise stay in the state
        forever, each with copies of the case data (their results live on in the calling task's
        data and in the audit trail). `keep_history`: keep every finished task and subprocess (a
        designer's trial shows the whole path it took). Standard JSON only (no NaN, no lone
        surrogates) and within the size limit; raises Invalid."""
        if keep_history:
            return self._dump_state()
        self._prune_finished_subprocesses()
        callers = set(self.workflow.subprocesses)
        for workflow in [self.workflow, *self.workflow.subprocesses.values()]:
            _compact_task_tree(workflow, callers)
        return self._dump_state()

    def _dump_state(self) -> str:
        converter = _WORKFLOW_CONVERTER
        state = WorkflowConverter.to_dict(converter, self.workflow)
        state["subprocesses"] = converter.mapping_to_dict(self.workflow.subprocesses)
        state["bpmn_events"] = converter.registry.convert(self.workflow.bpmn_events)
        state["typename"] = "BpmnWorkflow"
        try:
            text = json.dumps(state, separators=(",", ":"), allow_nan=False, ensure_ascii=False)
            size = len(text.encode("utf-8"))
        except (TypeError, ValueError) as error:  # UnicodeEncodeError is a ValueError
            raise _model_error(f"de zaakgegevens zijn niet als JSON op te slaan ({error})") from error
        if size > self.limits.max_state_bytes:
            raise EngineBudgetExceeded(
                f"De zaak wordt te groot om op te slaan ({size} bytes). Er is niets opgeslagen.",
                details=[{"element_id": None, "message": f"meer dan {self.limits.max_state_bytes} bytes"}],
            )
        return text

    def _prune_finished_subprocesses(self) -> None:
        subprocesses = self.workflow.subprocesses
        finished = []
        for task_id, sub in subprocesses.items():
            caller = self.workflow.get_task_from_id(task_id)
            if sub.is_completed() and (caller is None or caller.state & TaskState.FINISHED_MASK):
                finished.append(task_id)
        for task_id in finished:
            del subprocesses[task_id]
        if finished:  # subprocesses called from inside a removed one go with it
            live = {t.id for w in [self.workflow, *subprocesses.values()] for t in w.tasks.values()}
            for task_id in [t for t in subprocesses if t not in live]:
                del subprocesses[task_id]

    def run_engine(self, now: datetime, limits: Limits | None = None) -> None:
        """Fire the timers due at `now` and run every engine task that is ready, within one
        operation's budget. Raises Invalid (EngineBudgetExceeded past the budget)."""
        self._run(now, self._budget(limits))

    def _budget(self, limits: Limits | None) -> Budget:
        """Every operation starts here: what it will leave is described anew (`derived`)."""
        self._derived = None
        self.limits = limits or self.limits
        return Budget(self.limits, self.workflow)

    def _run(self, now: datetime, budget: Budget) -> None:
        # Timers are checked a microsecond late (see DUE_TOLERANCE); new ones count from `now`.
        self._skip_missed_cycles(now + DUE_TOLERANCE)
        with spending(budget):
            with use_clock(now + DUE_TOLERANCE):
                self._guard(self.workflow.refresh_timers)
            with use_clock(now):
                self._guard(self.workflow.do_engine_steps, None, budget.step)
        self._check_timer_range(now)

    def _check_timer_range(self, now: datetime) -> None:
        """A timer computed from case data at run time stays within the range validation allows."""
        latest = now + timedelta(days=self.limits.max_timer_days)
        for timer in self.derived().timers:
            if timer.due_at > latest:
                raise EngineBudgetExceeded(
                    f"Timer {timer.spec_id} valt te ver in de toekomst ({timer.due_at.date()}).",
                    details=[{"element_id": timer.spec_id, "message": "timer te ver in de toekomst"}],
                )

    def _skip_missed_cycles(self, now: datetime) -> None:
        """After downtime a cycle timer fires once, not once per missed period: Spiff fires one
        repetition per refresh and would work off the backlog over the next sweeps. Every missed
        repetition but the last is skipped, so the next one after the firing lies in the future."""
        if not _has_cycle_timers(self.spec_json):  # most models: no walk over the task tree
            return
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            value = internal(task, "event_value")
            if not isinstance(value, dict) or value.get("cycles") in (0, 1, None):
                continue
            step = timedelta(seconds=value["duration"])
            moment = datetime.fromisoformat(value["next"])
            if step <= timedelta(0) or moment.tzinfo is None or moment + step >= now:
                continue
            missed = (now - moment - timedelta.resolution) // step  # those whose successor is overdue too
            if value["cycles"] > 0:
                missed = min(missed, value["cycles"] - 1)
            value["next"] = (moment + missed * step).isoformat()
            value["cycles"] = value["cycles"] - missed if value["cycles"] > 0 else -1
            internal(task, "event_value", update=value)

    def _guard(self, action: Any, *args: Any) -> Any:
        """Run a Spiff operation; whatever a bad model makes it raise becomes an Invalid."""
        try:
            return action(*args)
        except EngineBudgetExceeded:
            raise
        except SpiffWorkflowException as error:
            raise _invalid_with_cause(error) from error
        except _MODEL_FAULTS as error:  # raised by Spiff's own code on a bad value (e.g. a timer)
            raise _model_error(f"{type(error).__name__}: {error}") from error

    @property
    def is_completed(self) -> bool:
        return bool(self.workflow.is_completed())

    @property
    def data(self) -> dict[str, Any]:
        """The case data as the latest finished task left it."""
        data: dict[str, Any] = dict(self.workflow.data)
        last = self.workflow.last_task
        if last is not None:
            data.update(last.data)
        return data

    def derived(self) -> Derived:
        """What the derived rows need (ready user tasks, waiting timers and messages) from one walk
        over the task tree instead of one per question, and once per operation: the timer check
        after it, the sync and the sweep's log share it (dump() keeps every unfinished task)."""
        if self._derived is None:
            self._derived = self._derive()
        return self._derived

    def _derive(self) -> Derived:
        user_tasks: list[UserTaskInfo] = []
        timers: list[TimerInfo] = []
        messages: set[str] = set()
        for task in self.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
            spec = task.task_spec
            if task.state == TaskState.READY:
                if spec.manual and isinstance(spec, UserTask):
                    user_tasks.append(self._describe_user_task(task))
                continue
            timer = _describe_timer(task)
            if timer is not None:
                timers.append(timer)
            if isinstance(spec, CatchingEvent):
                messages.update(_message_names(spec))
        return Derived(user_tasks, timers, sorted(messages))

    def user_tasks(self) -> list[UserTaskInfo]:
        ready = self.workflow.get_tasks(state=TaskState.READY, manual=True)
        return [self._describe_user_task(task) for task in ready if isinstance(task.task_spec, UserTask)]

    def _describe_user_task(self, task: Any) -> UserTaskInfo:
        spec = task.task_spec
        form = getattr(spec, "form", None)
        extensions = getattr(spec, "extensions", {}) or {}
        boundary_dues = self._deadlines_around(task)
        return UserTaskInfo(
            id=str(task.id),
            spec_id=spec.bpmn_id,
            name=spec.bpmn_name or spec.bpmn_id,
            lane=spec.lane or extensions.get("candidate_groups"),
            form_key=getattr(form, "key", None),
            phase=extensions.get("phase"),
            due_at=min(boundary_dues) if boundary_dues else None,
        )

    def _deadlines_around(self, task: Any) -> list[datetime]:
        """Due moments of waiting boundary timers on the task and on every call activity or
        subprocess that encloses it: a deadline on a phase is a deadline on the work inside."""
        dues = []
        current = task
        while current is not None:
            for sibling in current.parent.children if current.parent else []:
                if isinstance(sibling.task_spec, BoundaryEvent) and sibling.state == TaskState.WAITING:
                    due = _timer_due(sibling)
                    if due is not None:
                        dues.append(due)
            parent_task_id = getattr(current.workflow, "parent_task_id", None)
            current = self.workflow.get_task_from_id(parent_task_id) if parent_task_id else None
        return dues

    def timers(self) -> list[TimerInfo]:
        if not _has_timers(self.spec_json):  # most steps of most models: no walk over the task tree
            return []
        found = (_describe_timer(task) for task in self.workflow.get_tasks(state=TaskState.WAITING))
        return [timer for timer in found if timer is not None]

    def complete(
        self, task_id: str, data: dict[str, Any], now: datetime, limits: Limits | None = None
    ) -> None:
        """Complete a ready user task with validated form data, then run the engine. Raises
        KeyError (not ready), Invalid."""
        task = self._ready_task(task_id)
        task.data.update(data)
        budget = self._budget(limits)
        with spending(budget), use_clock(now):
            self._guard(task.run)
        self._run(now, budget)

    def finished_path(self) -> list[str]:
        """BPMN ids of the elements the instance has finished, in the order they finished (the
        path a designer's trial shows on the diagram); called processes included."""
        done = [task for task in self.workflow.get_tasks(state=TaskState.COMPLETED) if task.task_spec.bpmn_id]
        done.sort(key=lambda task: task.last_state_change)
        return [task.task_spec.bpmn_id for task in done]

    def waiting_messages(self) -> list[str]:
        """Names of the messages the case is waiting for right now."""
        names: set[str] = set()
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            if isinstance(task.task_spec, CatchingEvent):
                names.update(_message_names(task.task_spec))
        return sorted(names)

    def deliver_message(self, name: str, now: datetime, limits: Limits | None = None) -> None:
        """Deliver a message the case waits for (e.g. bring an evaluation forward). Raises
        KeyError (not waited for), Invalid."""
        if name not in self.waiting_messages():
            raise KeyError(name)
        event = BpmnEvent(CamundaMessage(name), payload={"payload": None, "result_var": None})
        budget = self._budget(limits)
        with spending(budget), use_clock(now):
            self._guard(self.workflow.catch, event)
        self._run(now, budget)

    def _ready_task(self, task_id: str) -> Any:
        try:
            task = self.workflow.get_task_from_id(UUID(task_id))
        except ValueError:
            task = None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise KeyError(task_id)
        return task


@lru_cache(maxsize=64)
def _has_cycle_timers(spec_json: str) -> bool:
    """Whether a frozen spec (the shared, thawed one) has a cycle timer anywhere."""
    return _has_event(spec_json, CycleTimerEventDefinition)


@lru_cache(maxsize=64)
def _has_timers(spec_json: str) -> bool:
    """Whether a frozen spec (the shared, thawed one) has a timer of any kind anywhere."""
    return _has_event(spec_json, TimerEventDefinition)


def _has_event(spec_json: str, kind: type) -> bool:
    spec, subprocesses = shared_spec(spec_json)
    return any(
        isinstance(member, kind)
        for process in [spec, *subprocesses.values()]
        for task_spec in process.task_specs.values()
        for member in _members(getattr(task_spec, "event_definition", None))
    )


def _compact_task_tree(workflow: Any, callers: set[UUID]) -> None:
    """Keep the task tree of a long-running (sub)process from growing with every loop pass: drop
    spent leaves (cancelled tasks, fired boundary-event joins) and splice finished tasks out of
    finished chains (their child is re-parented to their parent, its data stored as a delta against
    that parent, so nothing is lost). Kept: the root, each workflow's last task, callers of
    subprocesses, parallel and inclusive joins and their inputs (they count and merge them), every
    task with more than one child, and the parent of every unfinished task (it inherits its data
    from there; a waiting boundary-event join finds its split among these)."""
    tasks = workflow.tasks
    join_inputs = {
        spec_input.name
        for spec in workflow.spec.task_specs.values()
        if _is_counting_join(spec)
        for spec_input in spec.inputs
    }
    keep = callers | {workflow.task_tree.id}
    if workflow.last_task is not None:
        keep.add(workflow.last_task.id)

    def removable(task: Any) -> bool:
        return (
            task.id not in keep
            and task._parent is not None
            and not _is_counting_join(task.task_spec)
            and task.task_spec.name not in join_inputs
        )

    for task in list(tasks.values()):
        spent = task.state == TaskState.CANCELLED or (
            task.state == TaskState.COMPLETED and isinstance(task.task_spec, _STRUCTURED_JOINS)
        )
        if spent and not task._children and removable(task):
            tasks[task._parent]._children.remove(task.id)
            del tasks[task.id]
    for task in list(tasks.values()):
        if not (task.state & TaskState.FINISHED_MASK and len(task._children) == 1 and removable(task)):
            continue
        child = tasks[task._children[0]]
        if not child.state & TaskState.FINISHED_MASK:
            continue
        siblings = tasks[task._parent]._children
        siblings[siblings.index(task.id)] = child.id
        child._parent = task._parent
        del tasks[task.id]


# Joins that look only at their own split's children (found as an ancestor) while they wait; the
# others (parallel, inclusive gateways) count and merge finished inputs anywhere in the tree.
_STRUCTURED_JOINS = (BoundaryEventJoin, StartEventJoin)


def _is_counting_join(spec: Any) -> bool:
    return isinstance(spec, Join) and not isinstance(spec, _STRUCTURED_JOINS)


def _describe_timer(task: Any) -> TimerInfo | None:
    due = _timer_due(task)
    if due is None:
        return None
    spec = task.task_spec
    phase = (getattr(spec, "extensions", None) or {}).get("phase")
    return TimerInfo(str(task.id), spec.bpmn_id, spec.bpmn_name or spec.bpmn_id, due, phase)


def _message_names(spec: Any) -> set[str]:
    return {
        member.name for member in _members(spec.event_definition)
        if isinstance(member, MessageEventDefinition) and member.name
    }  # fmt: skip


# What Spiff's own code raises when a model hands it a bad value (a timer that is no duration, a
# date past the calendar); scripts' errors arrive wrapped in a SpiffWorkflowException instead.
_MODEL_FAULTS = (
    ValueError,
    TypeError,
    OverflowError,
    ArithmeticError,
    LookupError,
    AttributeError,
    RecursionError,
)
_CAUSE_CODES = ((ScriptDataRefused, "script_data_refused"), (ScriptLimitExceeded, "script_limit_exceeded"))


def _model_error(message: str, element_id: str | None = None) -> Invalid:
    return Invalid(
        f"Het procesmodel loopt vast: {message}. Er is niets opgeslagen.",
        code="model_runtime_error",
        details=[{"element_id": element_id, "message": message}],
    )


def _invalid_with_cause(error: SpiffWorkflowException) -> Invalid:
    """Spiff's exception as Invalid; a budget or sandbox refusal inside it keeps its own code."""
    cause: BaseException | None = error
    for _ in range(20):  # a cause chain is short; never follow a cycle
        if cause is None:
            break
        if isinstance(cause, EngineBudgetExceeded):
            return cause
        for kind, code in _CAUSE_CODES:
            if isinstance(cause, kind):
                invalid = invalid_from_spiff(error)
                invalid.code = code
                return invalid
        cause = getattr(cause, "exception", None) or cause.__cause__ or cause.__context__
    return invalid_from_spiff(error)


def _members(definition: Any) -> list[Any]:
    """An event-based gateway holds the events behind it (Spiff moves their definitions there)."""
    if isinstance(definition, MultipleEventDefinition):
        return list(definition.event_definitions)
    return [definition]


def _timer_due(task: Any) -> datetime | None:
    spec = task.task_spec
    if not isinstance(spec, CatchingEvent):
        return None
    if not any(isinstance(member, TimerEventDefinition) for member in _members(spec.event_definition)):
        return None
    value = internal(task, "event_value")
    if isinstance(value, dict):  # a cycle timer keeps {'cycles', 'next', 'duration'}
        value = value.get("next") if value.get("cycles") != 0 else None
    if not value:
        return None
    try:
        due = TimerEventDefinition.parse_time_or_duration(value)
    except Exception:  # noqa: BLE001 - an unparsable value is not a timer we can schedule
        return None
    return datetime.fromtimestamp(due.timestamp(), UTC) if isinstance(due, datetime) else None


def timer_fired(case: CaseWorkflow, task_id: str) -> bool:
    """Whether a timer that no longer waits fired, rather than was cancelled with its activity. A
    cycle timer whose last repetition fired is not completed yet inside Spiff."""
    task = case.workflow.get_task_from_id(UUID(task_id))
    if task is None or task.state == TaskState.COMPLETED:
        return task is not None
    value = internal(task, "event_value")
    spent = isinstance(value, dict) and value.get("cycles") == 0
    return bool(task.state != TaskState.CANCELLED and (spent or internal(task, "event_fired")))


def task_finished_state(case: CaseWorkflow, task_id: str) -> str:
    """'completed' or 'cancelled' for a task that is no longer ready or waiting."""
    task = case.workflow.get_task_from_id(UUID(task_id))
    return "completed" if task is not None and task.state == TaskState.COMPLETED else "cancelled"
