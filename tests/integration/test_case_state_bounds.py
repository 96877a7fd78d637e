"""A case's stored state stays bounded however long it runs (finished subprocesses dropped, loop
passes spliced out of the task tree), and a case stored the old way (every finished subprocess and
every loop pass still in its state) still loads, runs and migrates."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine import migration, timers
from engine.case_state import load_case
from engine.runtime import Runtime
from engine.spiff.instance import CaseWorkflow
from engine.storage.tables import Case, Event
from tests.factories import complete_open, open_tasks, start_test_case, walk_to_monitoring
from tests.integration.test_migration import publish_variant


def stored_state(rt: Runtime, case_id: int) -> dict:  # type: ignore[type-arg]
    with rt.uow() as uow:
        return json.loads(uow.session.scalar(select(Case.state).where(Case.id == case_id)) or "{}")


def evaluate_once(rt: Runtime, case_id: int) -> None:
    rt.clock.advance("P3M")  # type: ignore[attr-defined]
    assert not timers.run_due(rt).errors
    complete_open(rt, case_id, "evaluatie")


def test_years_of_quarterly_evaluations_keep_the_state_the_same_size(rt: Runtime) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    evaluate_once(rt, case.id)
    after_one = stored_state(rt, case.id)
    for _ in range(7):
        evaluate_once(rt, case.id)
    after_eight = stored_state(rt, case.id)
    assert after_one["subprocesses"] == {} == after_eight["subprocesses"]  # the finished call activity went
    assert len(after_eight["tasks"]) == len(after_one["tasks"])  # each pass spliced out of the tree
    assert len(json.dumps(after_eight)) < len(json.dumps(after_one)) * 1.1
    with rt.uow() as uow:
        fired = uow.session.scalars(select(Event.kind).where(Event.case_id == case.id)).all()
    assert fired.count("timer_fired") == 8  # every evaluation moment came, once
    assert [t.spec_id for t in open_tasks(rt, case.id)] == []  # waiting for the ninth


def test_a_case_stored_with_finished_subprocesses_and_loop_passes_loads_runs_and_migrates(
    rt: Runtime, actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: the case as the engine stored it before states were bounded.
    with monkeypatch.context() as old_engine:
        old_engine.setattr(CaseWorkflow, "_prune_finished_subprocesses", lambda self: None)
        old_engine.setattr("engine.spiff.instance._compact_task_tree", lambda workflow, callers: None)
        case = start_test_case(rt)
        walk_to_monitoring(rt, case.id)
        evaluate_once(rt, case.id)
        evaluate_once(rt, case.id)
    old = stored_state(rt, case.id)
    assert len(old["subprocesses"]) == 1  # the interval subprocess, finished long ago

    with rt.uow() as uow:  # loads
        loaded = load_case(uow.session, case.id)
        assert len(loaded.workflow.workflow.subprocesses) == 1
        assert loaded.workflow.data["evaluaties"] == 2

    evaluate_once(rt, case.id)  # runs (and is stored the new way)
    new = stored_state(rt, case.id)
    assert new["subprocesses"] == {} and len(new["tasks"]) < len(old["tasks"])
    with rt.uow() as uow:
        assert load_case(uow.session, case.id).workflow.data["evaluaties"] == 3

    v2 = publish_variant(rt, 'name="Evaluatie"', 'name="Evaluatie (nieuw)"')  # migrates
    report = migration.migrate_case(rt, actor("utrecht", "coordinator"), case.id, v2.id, dry_run=False)
    assert report.migrated and report.blocking == []
    rt.clock.advance("P3M")  # type: ignore[attr-defined]
    assert timers.run_due(rt).cases_advanced == 1
    assert [t.name for t in open_tasks(rt, case.id)] == ["Evaluatie (nieuw)"]
    complete_open(rt, case.id, "evaluatie", besluit="afschalen")
    with rt.uow() as uow:
        assert uow.session.get_one(Case, case.id).status == "closed"
