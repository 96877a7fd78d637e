"""Moving a running instance onto another spec with SpiffWorkflow's diff utilities: plan (what
would be removed, changed, added, and what blocks the move) and migrate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.util.diff import SpecDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from engine.spiff.clock_hook import use_clock
from engine.spiff.instance import CaseWorkflow
from engine.spiff.private_api import repredict
from engine.spiff.specs import SERIALIZER, thaw_spec


@dataclass(frozen=True)
class MigrationPlan:
    """What moving a running instance to another spec would do."""

    removed: list[str]  # BPMN ids of this instance's tasks that the new spec no longer has
    changed: list[str]  # BPMN ids of the main process whose definition changed
    added: list[str]  # BPMN ids new in the main process
    blocking: list[str]  # removed tasks that are still open or waiting: migration refused


def plan_migration(case: CaseWorkflow, new_spec_json: str) -> tuple[MigrationPlan, Any]:
    """Diff the instance against a new spec; returns the plan and what `migrate` needs."""
    spec, dependencies = thaw_spec(new_spec_json)
    spec_diff = SpecDiff(SERIALIZER.registry, case.workflow.spec, spec)
    top, subs = diff_workflow(SERIALIZER.registry, case.workflow, spec, dependencies)
    diffs = [top, *[d for d in subs.values() if d is not None]]
    removed = [t for d in diffs for t in d.removed]
    open_states = TaskState.READY | TaskState.WAITING | TaskState.STARTED
    blocking = [t.task_spec.bpmn_id for t in removed if t.state & open_states]
    blocking += [
        case.workflow.subprocesses[sp_id].spec.name
        for sp_id, d in subs.items()
        if d is None and not case.workflow.subprocesses[sp_id].is_completed()
    ]
    plan = MigrationPlan(
        removed=sorted({t.task_spec.bpmn_id for t in removed if t.task_spec.bpmn_id}),
        changed=sorted({s.bpmn_id for s in spec_diff.changed if s.bpmn_id}),
        added=sorted({s.bpmn_id for s in spec_diff.added if s.bpmn_id}),
        blocking=sorted(set(blocking)),
    )
    return plan, (spec, dependencies, top, subs)


def _repredict_started(workflow: Any) -> None:
    """Spiff's migration re-predicts only what is ready or waiting; a started task (a call
    activity a case waits inside) keeps the old spec's predicted path, which may name elements
    the new spec no longer has (loading the case would then fail)."""
    for task in workflow.get_tasks(state=TaskState.STARTED, skip_subprocesses=True):
        repredict(workflow, task, TaskState.FUTURE | TaskState.PREDICTED_MASK)


def migrate(case: CaseWorkflow, new_spec_json: str, prepared: Any, now: datetime) -> CaseWorkflow:
    """Move the instance onto the new spec (after plan_migration found nothing blocking)."""
    spec, dependencies, top, subs = prepared
    # Spiff resets ready and waiting tasks onto the new spec; a waiting timer restarts then, so
    # its new moment must come from the project's clock, not the wall clock.
    with use_clock(now):
        migrate_workflow(top, case.workflow, spec)
        for sp_id, sp_diff in subs.items():
            if sp_diff is not None:
                sub = case.workflow.subprocesses[sp_id]
                migrate_workflow(sp_diff, sub, dependencies[sub.spec.name])
        case.workflow.subprocess_specs = dependencies
        for workflow in (case.workflow, *case.workflow.subprocesses.values()):
            _repredict_started(workflow)
    migrated = CaseWorkflow(case.workflow, new_spec_json)
    migrated.run_engine(now)
    return migrated
