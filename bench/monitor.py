"""The coordinator dashboard's figures over 10,000 cases of one region (monitor_metrics_ms_10k).
The cases are written as derived rows in bulk (case, open task or timer, phase periods, closure
task): the dashboard reads only those rows, never a workflow, so that is what it costs."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, text

from bench.scenarios import Timer
from engine.monitoring.metrics import compute_metrics
from engine.runtime import Runtime
from engine.storage.tables import Case, ModelVersion, PhasePeriod, Task
from engine.storage.tables import Timer as TimerRow

CASES = 10_000
REGION = "utrecht"
PHASES = ("triage", "analyse", "plan", "monitoring")
WAITS = {"triage": "triage", "analyse": "analyse", "plan": "plan", "monitoring": "evaluatie"}


def metrics_10k(rt: Runtime, median_ms: Timer) -> dict[str, Any]:
    rng = random.Random(10_000)
    now = rt.clock.now()
    with rt.uow() as uow:
        version = uow.session.scalar(
            select(ModelVersion.id).where(
                ModelVersion.region == REGION, ModelVersion.process_id == "test_flow"
            )
        )
        first_id = (uow.session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0) + 1
    cases, tasks, timers, periods = [], [], [], []
    for n in range(CASES):
        case_id = first_id + n
        created = now - timedelta(days=rng.uniform(0, 3 * 365))
        depth = rng.randrange(1, len(PHASES) + 2)  # how many phases the case went through; one more: closed
        closed = depth > len(PHASES)
        moment = created
        reached = PHASES[:depth]
        for phase in reached:
            ended = moment + timedelta(days=rng.uniform(1, 60))
            is_over = closed or phase != reached[-1]
            periods.append({"case_id": case_id, "region": REGION, "phase": phase, "started_at": moment,
                            "ended_at": ended if is_over else None})  # fmt: skip
            moment = ended
        phase = reached[-1]
        cases.append({"id": case_id, "region": REGION, "process_id": "test_flow", "model_version_id": version,
                      "title": f"Bench {n}", "status": "closed" if closed else "open",
                      "phase": "afsluiting" if closed else phase, "created_at": created,
                      "last_activity_at": min(moment, now), "closed_at": moment if closed else None,
                      "waiting_messages": [], "state": "{}", "version": 1})  # fmt: skip
        task = {"id": str(uuid.uuid4()), "case_id": case_id, "region": REGION, "spec_id": WAITS[phase],
                "name": WAITS[phase], "role": "casusregisseur", "form_key": "test_evaluatie", "phase": phase,
                "status": "completed" if closed else "open", "created_at": min(moment, now),
                "due_at": moment + timedelta(days=5) if phase == "plan" else None,
                "completed_at": moment if closed else None,
                "data": {"besluit": "afschalen"} if closed else {}}  # fmt: skip
        tasks.append(task)
        if phase == "monitoring" and not closed:
            due_at = now + timedelta(days=rng.uniform(0, 90))
            timers.append({"id": str(uuid.uuid4()), "case_id": case_id, "spec_id": "wacht", "name": "wacht",
                           "due_at": due_at, "created_at": now})  # fmt: skip
    with rt.db.begin() as connection:
        for table, rows in ((Case, cases), (Task, tasks), (TimerRow, timers), (PhasePeriod, periods)):
            connection.execute(insert(table), rows)
    if rt.db.dialect.name == "postgresql":  # planner statistics, as autovacuum keeps them in production
        with rt.db.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))

    def figures() -> None:
        with rt.uow() as uow:
            compute_metrics(rt, uow.session, REGION, now, "test_flow")

    return {"cases": CASES, "monitor_metrics_ms_10k": median_ms(figures, 5)}
