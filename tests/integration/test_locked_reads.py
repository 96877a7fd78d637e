"""A completion locks its case and reads the case's tasks and team in one statement (issue 13).
That statement reads with the snapshot of its start, so when it had to wait for the lock, what
the writer before it committed meanwhile is not in the rows it read: it must notice (the case's
version moved) and read them again. Here an appointment commits while a completion waits."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Connection, insert, select, text, update

from engine import tasks
from engine.accounts import actor_by_username
from engine.runtime import Runtime
from engine.storage.tables import Case, CaseTeamMember, Task
from tests.factories import open_tasks, start_test_case
from tests.processes import needs_postgresql

pytestmark = needs_postgresql

TRIAGE = {"structureel": True, "toelichting": "x"}


def wait_until_someone_waits_for_a_lock(connection: Connection, seconds: float = 30.0) -> None:
    """Polls PostgreSQL's lock table (a condition, not a guess at how long a thread takes)."""
    deadline = time.monotonic() + seconds
    waiting = text("SELECT count(*) FROM pg_locks WHERE NOT granted")
    while connection.execute(waiting).scalar_one() == 0:
        assert time.monotonic() < deadline, "the completion never waited for the case's lock"
        time.sleep(0.01)


def test_on_postgresql_a_completion_that_waited_for_the_lock_sees_the_appointment_made_meanwhile(
    pg_rt: Runtime,
) -> None:
    case = start_test_case(pg_rt)
    (triage,) = open_tasks(pg_rt, case.id)
    worker = actor_by_username(pg_rt, "utrecht.veilig_thuis")
    regisseur = actor_by_username(pg_rt, "utrecht.procesregisseur")
    done: list[object] = []

    with pg_rt.db.connect() as appointing, pg_rt.db.connect() as watching:
        watching.execution_options(isolation_level="AUTOCOMMIT")
        appointing.execute(select(Case.id).where(Case.id == case.id).with_for_update())
        completing = threading.Thread(
            target=lambda: done.append(tasks.complete(pg_rt, worker, triage.id, TRIAGE))
        )
        completing.start()
        wait_until_someone_waits_for_a_lock(watching)
        appointing.execute(
            insert(CaseTeamMember).values(case_id=case.id, role="procesregisseur", user_id=regisseur.user_id)
        )
        appointing.execute(update(Case).where(Case.id == case.id).values(version=Case.version + 1))
        appointing.commit()
        completing.join(timeout=60)

    assert done, "the completion did not finish"
    (analyse,) = [task for task in open_tasks(pg_rt, case.id) if task.spec_id == "analyse"]
    with pg_rt.uow() as uow:
        assignee = uow.session.scalar(select(Task.assignee_id).where(Task.id == analyse.id))
    assert assignee == regisseur.user_id  # the team as the appointment left it, not as first read
