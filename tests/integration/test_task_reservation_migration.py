"""Migration 0014 fills `tasks.reserved_for` of the tasks already stored from their case teams, so
a database upgraded with cases in it keeps each reserved task out of the others' pools."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select

from engine import accounts, tasks
from engine.runtime import Actor, Runtime
from engine.storage.db import alembic_config
from engine.storage.tables import Task
from tests.factories import complete_open, open_tasks, start_test_case


def migrate(rt: Runtime, target: str) -> None:
    config = alembic_config(rt.db.url.render_as_string(hide_password=False))
    with rt.db.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if target != "head" else command.upgrade)(config, target)


def inbox_ids(rt: Runtime, who: Actor) -> set[str]:
    return {task.id for task in tasks.inbox(rt, who, tasks.TaskFilter())[0]}


def test_upgrading_a_database_with_cases_keeps_each_reserved_task_for_its_team_member(
    rt: Runtime, actor
) -> None:
    appointed = actor("utrecht", "casusregisseur")
    accounts.add_user(rt, "utrecht.casusregisseur.twee", role="casusregisseur", region="utrecht")
    other = accounts.actor_by_username(rt, "utrecht.casusregisseur.twee")
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")
    complete_open(rt, case.id, "analyse", casusregisseur="utrecht.casusregisseur")
    check_b = next(t for t in open_tasks(rt, case.id) if t.spec_id == "check_b")
    tasks.unclaim(rt, appointed, check_b.id)  # in the pool, kept for the appointed casusregisseur

    migrate(rt, "0013")  # the column and its values are gone
    try:
        with rt.db.connect() as connection:
            assert "reserved_for" not in connection.exec_driver_sql("SELECT * FROM tasks").keys()
    finally:
        migrate(rt, "head")

    with rt.uow() as uow:
        found = uow.session.execute(select(Task.spec_id, Task.reserved_for).where(Task.case_id == case.id))
        kept = {spec_id: user_id for spec_id, user_id in found}
    assert kept == {"triage": None, "analyse": None, "check_a": None, "check_b": appointed.user_id}
    assert check_b.id not in inbox_ids(rt, other)
    assert check_b.id in inbox_ids(rt, appointed)
