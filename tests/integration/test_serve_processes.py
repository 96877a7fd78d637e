"""`mda serve --processes 2` on PostgreSQL (issue 13): every worker process runs the timer sweep's
schedule, and timers still fire exactly once; the server answers the API meanwhile and stops on
SIGTERM well within its graceful stop."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from config.settings import PROJECT_ROOT
from engine import accounts
from engine.runtime import Runtime
from engine.storage import tables
from tests.conftest import TEST_MODELS
from tests.factories import waiting_cases
from tests.processes import MDA, needs_postgresql, stop_workers
from web.cli import GRACEFUL_STOP_SECONDS

CASES = 200
SEEDS = 4
DEADLINE_SECONDS = 300  # a guard against a hang, not a speed limit: the machine may be busy

pytestmark = [
    pytest.mark.slow,
    needs_postgresql,
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(rt: Runtime, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        DATABASE_URL=rt.settings.database_url,
        MDA_CLOCK="simulated",
        MDA_SWEEP_SECONDS="0.2",
        MDA_WORKFLOWS_DIR=str(TEST_MODELS[0]),
        MDA_FORMS_DIR=str(TEST_MODELS[1]),
    )
    args = [str(MDA), "serve", "--port", str(port), "--processes", "2"]
    with log.open("wb") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)


def fired_count(rt: Runtime) -> int:
    with rt.uow() as uow:
        return uow.session.scalar(select(func.count()).where(tables.Event.kind == "timer_fired")) or 0


def test_two_postgresql_serving_processes_fire_every_timer_exactly_once_and_stop_gracefully(
    pg_rt: Runtime, tmp_path: Path
) -> None:
    rt = pg_rt
    case_ids = waiting_cases(rt, SEEDS, CASES)
    token = accounts.create_token(rt, "utrecht.coordinator")
    rt.clock.advance("P3M")

    port = free_port()
    server = serve(rt, port, tmp_path / "serve.log")
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        while fired_count(rt) < CASES and time.monotonic() < deadline:  # polling for progress
            time.sleep(0.2)
        assert fired_count(rt) == CASES, f"only {fired_count(rt)} of {CASES} fired; see {tmp_path}"
        answer = requests.get(
            f"http://127.0.0.1:{port}/api/v1/cases?limit=5",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 200 and answer.json()["items"]
        stopping = time.monotonic()
        server.terminate()
        server.wait(timeout=GRACEFUL_STOP_SECONDS + 20)
        assert time.monotonic() - stopping < GRACEFUL_STOP_SECONDS + 20
    finally:
        stop_workers([server])

    with rt.uow() as uow:
        fired = dict(
            uow.session.execute(
                select(tables.Event.case_id, func.count())
                .where(tables.Event.kind == "timer_fired")
                .group_by(tables.Event.case_id)
            ).all()
        )
        timers_left = uow.session.scalar(select(func.count()).select_from(tables.Timer))
    assert sorted(fired) == sorted(case_ids) and set(fired.values()) == {1}  # each fired exactly once
    assert timers_left == 0
    log = (tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "timer sweep failed" not in log, log[-3000:]
