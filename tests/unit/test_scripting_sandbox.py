"""The restricted script engine against the well-known Python sandbox escapes. Each escape is
refused by the static check (so a model carrying it never validates) and cannot run when handed to
the engine directly; SpiffWorkflow's default engine, by contrast, runs such a script."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.camunda.parser import CamundaParser

from engine.errors import Invalid
from engine.scripting import RestrictedEnvironment, ScriptLimitExceeded, ScriptRejected, check
from engine.workflow import CaseWorkflow, SourceFile, freeze_spec, make_parser
from tests.integration.model_texts import with_script
from tests.unit.sandbox_escapes import RUNTIME_ESCAPES, STATIC_ESCAPES

REFUSED = (ScriptRejected, ScriptLimitExceeded)


def render(source: str, tmp_path: Path) -> tuple[str, Path]:
    marker = tmp_path / "pwned"
    return source.replace("{marker}", str(marker)), marker


def run(mode: str, source: str) -> object:
    data = {"x": 1, "n": 10**9, "m": 10_000}
    environment = RestrictedEnvironment()
    return environment.evaluate(source, data) if mode == "eval" else environment.execute(source, data)


@pytest.mark.parametrize("name", STATIC_ESCAPES)
def test_escape_is_refused_by_the_static_check(name: str) -> None:
    mode, source = STATIC_ESCAPES[name]
    assert check(source.replace("{marker}", "/tmp/x"), mode) != []


@pytest.mark.parametrize("name", [*STATIC_ESCAPES, *RUNTIME_ESCAPES])
def test_escape_cannot_run_in_the_restricted_environment(name: str, tmp_path: Path) -> None:
    mode, source = (STATIC_ESCAPES | RUNTIME_ESCAPES)[name]
    source, marker = render(source, tmp_path)
    started = time.thread_time()  # CPU time of this thread: a loaded machine does not inflate it
    with pytest.raises(REFUSED):
        run(mode, source)
    assert time.thread_time() - started < 5  # stopped by the meter's budget, not run to the end
    assert not marker.exists()


@pytest.mark.parametrize("name", RUNTIME_ESCAPES)
def test_runtime_escape_passes_the_static_check_so_the_meter_must_stop_it(name: str) -> None:
    mode, source = RUNTIME_ESCAPES[name]
    assert check(source, mode) == []


def test_spiff_default_script_engine_would_run_what_ours_refuses(tmp_path: Path) -> None:
    script, marker = render("__import__('pathlib').Path(r'{marker}').write_text('x')", tmp_path)

    PythonScriptEngine().environment.execute(script, {}, {})
    assert marker.exists()  # the threat is real
    marker.unlink()

    with pytest.raises(ScriptRejected):
        RestrictedEnvironment().execute(script, {}, {})
    assert not marker.exists()


def test_a_model_with_a_malicious_script_task_runs_under_spiff_defaults_but_not_through_our_door(
    tmp_path: Path,
) -> None:
    script, marker = render("__import__('pathlib').Path(r'{marker}').write_text('x')", tmp_path)
    text = with_script(script)
    parser = CamundaParser()
    parser.add_bpmn_xml(etree.fromstring(text.encode()), filename="boos.bpmn")
    spiff_default = BpmnWorkflow(parser.get_spec("probe_proces"))
    spiff_default.do_engine_steps()
    assert marker.exists() and spiff_default.is_completed()
    marker.unlink()

    # Our door runs every model through the restricted engine, even one that skipped validation.
    spec = freeze_spec(make_parser([SourceFile("boos.bpmn", "bpmn", text)]), "probe_proces")
    with pytest.raises(Invalid) as refused:
        CaseWorkflow.start(spec, {}, datetime(2026, 1, 5, tzinfo=UTC))
    assert refused.value.details[0]["element_id"] == "probe_script"
    assert not marker.exists()


@pytest.mark.parametrize(
    ("mode", "source", "expected"),
    [
        ("eval", "'P6M' if ernst == 'laag' else 'P3M'", "P6M"),
        ("eval", "3 * 2000000", 6_000_000),
        ("eval", "bedrag * 2000000", 3_000_000.0),
        ("eval", "2 ** 100", 2**100),
        ("eval", "len([p for p in partijen if p != 'ggz'])", 1),
        ("eval", "f'{ernst}-{len(partijen)}'", "laag-2"),
        ("eval", "sorted(partijen)[0]", "ggz"),
        ("eval", "sum(x * 2 for x in range(10))", 90),
        ("eval", "{**{'a': 1}, 'b': 2}", {"a": 1, "b": 2}),
        ("eval", "partijen[1:]", ["ggz"]),
        ("eval", "'ab' * 500000 == 'ab' * 500000", True),
    ],
)
def test_ordinary_expressions_still_evaluate(mode: str, source: str, expected: object) -> None:
    data = {"ernst": "laag", "bedrag": 1.5, "partijen": ["politie", "ggz"]}
    assert RestrictedEnvironment().evaluate(source, data) == expected


def test_ordinary_script_updates_the_case_data() -> None:
    data = {"evaluaties": 2, "partijen": ["politie"], "tijdelijk": 1}
    script = (
        "evaluaties += 1\n"
        "partijen.append('ggz')\n"
        "teller = {}\n"
        "for p in partijen:\n"
        "    teller[p] = teller.get(p, 0) + 1\n"
        "del tijdelijk\n"
        "totaal = 0\n"
        "for i in range(10000):\n"
        "    totaal += i"
    )
    RestrictedEnvironment().execute(script, data)
    assert data["evaluaties"] == 3 and data["partijen"] == ["politie", "ggz"]
    assert data["teller"] == {"politie": 1, "ggz": 1} and "tijdelijk" not in data
    assert data["totaal"] == sum(range(10000))


def test_sum_adds_numbers_only() -> None:
    with pytest.raises(TypeError):  # sum(lists, []) would concatenate without bound in one call
        RestrictedEnvironment().evaluate("sum([[1], [2]], [])", {})


def test_budget_is_per_run_not_per_environment() -> None:
    environment = RestrictedEnvironment()
    for _ in range(5):  # each run builds 3 million elements: within one run's budget, every time
        data: dict[str, object] = {}
        environment.execute("y = len([0] * 1000000) + len([1] * 1000000) + len([2] * 1000000)", data)
        assert data["y"] == 3_000_000


def test_data_a_script_leaves_behind_must_stay_small_enough_to_store() -> None:
    with pytest.raises(ScriptLimitExceeded):
        RestrictedEnvironment().execute("y = [0] * 1000000\nz = [1] * 1000000", {})
