"""What a professional reads in the process library: help texts that help (no bare seed citations
such as "004:39" — those belong in the field's `sources` and the models' documentation) and short
timer labels in the case's timer list (at most 60 characters, no citations)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from forms.validation import Form, load_forms

ROOT = Path(__file__).resolve().parents[2]
FORMS = load_forms(ROOT / "forms" / "definitions")
MODELS = sorted((ROOT / "workflows").rglob("*.bpmn"))
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CITATION = re.compile(r"\b\d{3}:\d+(?:-\d+)?\b")
MAX_TIMER_LABEL = 60


def help_problems(form: Form) -> list[str]:
    """Every help text (also a region's own wording) that cites a seed line or is nothing else."""
    problems = []
    for field in form.fields:
        texts = {"*": field.get("help")} | dict(field.get("help_by_region") or {})
        for region, text in texts.items():
            if text is None:
                continue
            if not CITATION.sub("", text).strip(" ,;.()-") or CITATION.search(text):
                problems.append(f"{form.key}.{field['name']} [{region}]: {text!r}")
    return problems


def timer_labels(path: Path) -> dict[str, str]:
    """The name each waiting timer shows in the case's timer list: a timer event's own name, or the
    name of the event-based gateway it waits behind."""
    tree = etree.parse(str(path))
    labels = {}
    for event in tree.iter(f"{BPMN}intermediateCatchEvent", f"{BPMN}boundaryEvent"):
        if event.find(f"{BPMN}timerEventDefinition") is not None:
            labels[event.get("id")] = event.get("name") or ""
    targets = {flow.get("id"): flow.get("targetRef") for flow in tree.iter(f"{BPMN}sequenceFlow")}
    for gateway in tree.iter(f"{BPMN}eventBasedGateway"):
        outgoing = [targets[o.text] for o in gateway.findall(f"{BPMN}outgoing")]
        if any(target in labels for target in outgoing):
            labels[gateway.get("id")] = gateway.get("name") or ""
    return labels


@pytest.mark.parametrize("key", sorted(FORMS))
def test_help_texts_are_not_citations(key: str) -> None:
    assert help_problems(FORMS[key]) == []


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.name)
def test_timer_labels_are_short_and_plain(path: Path) -> None:
    for element, label in timer_labels(path).items():
        assert label.strip(), f"{element} has no label"
        assert len(label) <= MAX_TIMER_LABEL, f"{element}: {label!r} is longer than {MAX_TIMER_LABEL}"
        assert not CITATION.search(label), f"{element}: {label!r} cites a source"


def test_the_checks_catch_a_citation_and_a_long_label(tmp_path: Path) -> None:
    """The checks above can fail: a help that is only a citation, one that ends in one, and a timer
    label of 61 characters are each reported."""
    form = Form("x", "X", [
        {"name": "a", "label": "A", "type": "text", "help": "004:39", "example": "a"},
        {"name": "b", "label": "B", "type": "text", "help": "Zie 002:3123-3124", "example": "b"},
        {"name": "c", "label": "C", "type": "text", "help": "Vul de datum in.", "example": "c",
         "help_by_region": {"drenthe": "(002:3236; 002:3307)"}},
    ])  # fmt: skip
    assert [p.split(":")[0] for p in help_problems(form)] == ["x.a [*]", "x.b [*]", "x.c [drenthe]"]
    model = tmp_path / "m.bpmn"
    model.write_text(
        f'<bpmn:definitions xmlns:bpmn="{BPMN[1:-1]}"><bpmn:process id="p">'
        f'<bpmn:intermediateCatchEvent id="t" name="{"x" * 61}"><bpmn:timerEventDefinition/>'
        "</bpmn:intermediateCatchEvent></bpmn:process></bpmn:definitions>",
        encoding="utf-8",
    )
    assert timer_labels(model) == {"t": "x" * 61}
    with pytest.raises(AssertionError, match="longer than 60"):
        test_timer_labels_are_short_and_plain(model)
