"""Three `mda worker` processes sweep the same PostgreSQL database; one is killed (SIGKILL) while
it holds a claimed case. Every one of a thousand due timers still fires exactly once, and every
case advances exactly once (ARCHITECTURE: timers fire exactly once, from any number of processes).

A few cases are walked to their evaluation timer through the engine; the rest are clones of
them made with SQL (new ids, every Spiff task id renewed), because walking a thousand cases
through the engine would take minutes. Clones are real cases: their workflow waits on the timer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from config.settings import PROJECT_ROOT
from engine.runtime import Runtime
from engine.storage import tables
from tests.conftest import TEST_MODELS
from tests.factories import waiting_cases
from tests.processes import MDA, needs_postgresql, stop_workers

CASES = 1_000
SEEDS = 10
WORKERS = 3
DEADLINE_SECONDS = 600  # a guard against a hang, not a speed limit: the machine may be busy

pytestmark = [
    pytest.mark.slow,
    needs_postgresql,
]


def fired_count(rt: Runtime) -> int:
    with rt.uow() as uow:
        return uow.session.scalar(select(func.count()).where(tables.Event.kind == "timer_fired")) or 0


def worker_in_transaction(rt: Runtime, name: str) -> bool:
    """Whether the named worker's connection holds a transaction that has written (locked) rows."""
    with rt.db.connect() as connection:
        return bool(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE application_name = :name AND backend_xid IS NOT NULL"
                ),
                {"name": name},
            )
        )


def start_worker(rt: Runtime, name: str, log: Path) -> subprocess.Popen[bytes]:
    url = make_url(rt.settings.database_url).update_query_dict({"application_name": name})
    env = dict(
        os.environ,
        DATABASE_URL=url.render_as_string(hide_password=False),
        MDA_CLOCK="simulated",
        MDA_SWEEP_SECONDS="0.2",
        MDA_WORKFLOWS_DIR=str(TEST_MODELS[0]),
        MDA_FORMS_DIR=str(TEST_MODELS[1]),
    )
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(MDA), "worker"], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT
        )


def wait_until(condition: Any, deadline: float, interval: float = 0.01) -> bool:
    while time.monotonic() < deadline:  # polling the database for progress, not sleeping on a timer
        if condition():
            return True
        time.sleep(interval)
    return False


def test_thousand_timers_fire_exactly_once_across_three_postgresql_workers_when_one_is_killed(
    pg_rt: Runtime, tmp_path: Path
) -> None:
    rt = pg_rt
    case_ids = waiting_cases(rt, SEEDS, CASES)
    with rt.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(tables.Timer)) == CASES
        versions_before = dict(uow.session.execute(select(tables.Case.id, tables.Case.version)).all())
    rt.clock.advance("P3M")

    started = time.monotonic()
    deadline = started + DEADLINE_SECONDS
    names = [f"mda-worker-{n}" for n in range(WORKERS)]
    workers = [start_worker(rt, name, tmp_path / f"{name}.log") for name in names]
    try:
        assert wait_until(lambda: fired_count(rt) >= CASES // 10, deadline), (
            "the workers never started sweeping"
        )
        assert wait_until(lambda: worker_in_transaction(rt, names[0]), deadline, interval=0.001)
        workers[0].send_signal(signal.SIGKILL)
        fired_at_kill = fired_count(rt)
        workers[0].wait(timeout=30)

        assert wait_until(lambda: fired_count(rt) >= CASES, deadline, interval=0.2), (
            f"only {fired_count(rt)} of {CASES} timers fired; logs in {tmp_path}"
        )
        elapsed = time.monotonic() - started
        for worker in workers[1:]:
            assert worker.poll() is None, f"{worker.args} died; see {tmp_path}"
    finally:
        stop_workers(workers)

    with rt.uow() as uow:
        session = uow.session
        fired = dict(
            session.execute(
                select(tables.Event.case_id, func.count())
                .where(tables.Event.kind == "timer_fired")
                .group_by(tables.Event.case_id)
            ).all()
        )
        evaluations = dict(
            session.execute(
                select(tables.Task.case_id, func.count())
                .where(tables.Task.spec_id == "evaluatie")
                .group_by(tables.Task.case_id)
            ).all()
        )
        versions_after = dict(session.execute(select(tables.Case.id, tables.Case.version)).all())
        timers_left = session.scalar(select(func.count()).select_from(tables.Timer))
    duplicates = sum(count - 1 for count in fired.values() if count > 1)
    print(
        f"\n{CASES} timers, {WORKERS} workers, one killed after {fired_at_kill} fired: "
        f"{sum(fired.values())} fired, {duplicates} duplicates, {elapsed:.1f} s"
    )
    assert workers[0].returncode == -signal.SIGKILL
    for name in names[1:]:
        log = (tmp_path / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in log and "timer sweep failed" not in log, log[-3000:]
    assert 0 < fired_at_kill < CASES  # the killed worker died mid-sweep
    assert sorted(fired) == sorted(case_ids) and set(fired.values()) == {1}  # each fired exactly once
    assert set(evaluations.values()) == {1} and len(evaluations) == CASES  # each case advanced once
    assert timers_left == 0
    steps = {versions_after[case_id] - versions_before[case_id] for case_id in case_ids}
    assert len(steps) == 1 and steps.pop() > 0  # the same single advance for every case
