"""Logs say what happened to cases: the scheduler's routine "Running job ..." lines are DEBUG, a
sweep that advances a case says which case and what it waits on now, and a case a budget stopped
is named with the reason (no traceback)."""

from __future__ import annotations

import logging

import pytest

from engine import timers
from engine.cli import quiet_scheduler_logs
from engine.runtime import Runtime
from tests.factories import start_test_case, walk_to_monitoring


def test_the_schedulers_routine_job_lines_are_debug_not_info(caplog: pytest.LogCaptureFixture) -> None:
    quiet_scheduler_logs()
    executor = logging.getLogger("apscheduler.executors.default")
    with caplog.at_level(logging.INFO):
        executor.info('Running job "%s" (scheduled at %s)', "run_due", "2026-01-05 09:00:00")
        executor.info('Job "%s" executed successfully', "run_due")
        executor.warning("Run time of job %s was missed", "run_due")
    assert [r.getMessage() for r in caplog.records] == ["Run time of job run_due was missed"]
    with caplog.at_level(logging.DEBUG, logger="apscheduler.executors.default"):
        executor.info('Running job "%s"', "run_due")
    assert caplog.records[-1].levelname == "DEBUG"


def test_a_sweep_logs_the_cases_it_advanced_and_nothing_when_nothing_happened(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    with caplog.at_level(logging.INFO, logger="engine.timers"):
        timers.run_due(rt)
    assert caplog.records == []
    rt.clock.advance("P3M")
    with caplog.at_level(logging.INFO, logger="engine.timers"):
        timers.run_due(rt)
    [line] = [r.getMessage() for r in caplog.records]
    assert line.startswith(f"timer sweep: case {case.id} advanced; open tasks now: ")
