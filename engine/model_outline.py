"""A BPMN or DMN text read as structured data: every element with what the engine acts on (lane
role, form, timer, condition, script, documentation, called process, decision rules), and the
outline a person reads instead of the diagram (per lane its steps in order). The comparison of two
models is built on the same descriptions. Reads XML only; runs nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.model_checks import CAMUNDA, NS, is_dmn
from engine.workflow import parse_xml

# The element kinds that are steps of a process (flows and lanes are described on their own).
_STEP_KINDS = frozenset(
    {"startEvent", "endEvent", "userTask", "manualTask", "task", "scriptTask", "businessRuleTask",
     "serviceTask", "sendTask", "receiveTask", "callActivity", "subProcess", "exclusiveGateway",
     "parallelGateway", "inclusiveGateway", "eventBasedGateway", "intermediateCatchEvent",
     "intermediateThrowEvent", "boundaryEvent"}
)  # fmt: skip
KIND_NAMES = {
    "startEvent": "start", "endEvent": "einde", "userTask": "gebruikerstaak", "manualTask": "handmatige taak",
    "task": "taak", "scriptTask": "script", "businessRuleTask": "beslissing", "serviceTask": "servicetaak",
    "sendTask": "verzendtaak", "receiveTask": "ontvangsttaak", "callActivity": "deelproces",
    "subProcess": "subproces", "exclusiveGateway": "keuze", "parallelGateway": "parallel",
    "inclusiveGateway": "inclusieve keuze", "eventBasedGateway": "wachten op gebeurtenis",
    "intermediateCatchEvent": "wachtmoment", "intermediateThrowEvent": "gebeurtenis",
    "boundaryEvent": "termijn/gebeurtenis op taak", "sequenceFlow": "pijl", "lane": "lane",
    "rule": "regel", "decision": "besluit", "process": "proces",
}  # fmt: skip
# Dutch labels of the properties compared and outlined, in display order.
PROPERTY_NAMES = {
    "name": "naam", "role": "rol", "form": "formulier", "timer": "timer", "condition": "voorwaarde",
    "script": "script", "documentation": "documentatie", "called": "roept aan", "decision": "besluit",
    "phase": "fase", "attached_to": "hoort bij", "interrupting": "onderbreekt", "source": "van",
    "target": "naar", "default": "standaardpijl", "inputs": "invoer", "outputs": "uitvoer",
    "hit_policy": "hit policy", "message": "bericht",
}  # fmt: skip


@dataclass(frozen=True)
class Element:
    id: str
    kind: str  # BPMN/DMN local tag name, or "rule"
    process: str  # the process (or decision) it belongs to
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.properties.get("name") or self.id

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)


def describe(text: str, file_name: str = "model") -> list[Element]:
    """Every element of the text that the engine or a reader cares about. Raises Invalid (no XML)."""
    root = parse_xml(text, file_name)
    return _describe_dmn(root) if is_dmn(root) else _describe_bpmn(root)


def _text(node: Any, path: str) -> str:
    found = node.xpath(path, namespaces=NS)
    return " ".join((f.text or "").strip() for f in found).strip()


def _local(node: Any) -> str:
    return str(node.tag).split("}")[-1]


def _describe_bpmn(root: Any) -> list[Element]:
    elements: list[Element] = []
    for process in root.xpath("bpmn:process", namespaces=NS):
        pid = process.get("id") or ""
        roles = {
            (ref.text or "").strip(): (lane.get("name") or "").strip()
            for lane in process.xpath(".//bpmn:lane", namespaces=NS)
            for ref in lane.xpath("bpmn:flowNodeRef", namespaces=NS)
        }
        for lane in process.xpath(".//bpmn:lane", namespaces=NS):
            elements.append(Element(lane.get("id") or "", "lane", pid, {"name": lane.get("name") or ""}))
        for node in process.iter():
            if not isinstance(node.tag, str) or node.get("id") is None:
                continue
            kind = _local(node)
            if kind in _STEP_KINDS:
                elements.append(Element(node.get("id"), kind, pid, _step_properties(node, roles)))
            elif kind == "sequenceFlow":
                props = {
                    "name": node.get("name") or "",
                    "source": node.get("sourceRef") or "",
                    "target": node.get("targetRef") or "",
                    "condition": _text(node, "bpmn:conditionExpression"),
                }
                elements.append(Element(node.get("id"), kind, pid, _clean(props)))
    return elements


def _step_properties(node: Any, roles: dict[str, str]) -> dict[str, str]:
    timer = node.xpath("bpmn:timerEventDefinition/*", namespaces=NS)
    message = node.xpath("bpmn:messageEventDefinition", namespaces=NS)
    phase = node.xpath(
        "bpmn:extensionElements/camunda:properties/camunda:property[@name='phase']", namespaces=NS
    )
    props = {
        "name": node.get("name") or "",
        "role": roles.get(node.get("id"), "") or node.get(CAMUNDA + "candidateGroups") or "",
        "form": node.get(CAMUNDA + "formKey") or "",
        "timer": f"{_local(timer[0])}: {(timer[0].text or '').strip()}" if timer else "",
        "script": _text(node, "bpmn:script"),
        "documentation": _text(node, "bpmn:documentation"),
        "called": node.get("calledElement") or "",
        "decision": node.get(CAMUNDA + "decisionRef") or "",
        "phase": phase[0].get("value") or "" if phase else "",
        "attached_to": node.get("attachedToRef") or "",
        "interrupting": "nee" if node.get("cancelActivity") == "false" else "",
        "default": node.get("default") or "",
        "message": message[0].get("messageRef") or "bericht" if message else "",
    }
    return _clean(props)


def _clean(props: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in props.items() if value}


def _describe_dmn(root: Any) -> list[Element]:
    ns = {"dmn": root.tag[1:].split("}")[0]}
    elements: list[Element] = []
    for decision in root.xpath("dmn:decision", namespaces=ns):
        did = decision.get("id") or ""
        table = decision.xpath("dmn:decisionTable", namespaces=ns)
        inputs = [
            (i.get("label") or "") + " = " + _dmn_text(i, "dmn:inputExpression/dmn:text", ns)
            for i in decision.xpath(".//dmn:input", namespaces=ns)
        ]
        outputs = [
            o.get("name") or o.get("label") or "" for o in decision.xpath(".//dmn:output", namespaces=ns)
        ]
        props = {
            "name": decision.get("name") or "",
            "hit_policy": table[0].get("hitPolicy", "UNIQUE") if table else "",
            "inputs": "; ".join(inputs),
            "outputs": "; ".join(outputs),
        }
        elements.append(Element(did, "decision", did, _clean(props)))
        for rule in decision.xpath(".//dmn:rule", namespaces=ns):
            inputs = [
                _dmn_text(e, "dmn:text", ns) or "-" for e in rule.xpath("dmn:inputEntry", namespaces=ns)
            ]
            outputs = [_dmn_text(e, "dmn:text", ns) for e in rule.xpath("dmn:outputEntry", namespaces=ns)]
            entries = {
                "inputs": " | ".join(inputs),
                "outputs": " | ".join(outputs),
                "documentation": _dmn_text(rule, "dmn:description", ns),
            }
            elements.append(Element(rule.get("id") or "", "rule", did, _clean(entries)))
    return elements


def _dmn_text(node: Any, path: str, ns: dict[str, str]) -> str:
    return " ".join((f.text or "").strip() for f in node.xpath(path, namespaces=ns)).strip()


# ---- the outline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineStep:
    id: str
    kind: str
    text: str  # one line: kind, name
    details: list[str]  # role, form, timer, conditions of outgoing flows, called process ...


@dataclass(frozen=True)
class OutlineSection:
    title: str  # "Proces X — lane procesregisseur"
    steps: list[OutlineStep]


def outline(text: str, file_name: str = "model") -> list[OutlineSection]:
    """Per process and lane the steps in the order a case meets them (breadth-first along the
    sequence flows from the start), gateways with their conditions, timers with durations, forms
    and called processes; DMN as its decisions with one line per rule."""
    elements = describe(text, file_name)
    if elements and elements[0].kind == "decision":
        return _dmn_outline(elements)
    sections: list[OutlineSection] = []
    processes = list(dict.fromkeys(e.process for e in elements))
    for pid in processes:
        own = [e for e in elements if e.process == pid]
        steps = [e for e in own if e.kind in _STEP_KINDS]
        flows = [e for e in own if e.kind == "sequenceFlow"]
        ordered = _in_flow_order(steps, flows)
        lanes = list(dict.fromkeys(e.properties.get("role", "") for e in ordered))
        for lane in lanes:
            title = f"Proces {pid} — " + (f"lane {lane}" if lane else "zonder lane")
            lane_steps = [
                _outline_step(e, flows, own) for e in ordered if e.properties.get("role", "") == lane
            ]
            sections.append(OutlineSection(title, lane_steps))
    return sections


def _in_flow_order(steps: list[Element], flows: list[Element]) -> list[Element]:
    by_id = {e.id: e for e in steps}
    successors: dict[str, list[str]] = {}
    for flow in flows:
        successors.setdefault(flow.properties.get("source", ""), []).append(flow.properties.get("target", ""))
    for step in steps:  # a boundary event follows the task it is attached to
        if "attached_to" in step.properties:
            successors.setdefault(step.properties["attached_to"], []).append(step.id)
    queue = [e.id for e in steps if e.kind == "startEvent"]
    seen: list[str] = []
    while queue:
        current = queue.pop(0)
        if current in seen or current not in by_id:
            continue
        seen.append(current)
        queue.extend(successors.get(current, []))
    seen += [e.id for e in steps if e.id not in seen]  # unreachable steps last
    return [by_id[i] for i in seen]


def _outline_step(step: Element, flows: list[Element], own: list[Element]) -> OutlineStep:
    names = {e.id: e.name for e in own}
    details = [
        f"{PROPERTY_NAMES[key]}: {value}"
        for key, value in step.properties.items()
        if key not in ("name", "role", "default")
    ]
    if step.kind.endswith("Gateway"):
        for flow in (f for f in flows if f.properties.get("source") == step.id):
            target = names.get(flow.properties.get("target", ""), "?")
            if flow.id == step.properties.get("default"):
                details.append(f"anders → {target}")
            elif "condition" in flow.properties:
                details.append(f"als {flow.properties['condition']} → {target}")
            else:
                details.append(f"→ {target}")
    return OutlineStep(step.id, step.kind, f"{step.kind_name}: {step.name}", details)


def _dmn_outline(elements: list[Element]) -> list[OutlineSection]:
    sections = []
    for decision in (e for e in elements if e.kind == "decision"):
        header = OutlineStep(
            decision.id, "decision", f"besluit: {decision.name}",
            [f"{PROPERTY_NAMES[k]}: {v}" for k, v in decision.properties.items() if k != "name"],
        )  # fmt: skip
        rules = [
            OutlineStep(
                rule.id,
                "rule",
                f"regel {n}: als {rule.properties.get('inputs', '-')} "
                f"dan {rule.properties.get('outputs', '')}",
                [rule.properties["documentation"]] if "documentation" in rule.properties else [],
            )  # fmt: skip
            for n, rule in enumerate(
                (e for e in elements if e.kind == "rule" and e.process == decision.id), 1
            )
        ]
        sections.append(OutlineSection(f"Besluit {decision.id}", [header, *rules]))
    return sections


def outline_text(sections: list[OutlineSection]) -> str:
    """The outline as plain text (review meetings, e-mail, screen readers)."""
    lines: list[str] = []
    for section in sections:
        lines.append(section.title)
        for number, step in enumerate(section.steps, 1):
            lines.append(f"  {number}. {step.text}")
            lines.extend(f"     - {detail}" for detail in step.details)
        lines.append("")
    return "\n".join(lines)
