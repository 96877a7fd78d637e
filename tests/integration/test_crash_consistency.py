"""A process completing a task is killed (SIGKILL) at the worst moments of its transaction. The case
is then either fully before the completion (task open, no event, version unchanged) or fully after
it, never in between; and it can be worked on afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass

import pytest

from config.settings import PROJECT_ROOT
from engine import tasks
from engine.runtime import Runtime
from tests.factories import open_tasks, start_test_case
from tests.integration.case_rows import case_row, events_of, tasks_of, timers_of

TRIAGE = {"structureel": True, "toelichting": "Melding politie"}


@dataclass(frozen=True)
class CaseState:
    triage_status: str
    completed_events: int
    version: int
    open_tasks: tuple[str, ...]
    timers: int
    task_rows: int


def state_of(rt: Runtime, case_id: int) -> CaseState:
    return CaseState(
        triage_status=tasks_of(rt, case_id, "triage")[0].status,
        completed_events=len(events_of(rt, case_id, "task_completed")),
        version=case_row(rt, case_id).version,
        open_tasks=tuple(sorted(t.spec_id for t in open_tasks(rt, case_id))),
        timers=len(timers_of(rt, case_id)),
        task_rows=len(tasks_of(rt, case_id)),
    )


def expected_after(rt: Runtime, actor) -> CaseState:  # type: ignore[no-untyped-def]
    """The state an uncontested, uninterrupted triage completion leaves behind."""
    reference = start_test_case(rt)
    tasks.complete(rt, actor("utrecht", "veilig_thuis"), open_tasks(rt, reference.id)[0].id, TRIAGE)
    return state_of(rt, reference.id)


def complete_in_doomed_process(url: str, task_id: str, moment: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CRASH_DATA=json.dumps(TRIAGE), PYTHONPATH=str(PROJECT_ROOT))
    command = [
        sys.executable,
        "-m",
        "tests.integration.crash_completion",
        url,
        task_id,
        "utrecht.veilig_thuis",
    ]
    return subprocess.run(
        [*command, moment], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("moment", "outcome"),
    [
        ("first_flush", "before"),
        ("case_flush", "before"),
        ("before_commit", "before"),
        ("after_commit", "after"),
    ],
)
def test_completion_killed_mid_transaction_leaves_the_case_before_or_after_never_between(
    rt: Runtime, actor, moment: str, outcome: str
) -> None:
    after = expected_after(rt, actor)
    case = start_test_case(rt)
    before = state_of(rt, case.id)
    (triage,) = open_tasks(rt, case.id)

    process = complete_in_doomed_process(rt.settings.database_url, triage.id, moment)

    assert process.returncode == -signal.SIGKILL, process.stderr[-2000:]
    found = state_of(rt, case.id)
    assert found in (before, after)  # never in between
    assert found == (before if outcome == "before" else after)
    if found == before:  # the case is not wedged: the completion can simply be done again
        tasks.complete(rt, actor("utrecht", "veilig_thuis"), triage.id, TRIAGE)
        assert state_of(rt, case.id) == after
