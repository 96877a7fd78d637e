"""Exactly once: three `mda worker` processes run the escalation sweep on one PostgreSQL database
and mail through one local SMTP server; one worker is killed (SIGKILL) while it holds a claimed
row. Every escalation is opened once, every ladder step happens once, every e-mail arrives once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from engine.monitoring import notifications
from engine.runtime import Runtime
from engine.storage import tables
from tests.conftest import TEST_MODELS
from tests.factories import complete_open, start_test_case
from tests.integration.test_timer_workers import PROJECT_ROOT, wait_until, worker_in_transaction
from tests.monitoring.conftest import Inbox
from tests.processes import MDA, needs_postgresql, stop_workers

CASES = 60
STEPS = 3
WORKERS = 3
DEADLINE_SECONDS = 600  # a guard against a hang, not a speed limit: the machine may be busy

pytestmark = [
    pytest.mark.slow,
    needs_postgresql,
]


def start_worker(rt: Runtime, name: str, smtp_port: int, log: Path) -> subprocess.Popen[bytes]:
    url = make_url(rt.settings.database_url).update_query_dict({"application_name": name})
    env = dict(
        os.environ,
        DATABASE_URL=url.render_as_string(hide_password=False),
        MDA_CLOCK="simulated",
        MDA_SWEEP_SECONDS="0.2",
        MDA_ESCALATION_SECONDS="0.2",
        MDA_WORKFLOWS_DIR=str(TEST_MODELS[0]),
        MDA_FORMS_DIR=str(TEST_MODELS[1]),
        MDA_SMTP_HOST="127.0.0.1",
        MDA_SMTP_PORT=str(smtp_port),
    )
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(MDA), "worker"], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT
        )


def count(rt: Runtime, query) -> int:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return uow.session.scalar(query) or 0


STEP_EVENTS = select(func.count()).where(tables.Event.kind == "escalation_step")
PENDING_MAIL = select(func.count()).where(tables.Notification.mail_status == "pending")


def test_every_step_and_every_mail_happens_once_across_three_workers_when_one_is_killed(
    pg_rt: Runtime, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    rt, (inbox, port) = pg_rt, smtp
    for role in ("procesregisseur", "coordinator"):
        notifications.set_email(rt, f"utrecht.{role}", f"{role}@mda.test")
    for _ in range(CASES):
        case = start_test_case(rt)
        complete_open(rt, case.id, "triage")  # then idle in the procesregisseur's pool
    rt.clock.advance("P40D")  # stuck since day 30: all three steps of every case are due

    deadline = time.monotonic() + DEADLINE_SECONDS
    names = [f"mda-escalator-{n}" for n in range(WORKERS)]
    workers = [start_worker(rt, name, port, tmp_path / f"{name}.log") for name in names]
    try:
        assert wait_until(lambda: count(rt, STEP_EVENTS) > 0, deadline), f"no step taken; logs in {tmp_path}"
        assert wait_until(lambda: worker_in_transaction(rt, names[0]), deadline, interval=0.001)
        workers[0].send_signal(signal.SIGKILL)
        steps_at_kill = count(rt, STEP_EVENTS)
        workers[0].wait(timeout=30)
        done = lambda: count(rt, STEP_EVENTS) >= CASES * STEPS and count(rt, PENDING_MAIL) == 0  # noqa: E731
        assert wait_until(done, deadline, interval=0.2), f"unfinished; logs in {tmp_path}"
        # The survivors sweep on (every 0.2 s) for a while: nothing may happen twice meanwhile.
        wait_until(lambda: False, time.monotonic() + 1.0, interval=0.2)
        for worker in workers[1:]:
            assert worker.poll() is None, f"{worker.args} died; see {tmp_path}"
    finally:
        stop_workers(workers)

    with rt.uow() as uow:
        session = uow.session
        steps = Counter(
            (event.case_id, event.data["level"])
            for event in session.scalars(select(tables.Event).where(tables.Event.kind == "escalation_step"))
        )
        opened = Counter(
            session.scalars(select(tables.Event.case_id).where(tables.Event.kind == "case_stuck"))
        )
        escalations = session.scalar(select(func.count()).select_from(tables.Escalation))
        mailed = session.scalars(
            select(tables.Notification.id).where(tables.Notification.mail_status == "sent")
        ).all()
        notices = session.scalar(select(func.count()).select_from(tables.Notification))
    print(f"\n{CASES} stuck cases, {WORKERS} workers, one killed after {steps_at_kill} steps: "
          f"{sum(steps.values())} steps, {len(inbox.messages)} mails")  # fmt: skip
    assert workers[0].returncode == -signal.SIGKILL
    assert 0 < steps_at_kill < CASES * STEPS  # killed mid-sweep
    assert escalations == CASES and set(opened.values()) == {1} and len(opened) == CASES
    assert len(steps) == CASES * STEPS and set(steps.values()) == {1}  # every step exactly once
    assert notices == CASES * STEPS and len(mailed) == notices  # proc, proc, coordinator per case
    message_ids = Counter(m["Message-ID"] for m in inbox.messages)
    assert set(message_ids.values()) == {1}  # no mail twice
    assert sorted(message_ids) == sorted(f"<notification-{n}@mda-flow>" for n in mailed)  # every mail once
    for name in names[1:]:
        log = (tmp_path / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in log, log[-3000:]
