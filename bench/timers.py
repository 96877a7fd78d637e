"""Timers: 10,000 due timers swept by one worker and by three (with the exactly-once check), and
the latency of a timer on the system clock under the production scheduler (`mda worker`).

The 10,000 waiting cases are ten cases walked to their evaluation timer through the engine and
copies of them made by bulk SQL (bench/bulk.py: state, team, tasks, timers, history copied, every
SpiffWorkflow task id renewed)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench import models
from bench.stats import SCALE, p50, p95
from config.settings import PROJECT_ROOT
from engine import cases, timers
from engine.accounts import actor_by_username
from engine.runtime import Runtime
from engine.storage.tables import Event, Task, Timer
from tests.factories import waiting_cases

SWEEP_CASES = int(10_000 * SCALE)
SEEDS = 10
WORKERS = 3
MDA = PROJECT_ROOT / ".venv" / "bin" / "mda"


def sweep_one_worker(rt: Runtime, suffix: str) -> dict[str, Any]:
    waiting_cases(rt, SEEDS, SWEEP_CASES)
    rt.clock.advance("P3M")  # type: ignore[attr-defined]
    started = time.perf_counter()
    result = timers.run_due(rt)
    elapsed = time.perf_counter() - started
    return {
        f"timer_sweep_10k_s{suffix}": round(elapsed, 1),
        f"timer_sweep_10k_advanced{suffix}": result.cases_advanced,
    }


def sweep_three_workers(rt: Runtime, suffix: str, env: dict[str, str]) -> dict[str, Any]:
    """Three worker processes sweep the same 10,000 due timers at once; then every timer must
    have fired exactly once and every case advanced exactly once."""
    ids = waiting_cases(rt, SEEDS, SWEEP_CASES)
    rt.clock.advance("P3M")  # type: ignore[attr-defined]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.sweep_worker"],
            env=env,
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(WORKERS)
    ]
    for worker in workers:  # each has imported everything and waits for the word
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [worker.communicate(timeout=900)[0] for worker in workers]
    elapsed = time.perf_counter() - started
    with rt.uow() as uow:
        session = uow.session
        fired = dict(
            session.execute(
                select(Event.case_id, func.count())
                .where(Event.kind == "timer_fired", Event.case_id.in_(ids))
                .group_by(Event.case_id)
            ).all()
        )
        evaluations = dict(
            session.execute(
                select(Task.case_id, func.count())
                .where(Task.spec_id == "evaluatie", Task.case_id.in_(ids))
                .group_by(Task.case_id)
            ).all()
        )
        timers_left = session.scalar(
            select(func.count()).where(Timer.case_id.in_(ids), Timer.due_at <= rt.clock.now())
        )
    exactly_once = (
        sorted(fired) == sorted(ids)
        and set(fired.values()) == {1}
        and sorted(evaluations) == sorted(ids)
        and set(evaluations.values()) == {1}
        and timers_left == 0
    )
    return {
        f"timer_sweep_10k_s_{WORKERS}workers{suffix}": round(elapsed, 1),
        f"timer_sweep_{WORKERS}workers_advanced{suffix}": [out.strip() for out in outputs],
        f"timers_fired_exactly_once{suffix}": exactly_once,
    }


LATENCY_CASES = 20


def latency(rt: Runtime, env: dict[str, str], log: Path) -> dict[str, Any]:
    """On the system clock: cases started a bit apart each wait TIMER_SECONDS; the time from a
    timer's due moment until its follow-up task is visible in the database (polled every 20 ms)."""
    models.publish(rt, models.timer_bpmn(), "bench_timer.bpmn")
    starter = actor_by_username(rt, f"{models.REGION}.veilig_thuis")
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [str(MDA), "worker"], env=env | {"MDA_CLOCK": "system"}, cwd=PROJECT_ROOT,
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        time.sleep(3)  # the worker starts (imports, first sweep); wall-clock bench, not a test
        due: dict[int, float] = {}
        seen: dict[int, float] = {}
        next_start = time.time()
        deadline = time.time() + LATENCY_CASES * 0.45 + 30
        while time.time() < deadline and len(seen) < LATENCY_CASES:
            if len(due) < LATENCY_CASES and time.time() >= next_start:
                case = cases.start_case(rt, starter, models.REGION, {}, process_id=models.TIMER_PROCESS)
                with rt.uow() as uow:
                    moment = uow.session.scalar(select(Timer.due_at).where(Timer.case_id == case.id))
                assert moment is not None
                due[case.id] = moment.timestamp()
                next_start = time.time() + 0.45
            with rt.uow() as uow:
                done = uow.session.scalars(
                    select(Task.case_id).where(Task.spec_id == "na_wachten", Task.case_id.in_(list(due)))
                ).all()
            now = time.time()
            for case_id in done:
                seen.setdefault(case_id, now)
            time.sleep(0.02)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    delays = [seen[c] - due[c] for c in seen]
    return {
        "timer_latency_p50_s": round(p50(delays), 2) if delays else None,
        "timer_latency_p95_s": round(p95(delays), 2) if delays else None,
        "timer_latency_fired": f"{len(seen)}/{LATENCY_CASES}",
    }


def worker_env(url: str, models_dir: tuple[Path, Path], clock: str = "simulated") -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=url,
        MDA_CLOCK=clock,
        MDA_WORKFLOWS_DIR=str(models_dir[0]),
        MDA_FORMS_DIR=str(models_dir[1]),
    )
