"""Arrange through engine calls: start a case of the test model set and walk it with the forms'
examples, acting as the demo user of each task's role."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from engine import cases, tasks
from engine.accounts import actor_by_username
from engine.model_checks import PHASES
from engine.runtime import Runtime
from engine.storage.tables import Case, ModelVersion, Task

TEST_PROCESS = "test_flow"
TEST_REGION = "utrecht"


def start_test_case(rt: Runtime, region: str = TEST_REGION, **overrides: Any) -> cases.CaseSummary:
    data = rt.forms["test_aanmelding"].examples(region) | overrides
    return cases.start_case(
        rt, actor_by_username(rt, f"{region}.aanmelder"), region, data, process_id=TEST_PROCESS
    )


def open_tasks(rt: Runtime, case_id: int) -> list[Task]:
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(Task)
                .where(Task.case_id == case_id, Task.status == "open")
                .order_by(Task.created_at, Task.id)
            )
        )


def complete_open(rt: Runtime, case_id: int, spec_id: str, **overrides: Any) -> tasks.TaskInfo:
    """Complete the open task with this BPMN id, as the demo user of its role, with its form's
    examples (overridden where given)."""
    task = next(t for t in open_tasks(rt, case_id) if t.spec_id == spec_id)
    form = rt.forms[task.form_key] if task.form_key else None
    data = (form.examples(task.region) if form else {}) | overrides
    return tasks.complete(rt, actor_by_username(rt, f"{task.region}.{task.role}"), task.id, data)


def walk_to_monitoring(rt: Runtime, case_id: int) -> None:
    """triage → decision → analysis → both parallel checks → plan: the case then waits on its
    evaluation timer."""
    for spec_id in ("triage", "analyse", "check_a", "check_b", "plan"):
        complete_open(rt, case_id, spec_id)


def waiting_cases(rt: Runtime, seeds: int, total: int) -> list[int]:
    """`total` cases waiting on their evaluation timer: `seeds` walked there through the engine,
    the rest bulk copies of them (bench.bulk.clone_cases). Their ids."""
    from bench.bulk import clone_cases

    seed_ids = []
    for _ in range(seeds):
        case = start_test_case(rt)
        walk_to_monitoring(rt, case.id)
        seed_ids.append(case.id)
    return clone_cases(rt, seed_ids, total)


def pool_cases(rt: Runtime, region: str, role: str, count: int, first_id: int = 2_000_000) -> list[str]:
    """`count` cases of the region made by bulk SQL (quick past the lists' count cap), each with
    one open task in the pool of `role`: the phases in turn, due one hour apart from two days ago
    (the first ones overdue), every tenth without a due date, and every three created at the same
    moment with the same due date (their order is decided by the task id alone). Their task ids."""
    from bench.bulk import fill_rows

    now = rt.clock.now()
    with rt.uow() as uow:
        version_id = uow.session.scalar(select(func.min(ModelVersion.id)))
    case_rows, task_rows = [], []
    for n in range(count):
        case_id, moment = first_id + n, now - timedelta(days=2) + timedelta(hours=n // 3)
        case_rows.append(
            {"id": case_id, "region": region, "process_id": TEST_PROCESS, "model_version_id": version_id,
             "title": f"Bulkzaak {case_id}", "status": "open", "phase": PHASES[n % len(PHASES)],
             "created_by": None, "created_at": moment, "last_activity_at": moment, "closed_at": None,
             "waiting_messages": [], "state": "{}", "version": 1}
        )  # fmt: skip
        task_rows.append(
            {"id": str(uuid.uuid4()), "case_id": case_id, "region": region, "spec_id": "bulk",
             "name": f"Bulktaak {n}", "role": role, "form_key": None, "phase": PHASES[n % len(PHASES)],
             "assignee_id": None, "status": "open", "due_at": None if n % 10 == 9 else moment,
             "created_at": moment, "completed_at": None, "completed_by": None, "data": {}}
        )  # fmt: skip
    fill_rows(rt, {Case.__table__: case_rows, Task.__table__: task_rows})
    return [row["id"] for row in task_rows]
