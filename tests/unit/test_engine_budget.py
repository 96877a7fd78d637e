"""The budget of one engine operation (config.settings.Limits): steps first, then the tasks it
adds, the size of the state, and wall time only as a backstop; each stops the operation with an
EngineBudgetExceeded naming the element where it stopped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from config.settings import Limits, from_env
from engine.spiff.budget import EngineBudgetExceeded
from engine.workflow import CaseWorkflow, SourceFile, freeze_spec, make_parser
from tests.integration import hostile_models

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def frozen(text: str) -> str:
    return freeze_spec(make_parser([SourceFile("probe.bpmn", "bpmn", text)]), "probe_proces")


def stopped(text: str, limits: Limits) -> EngineBudgetExceeded:
    with pytest.raises(EngineBudgetExceeded) as error:
        CaseWorkflow.start(frozen(text), {}, START, limits).dump()
    assert error.value.code == "engine_budget_exceeded"
    return error.value


def test_the_step_budget_stops_an_operation_at_the_element_it_reached() -> None:
    error = stopped(hostile_models.step_hog(), Limits(max_engine_steps=50))
    [problem] = error.details
    assert problem["message"] == "meer dan 50 stappen in één keer"
    assert problem["element_id"].startswith("probe_")


def test_steps_are_counted_per_operation_so_a_model_within_budget_runs() -> None:
    inner = hostile_models.script_chain_inner(5)
    case = CaseWorkflow.start(frozen(hostile_models.multi_instance("3", inner=inner)), {}, START, Limits())
    assert case.is_completed


def test_new_tasks_are_bounded_as_the_memory_of_one_operation() -> None:
    error = stopped(hostile_models.step_hog(), Limits(max_new_tasks=30))
    assert "nieuwe taken" in error.details[0]["message"]


def test_multi_instance_cardinality_from_case_data_is_bounded() -> None:
    error = stopped(hostile_models.multi_instance("aantal", before="aantal = 101"), Limits(max_instances=100))
    assert error.details == [
        {"element_id": "probe_mi", "message": "multi-instance met 101 instanties (meer dan 100)"}
    ]


def test_the_wall_time_backstop_stops_what_steps_did_not() -> None:
    error = stopped(hostile_models.step_hog(), Limits(max_engine_seconds=0.0))
    assert "langer dan 0 s" in error.details[0]["message"]


def test_a_state_past_its_size_limit_is_not_stored() -> None:
    with pytest.raises(EngineBudgetExceeded):
        CaseWorkflow.start(
            frozen(hostile_models.with_script("x = 1")), {}, START, Limits(max_state_bytes=100)
        ).dump()


def test_the_budget_is_configured_in_settings_from_the_environment() -> None:
    settings = from_env({"MDA_ENGINE_MAX_STEPS": "123", "MDA_ENGINE_MAX_SECONDS": "2.5"})
    assert (settings.limits.max_engine_steps, settings.limits.max_engine_seconds) == (123, 2.5)
    assert from_env({}).limits == Limits()
    with pytest.raises(ValueError):
        from_env({"MDA_ENGINE_MAX_STEPS": "veel"})
