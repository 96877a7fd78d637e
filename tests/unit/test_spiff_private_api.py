"""The SpiffWorkflow internals the engine relies on (engine/spiff/private_api.py) are still there
and still behave as read: an upgrade that changes them fails here, loudly, not in a silent timer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from SpiffWorkflow.task import Task

from engine.spiff import private_api
from engine.spiff.clock_hook import use_clock
from engine.workflow import CaseWorkflow, SourceFile, freeze_spec, make_parser
from tests.integration.model_texts import with_timer

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_the_private_api_is_as_it_was_read() -> None:
    assert private_api.verify() == []


def test_internal_data_is_read_and_written_through_one_door() -> None:
    task = Task.__new__(Task)
    task.internal_data = {}
    assert private_api.internal(task, "event_value", update={"next": "x"}) == {"next": "x"}
    assert task.internal_data == {"event_value": {"next": "x"}}


def test_spiff_timers_read_now_from_the_project_clock() -> None:
    spec = freeze_spec(make_parser([SourceFile("t.bpmn", "bpmn", with_timer('"P3D"'))]), "probe_proces")
    case = CaseWorkflow.start(spec, {}, START)
    [timer] = case.timers()
    assert timer.due_at == START + timedelta(days=3)  # computed from the simulated now, not the wall clock
    case.run_engine(START + timedelta(days=3))
    assert case.is_completed
    with use_clock(START):
        from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer

        assert spiff_timer.datetime.now(UTC) == START
