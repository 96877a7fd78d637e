"""Demo cases for `mda init --demo`: in every region a few cases in different phases, each walked
by the demo users with the forms' examples (CONTRACT §4, §6)."""

from __future__ import annotations

from sqlalchemy import func, select

from config.settings import REGIONS
from engine import cases, tasks
from engine.accounts import actor_by_username
from engine.errors import MdaError
from engine.runtime import Runtime
from engine.storage.tables import Case, Task

# How many tasks each demo case walks through after registration: just registered, in triage,
# in analysis, and on to the plan or the wait for its first evaluation.
DEMO_WALKS = (0, 2, 5, 40)


def create_demo_cases(rt: Runtime) -> int:
    """Idempotent: regions that already have cases get none."""
    created = 0
    for region in REGIONS:
        with rt.uow() as uow:
            if uow.session.scalar(select(func.count()).where(Case.region == region)):
                continue
        try:
            form_key = cases.start_form_key(rt, region)
        except MdaError:
            continue
        form = rt.forms.get(form_key or "")
        aanmelder = actor_by_username(rt, f"{region}.aanmelder")
        for steps in DEMO_WALKS:
            case = cases.start_case(rt, aanmelder, region, form.examples(region) if form else {})
            walk(rt, case.id, steps)
            created += 1
    return created


def walk(rt: Runtime, case_id: int, steps: int) -> int:
    """Complete up to `steps` open tasks of a case with their forms' examples, each by the demo
    user of the task's role. Returns the number completed."""
    done = 0
    while done < steps:
        with rt.uow() as uow:
            task = uow.session.scalar(
                select(Task)
                .where(Task.case_id == case_id, Task.status == "open")
                .order_by(Task.created_at, Task.id)
            )
            if task is None:
                return done
            region, role, form_key, task_id = task.region, task.role, task.form_key, task.id
        actor = actor_by_username(rt, f"{region}.{role}")
        form = rt.forms.get(form_key or "")
        tasks.complete(rt, actor, task_id, form.examples(region) if form else {})
        done += 1
    return done
