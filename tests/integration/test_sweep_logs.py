"""Logs say what happened to cases: the scheduler's routine "Running job ..." lines are DEBUG, a
sweep that advances a case says which case and what it waits on now, and a case a budget stopped
is named with the reason (no traceback)."""

from __future__ import annotations

import logging

import pytest

from engine import cases, process_models, timers
from engine.cli import quiet_scheduler_logs
from engine.runtime import SYSTEM, Runtime
from tests.factories import start_test_case, walk_to_monitoring
from tests.integration import hostile_models
from tests.integration.case_rows import row_counts


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


def test_a_case_the_budget_stops_in_the_sweep_is_rolled_back_and_named_in_the_log(
    rt: Runtime,
    actor,
    caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
) -> None:
    draft = process_models.add_draft(rt, SYSTEM, "utrecht", hostile_models.waits_then_multiplies(100_000))
    process_models.publish(rt, SYSTEM, "utrecht", draft.id)
    case = cases.start_case(rt, actor("utrecht", "aanmelder"), "utrecht", {}, process_id="probe_proces")
    before = row_counts(rt)
    rt.clock.advance("P2D")
    with caplog.at_level(logging.INFO, logger="engine.timers"):
        result = timers.run_due(rt)
    assert result.errors == [case.id] and result.cases_advanced == 0
    assert row_counts(rt) == before  # nothing of the stopped operation was stored
    [record] = caplog.records
    assert record.levelname == "WARNING" and record.exc_info is None
    assert record.getMessage().startswith(
        f"timer sweep: case {case.id} stopped and rolled back: engine_budget_exceeded"
    )
