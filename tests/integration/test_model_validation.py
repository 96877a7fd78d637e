"""Uploading a process model: every sandbox escape and every malformed or hostile file is refused
as a clear Invalid that names the element at fault, and nothing is stored."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from engine import process_models
from engine.errors import Invalid
from engine.runtime import SYSTEM, Runtime
from engine.storage.tables import ModelVersion
from tests.conftest import FIXTURES
from tests.integration import model_texts
from tests.integration.case_rows import row_counts
from tests.unit.sandbox_escapes import STATIC_ESCAPES

EXPRESSION_ESCAPES = [
    source.replace("{marker}", "/tmp/pwned") for mode, source in STATIC_ESCAPES.values() if mode == "eval"
]


def refused(rt: Runtime, actor, text: str, file_name: str = "probe.bpmn") -> Invalid:  # type: ignore[no-untyped-def]
    """Upload as the region's process designer; assert the refusal stored nothing."""
    before = row_counts(rt)
    with pytest.raises(Invalid) as error:
        process_models.add_draft(rt, actor("utrecht", "procesontwerper"), "utrecht", text, file_name)
    assert row_counts(rt) == before
    assert error.value.message
    return error.value


def element_ids(error: Invalid) -> set[str | None]:
    assert isinstance(error.details, list) and error.details
    assert all(problem["message"] for problem in error.details)
    return {problem["element_id"] for problem in error.details}


def test_the_probe_models_are_valid_without_an_escape(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    for text in (
        model_texts.with_script("x = 1"),
        model_texts.with_condition("x == 1"),
        model_texts.with_timer('"P3M"'),
        model_texts.with_user_task(),
    ):
        process_models.add_draft(rt, designer, "utrecht", text, "probe.bpmn")
    process_models.add_draft(rt, designer, "utrecht", model_texts.dmn(), "probe.dmn")


@pytest.mark.parametrize("name", STATIC_ESCAPES)
def test_script_task_with_an_escape_is_refused_naming_the_task(rt: Runtime, actor, name: str) -> None:
    source = STATIC_ESCAPES[name][1].replace("{marker}", "/tmp/pwned")
    error = refused(rt, actor, model_texts.with_script(source))
    assert error.code == "invalid_model"
    assert element_ids(error) == {"probe_script"}


def test_conditions_with_an_escape_are_refused_naming_the_flow(rt: Runtime, actor) -> None:
    for source in EXPRESSION_ESCAPES:
        assert element_ids(refused(rt, actor, model_texts.with_condition(source))) == {"probe_flow"}, source


def test_timer_expressions_with_an_escape_are_refused_naming_the_event(rt: Runtime, actor) -> None:
    for kind in ("timeDuration", "timeDate", "timeCycle"):
        for source in EXPRESSION_ESCAPES:
            error = refused(rt, actor, model_texts.with_timer(source, kind))
            assert element_ids(error) == {"probe_timer"}, (kind, source)


def test_decision_cells_with_an_escape_are_refused_naming_the_cell(rt: Runtime, actor) -> None:
    for source in EXPRESSION_ESCAPES:
        for cell, element_id in (
            ("input_expression", "probe_input"),
            ("input_entry", "probe_in"),
            ("output_entry", "probe_out"),
        ):
            error = refused(rt, actor, model_texts.dmn(**{cell: source}), "probe.dmn")
            assert element_ids(error) == {element_id}, (cell, source)


@pytest.mark.parametrize(
    "characteristics",
    [
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>__import__('os').getpid()"
        "</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>",
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality>"
        "<bpmn:completionCondition>open('/etc/passwd')</bpmn:completionCondition>"
        "</bpmn:multiInstanceLoopCharacteristics>",
        "<bpmn:standardLoopCharacteristics><bpmn:loopCondition>().__class__</bpmn:loopCondition>"
        "</bpmn:standardLoopCharacteristics>",
    ],
    ids=["cardinality", "completion-condition", "loop-condition"],
)
def test_loop_expressions_with_an_escape_are_refused_naming_the_task(
    rt: Runtime, actor, characteristics: str
) -> None:
    text = model_texts.with_user_task().replace(
        'camunda:formKey="test_check"/>', f'camunda:formKey="test_check">{characteristics}</bpmn:userTask>'
    )
    assert element_ids(refused(rt, actor, text)) == {"probe_task"}


def test_malformed_xml_is_refused_with_its_line(rt: Runtime, actor) -> None:
    text = model_texts.with_script("x = 1").replace("</bpmn:process>", "</bpmn:proces>")
    error = refused(rt, actor, text)
    assert error.code == "bad_xml"
    assert "regel" in error.details[0]["message"]


@pytest.mark.parametrize(
    "text",
    ["", "geen xml", "<a>", "<?xml version='1.0'?><html><body/></html>", "\x00\x01\x02", "<" * 1000],
    ids=["empty", "prose", "unclosed", "html", "binary", "angles"],
)
def test_files_that_are_not_bpmn_are_refused(rt: Runtime, actor, text: str) -> None:
    assert refused(rt, actor, text).code in ("bad_xml", "invalid_model")


def test_external_entity_is_never_resolved(rt: Runtime, actor) -> None:
    doctype = '<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    text = model_texts.with_user_task().replace("<bpmn:definitions", doctype + "<bpmn:definitions", 1)
    text = text.replace(
        'name="Doen"/>', 'name="Doen"><bpmn:documentation>&xxe;</bpmn:documentation></bpmn:userTask>'
    )
    text = text.replace(
        'camunda:formKey="test_check" name="Doen">', 'name="Doen" camunda:formKey="test_check">'
    )
    try:
        version = process_models.add_draft(
            rt, actor("utrecht", "procesontwerper"), "utrecht", text, "xxe.bpmn"
        )
    except Invalid:
        return  # refusing the file is fine too
    published = process_models.publish(rt, actor("utrecht", "procesontwerper"), "utrecht", version.id)
    with rt.uow() as uow:
        row = uow.session.get_one(ModelVersion, published.id)
        assert "root:" not in (row.spec_json or "") and "root:" not in row.name


def test_external_entity_in_a_script_leaves_the_script_without_the_file(rt: Runtime, actor) -> None:
    doctype = '<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    text = model_texts.with_script('x = "&xxe;"').replace(
        "<bpmn:definitions", doctype + "<bpmn:definitions", 1
    )
    text = text.replace("&amp;xxe;", "&xxe;")
    error = refused(rt, actor, text)
    assert "root:" not in str(error.details) and "root:" not in error.message


def test_external_parameter_entity_is_never_fetched(rt: Runtime, actor) -> None:
    doctype = '<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
    text = model_texts.with_script("x = 1").replace("<bpmn:definitions", doctype + "<bpmn:definitions", 1)
    try:
        version = process_models.add_draft(rt, actor("utrecht", "procesontwerper"), "utrecht", text, "p.bpmn")
    except Invalid as error:
        assert "root:" not in str(error.details)
        return
    with rt.uow() as uow:
        assert "root:" not in (uow.session.get_one(ModelVersion, version.id).name or "")


def test_entity_expansion_bomb_is_refused_quickly(rt: Runtime, actor) -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    text = model_texts.with_script('x = "&j;"').replace(
        "<bpmn:definitions", f"<!DOCTYPE x [{entities}]>\n<bpmn:definitions", 1
    )
    started = time.process_time()  # CPU time, not wall time: a loaded machine does not inflate it
    refused(rt, actor, text.replace("&amp;j;", "&j;"))
    assert time.process_time() - started < 5


def test_twenty_megabyte_upload_is_refused_as_too_large_before_parsing(rt: Runtime, actor) -> None:
    padding = "<!-- " + "x" * (20 * 1024 * 1024) + " -->"
    text = model_texts.with_script("x = 1").replace("<bpmn:process", padding + "<bpmn:process", 1)
    started = time.process_time()
    error = refused(rt, actor, text)
    assert error.code == "too_large"
    assert time.process_time() - started < 5


def test_lane_that_is_not_a_role_is_refused_naming_the_lane(rt: Runtime, actor) -> None:
    error = refused(rt, actor, model_texts.with_user_task(lane="kok"))
    assert element_ids(error) == {"probe_lane"}
    assert "kok" in error.details[0]["message"]


def test_user_task_outside_any_lane_is_refused(rt: Runtime, actor) -> None:
    assert element_ids(refused(rt, actor, model_texts.with_user_task(in_lane=False))) == {"probe_task"}


@pytest.mark.parametrize("form_key", [None, "bestaat_niet", ""], ids=["missing", "unknown", "empty"])
def test_user_task_without_a_known_form_is_refused(rt: Runtime, actor, form_key: str | None) -> None:
    error = refused(rt, actor, model_texts.with_user_task(form_key=form_key))
    assert element_ids(error) == {"probe_task"}


@pytest.mark.parametrize(
    ("kind", "expression"),
    [
        ("timeDuration", '"P3X"'),
        ("timeDuration", '"3 maanden"'),
        ("timeDuration", '"P"'),
        ("timeDuration", '"P6M" if ernst == "laag" else "P3X"'),
        ("timeDate", '"2026-13-45T00:00:00"'),
        ("timeCycle", '"R/P3X"'),
        ("timeDuration", ""),
    ],
)
def test_bad_timer_expression_is_refused_naming_the_event(
    rt: Runtime, actor, kind: str, expression: str
) -> None:
    assert element_ids(refused(rt, actor, model_texts.with_timer(expression, kind))) == {"probe_timer"}


def test_decision_with_an_unsupported_hit_policy_is_refused(rt: Runtime, actor) -> None:
    text = model_texts.dmn().replace('hitPolicy="UNIQUE"', 'hitPolicy="FIRST"')
    assert element_ids(refused(rt, actor, text, "probe.dmn")) == {"probe_table"}


def test_call_to_an_unknown_process_is_refused(rt: Runtime, actor) -> None:
    script = (
        '<bpmn:scriptTask id="probe_script" name="Rekenen"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>'
    )
    call = '<bpmn:callActivity id="probe_script" calledElement="bestaat_niet"/>'
    text = model_texts.with_script("x = 1").replace(script, call)
    assert call in text
    assert refused(rt, actor, text).code == "invalid_model"


def test_service_task_is_refused(rt: Runtime, actor) -> None:
    text = model_texts.with_script("x = 1").replace("scriptTask", "serviceTask")
    assert "probe_script" in element_ids(refused(rt, actor, text))


def test_region_that_does_not_exist_and_a_designer_of_another_region_store_nothing(
    rt: Runtime, actor
) -> None:
    from engine.errors import Forbidden, NotFound

    before = row_counts(rt)
    with pytest.raises(NotFound):
        process_models.add_draft(
            rt, actor("utrecht", "procesontwerper"), "atlantis", model_texts.with_script("x = 1")
        )
    with pytest.raises(Forbidden):
        process_models.add_draft(
            rt, actor("zeeland", "procesontwerper"), "utrecht", model_texts.with_script("x = 1")
        )
    with pytest.raises(Forbidden):
        process_models.add_draft(
            rt, actor("utrecht", "casusregisseur"), "utrecht", model_texts.with_script("x = 1")
        )
    assert row_counts(rt) == before


def test_every_invalid_fixture_file_names_its_elements(rt: Runtime, actor, tmp_path: Path) -> None:
    """All problems of a file come back at once, each with its element id."""
    timer = (
        '<bpmn:intermediateCatchEvent id="probe_timer"><bpmn:timerEventDefinition><bpmn:timeDuration>"P3X"'
        "</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
    )
    end = '<bpmn:endEvent id="probe_end"/>'
    text = model_texts.with_user_task(lane="kok", form_key="bestaat_niet").replace(end, end + timer)
    assert element_ids(refused(rt, actor, text)) == {"probe_lane", "probe_task", "probe_timer"}
    with rt.uow() as uow:
        assert (
            uow.session.scalars(select(ModelVersion).where(ModelVersion.process_id == "probe_proces")).all()
            == []
        )


def test_a_loop_without_a_wait_state_is_refused_with_an_element_on_the_loop(rt: Runtime) -> None:
    text = (FIXTURES / "workflows" / "regions" / "utrecht" / "test_flow.bpmn").read_text(encoding="utf-8")
    # Send the script task straight back to the merge gateway before the evaluation timer.
    looping = text.replace('sourceRef="merge" targetRef="wacht"', 'sourceRef="merge" targetRef="tel"')
    with pytest.raises(Invalid) as refused:
        process_models.add_draft(rt, SYSTEM, "utrecht", looping, "test_flow.bpmn")
    problems = refused.value.details
    assert any(p["message"].startswith("lus zonder wachtmoment") for p in problems), problems
    on_loop = {p["element_id"] for p in problems if p["message"].startswith("lus")}
    assert on_loop and on_loop <= {"merge", "tel", "gw_door"}
