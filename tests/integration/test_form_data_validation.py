"""Form data that does not fit the form (unknown fields, wrong types, bad dates, options not in the
list, not an object at all) is refused as Invalid with the problem per field, and changes nothing:
no case, task, event or version counter moves."""

from __future__ import annotations

import math
from typing import Any

import pytest

from engine import cases, tasks
from engine.errors import Invalid
from engine.runtime import Runtime
from tests.factories import TEST_PROCESS, open_tasks, start_test_case
from tests.integration.case_rows import case_row, row_counts

GOOD_START = {"gezinsnaam": "Familie Jansen", "structureel": True, "ernst": "hoog"}


def refused_start(rt: Runtime, actor, data: Any) -> Invalid:  # type: ignore[no-untyped-def]
    before = row_counts(rt)
    with pytest.raises(Invalid) as error:
        cases.start_case(rt, actor("utrecht", "aanmelder"), "utrecht", data, process_id=TEST_PROCESS)
    assert row_counts(rt) == before
    assert error.value.code == "invalid_form"
    return error.value


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"onbekend": 1}, "onbekend"),
        ({"__class__": "x"}, "__class__"),
        ({"aantal_kinderen": "2"}, "aantal_kinderen"),
        ({"aantal_kinderen": True}, "aantal_kinderen"),
        ({"aantal_kinderen": math.nan}, "aantal_kinderen"),
        ({"aantal_kinderen": math.inf}, "aantal_kinderen"),
        ({"aantal_kinderen": [2]}, "aantal_kinderen"),
        ({"structureel": 1}, "structureel"),
        ({"structureel": "ja"}, "structureel"),
        ({"structureel": None}, "structureel"),
        ({"meldingsdatum": "2026-13-45"}, "meldingsdatum"),
        ({"meldingsdatum": "gisteren"}, "meldingsdatum"),
        ({"meldingsdatum": 20260102}, "meldingsdatum"),
        ({"ernst": "extreem"}, "ernst"),
        ({"ernst": ["hoog"]}, "ernst"),
        ({"gezinsnaam": ""}, "gezinsnaam"),
        ({"gezinsnaam": 42}, "gezinsnaam"),
        ({"gezinsnaam": "x" * 100_001}, "gezinsnaam"),
        ({"gezinsnaam": {"$ne": 1}}, "gezinsnaam"),
    ],
)
def test_start_form_refuses_a_bad_field_and_names_it(
    rt: Runtime, actor, changes: dict[str, Any], field: str
) -> None:
    error = refused_start(rt, actor, GOOD_START | changes)
    assert field in error.details and error.details[field]


def test_start_form_refuses_missing_required_fields_all_at_once(rt: Runtime, actor) -> None:
    error = refused_start(rt, actor, {})
    assert {"gezinsnaam", "structureel", "ernst"} <= set(error.details)


@pytest.mark.parametrize("data", [None, [], ["gezinsnaam"], "gezinsnaam", 5, True], ids=repr)
def test_start_form_refuses_data_that_is_not_an_object(rt: Runtime, actor, data: Any) -> None:
    refused_start(rt, actor, data)


@pytest.mark.parametrize(
    "data",
    [
        {"doelen": "Veiligheid", "onbekend": 1},
        {"doelen": 5},
        {"doelen": ""},
        {},
        [],
        "Veiligheid",
        None,
    ],
    ids=repr,
)
def test_task_completion_with_bad_data_changes_nothing(rt: Runtime, actor, data: Any) -> None:
    case = start_test_case(rt)
    for spec_id in ("triage", "analyse", "check_a", "check_b"):
        task = next(t for t in open_tasks(rt, case.id) if t.spec_id == spec_id)
        tasks.complete(rt, actor("utrecht", task.role), task.id, rt.forms[task.form_key].examples("utrecht"))
    (plan,) = open_tasks(rt, case.id)
    before, version = row_counts(rt), case_row(rt, case.id).version

    with pytest.raises(Invalid) as error:
        tasks.complete(rt, actor("utrecht", "casusregisseur"), plan.id, data)

    assert error.value.code == "invalid_form" and error.value.details
    assert row_counts(rt) == before and case_row(rt, case.id).version == version
    assert [t.spec_id for t in open_tasks(rt, case.id)] == ["plan"]


def test_completion_naming_an_unknown_person_appoints_nobody(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    tasks.complete(rt, actor("utrecht", "veilig_thuis"), triage.id, {"structureel": True})
    (analyse,) = open_tasks(rt, case.id)
    before = row_counts(rt)
    for username in ("niemand", "haaglanden.casusregisseur", "utrecht.teamlid"):
        with pytest.raises(Invalid) as error:
            tasks.complete(rt, actor("utrecht", "procesregisseur"), analyse.id, {"casusregisseur": username})
        assert "casusregisseur" in error.value.details
    assert row_counts(rt) == before


def test_unknown_task_ids_are_not_found_not_errors(rt: Runtime, actor) -> None:
    from engine.errors import NotFound

    for task_id in ("", "x" * 37, "00000000-0000-0000-0000-000000000000", "'; DROP TABLE tasks; --"):
        with pytest.raises(NotFound):
            tasks.complete(rt, actor("utrecht", "veilig_thuis"), task_id, {})
        with pytest.raises(NotFound):
            tasks.get_task(rt, actor("utrecht", "veilig_thuis"), task_id)
