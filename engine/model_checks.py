"""The rules a BPMN/DMN file must satisfy before it can be published, checked on the XML so every
problem names its element id: lanes name roles, user tasks name existing forms, timers parse,
every script and condition passes the restricted script engine."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import Any

from config.settings import ROLES
from engine.durations import as_timer_expression, is_timer_text, parse_duration
from engine.errors import Invalid
from engine.scripting import check as check_script

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
}
CAMUNDA = "{" + NS["camunda"] + "}"
PHASES = ("aanmelding", "triage", "analyse", "plan", "monitoring", "opschaling", "afsluiting")
Problem = dict[str, Any]


def _problem(element: Any, message: str) -> Problem:
    return {"element_id": element.get("id") if element is not None else None, "message": message}


def check_bpmn(root: Any, form_keys: Iterable[str]) -> list[Problem]:
    """Every problem of one BPMN document (empty list when it may be published)."""
    known_forms = set(form_keys)
    if root.tag != "{" + NS["bpmn"] + "}definitions":
        return [_problem(None, "geen BPMN-document (bpmn:definitions ontbreekt)")]
    problems: list[Problem] = []
    if not root.xpath("bpmn:process", namespaces=NS):
        problems.append(_problem(None, "het document bevat geen proces"))
    for lane in root.xpath(".//bpmn:lane", namespaces=NS):
        if (lane.get("name") or "").strip() not in ROLES:
            problems.append(
                _problem(lane, f"lane '{lane.get('name')}' is geen bekende rol ({', '.join(ROLES)})")
            )
    laned = {
        ref.text.strip() for ref in root.xpath(".//bpmn:lane/bpmn:flowNodeRef", namespaces=NS) if ref.text
    }
    for task in root.xpath(".//bpmn:userTask", namespaces=NS):
        group = (task.get(CAMUNDA + "candidateGroups") or "").strip()
        if group and group not in ROLES:
            problems.append(_problem(task, f"camunda:candidateGroups '{group}' is niet één bekende rol"))
        elif task.get("id") not in laned and not group:
            problems.append(_problem(task, "gebruikerstaak ligt niet in een lane (rol)"))
        problems += _check_form_key(task, known_forms, required=True)
    for node in root.xpath(".//bpmn:userTask | .//bpmn:intermediateCatchEvent", namespaces=NS):
        phase = node.xpath(
            "bpmn:extensionElements/camunda:properties/camunda:property[@name='phase']", namespaces=NS
        )
        if phase and phase[0].get("value") not in PHASES:
            problems.append(_problem(node, f"onbekende fase '{phase[0].get('value')}'"))
    for process in root.xpath("bpmn:process[@isExecutable='true']", namespaces=NS):
        for start in process.xpath("bpmn:startEvent", namespaces=NS):
            problems += _check_form_key(start, known_forms, required=False)
    for timer in root.xpath(".//bpmn:timerEventDefinition", namespaces=NS):
        problems += _check_timer(timer)
    for script in root.xpath(".//bpmn:scriptTask/bpmn:script", namespaces=NS):
        problems += _check_code(script.getparent(), script.text or "", "exec")
    for condition in root.xpath(".//bpmn:conditionExpression", namespaces=NS):
        problems += _check_code(condition.getparent(), condition.text or "", "eval")
    # Spiff evaluates these too (loops, multi-instance, conditional events, message correlation).
    for expression in root.xpath(_OTHER_EXPRESSIONS, namespaces=NS):
        owner = expression.getparent()
        while owner.get("id") is None and owner.getparent() is not None:
            owner = owner.getparent()
        problems += _check_code(owner, expression.text or "", "eval")
    for node in root.xpath(".//bpmn:serviceTask | .//bpmn:sendTask[@camunda:class]", namespaces=NS):
        problems.append(_problem(node, "servicetaken worden niet uitgevoerd; gebruik een gebruikerstaak"))
    for container in root.xpath(".//bpmn:process | .//bpmn:subProcess", namespaces=NS):
        problems += _check_wait_free_cycles(container)
    return problems


# Elements where a round of a loop stops until a person or time acts (a called process may too).
_WAIT_STATES = frozenset(
    {"userTask", "manualTask", "receiveTask", "intermediateCatchEvent", "eventBasedGateway", "callActivity",
     "subProcess"}
)  # fmt: skip


def _check_wait_free_cycles(container: Any) -> list[Problem]:
    """A loop that never waits runs until SpiffWorkflow's task-tree depth limit and then silently
    ends the case, so every cycle of sequence flows must pass a wait state."""
    local = {child.get("id"): child for child in container if child.get("id")}
    edges: dict[str, list[str]] = {}
    for flow in container.xpath("bpmn:sequenceFlow", namespaces=NS):
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        if source in local and target in local:
            edges.setdefault(source, []).append(target)
    waits = {i for i, node in local.items() if node.tag.split("}")[-1] in _WAIT_STATES}
    # Peel off nodes that no wait-free path enters, then those it cannot leave: what remains
    # lies on (or between) cycles without a wait state.
    remaining = set(local) - waits
    successors = {n: {t for t in edges.get(n, []) if t in remaining} for n in remaining}
    changed = True
    while changed:
        targets = {t for n in remaining for t in successors[n] if t in remaining}
        sources = {n for n in remaining if successors[n] & remaining}
        keep = remaining & targets & sources
        changed = keep != remaining
        remaining = keep
    if remaining:
        first = min(remaining)
        return [_problem(local[first], "lus zonder wachtmoment (gebruikerstaak of timer)")]
    return []


_OTHER_EXPRESSIONS = (
    ".//bpmn:loopCardinality | .//bpmn:completionCondition | .//bpmn:loopCondition"
    " | .//bpmn:conditionalEventDefinition/bpmn:condition"
    " | .//bpmn:correlationPropertyRetrievalExpression/bpmn:formalExpression"
)


def _check_form_key(element: Any, known_forms: set[str], *, required: bool) -> list[Problem]:
    key = element.get(CAMUNDA + "formKey")
    if not key:
        return [_problem(element, "camunda:formKey ontbreekt")] if required else []
    if key not in known_forms:
        return [_problem(element, f"formulier '{key}' bestaat niet in forms/")]
    return []


def _check_code(element: Any, source: str, mode: str) -> list[Problem]:
    if not source.strip():
        return [_problem(element, "lege expressie")]
    return [_problem(element, f"script geweigerd: {p}") for p in check_script(source.strip(), mode)]


def _check_timer(definition: Any) -> list[Problem]:
    event = definition.getparent()
    expressions = definition.xpath("bpmn:timeDuration | bpmn:timeDate | bpmn:timeCycle", namespaces=NS)
    if len(expressions) != 1:
        return [_problem(event, "timer zonder (of met meer dan één) tijdsexpressie")]
    expression = expressions[0]
    source = as_timer_expression((expression.text or "").strip())  # Camunda Modeler's bare P5D too
    problems = _check_code(event, source, "eval")
    if problems:
        return problems
    kind = expression.tag.split("}")[1]
    for literal in _string_literals(source):
        message = _check_iso(kind, literal)
        if message:
            problems.append(_problem(event, message))
    return problems


def _string_literals(source: str) -> list[str]:
    """The string constants a timer expression can return (each branch of a conditional)."""

    def results(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            return results(node.body) + results(node.orelse)
        if isinstance(node, ast.BoolOp):
            return [text for value in node.values for text in results(value)]
        return []

    return results(ast.parse(source, mode="eval").body)


def _check_iso(kind: str, text: str) -> str | None:
    if kind == "timeDuration":
        try:
            parse_duration(text)
        except Invalid:
            return f"ongeldige duur '{text}' (ISO 8601, bijvoorbeeld \"P3M\")"
        return None
    if not is_timer_text(kind, text):
        return f"ongeldige tijdsexpressie '{text}' voor {kind}"
    return None


DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
)


def is_dmn(root: Any) -> bool:
    return bool(root.tag.startswith("{") and root.tag[1:].split("}")[0] in DMN_NAMESPACES)


def check_dmn(root: Any) -> list[Problem]:
    """Problems of a DMN document: hit policy, and every expression through the sandbox."""
    namespace = root.tag.split("}")[0].lstrip("{") if root.tag.startswith("{") else ""
    if namespace not in DMN_NAMESPACES or not root.tag.endswith("definitions"):
        return [_problem(None, "geen DMN-document (dmn:definitions ontbreekt)")]
    ns = {"dmn": namespace}
    problems: list[Problem] = []
    decisions = root.xpath("dmn:decision", namespaces=ns)
    if not decisions:
        problems.append(_problem(None, "het document bevat geen besluit (decision)"))
    for table in root.xpath(".//dmn:decisionTable", namespaces=ns):
        policy = table.get("hitPolicy", "UNIQUE")
        if policy not in ("UNIQUE", "COLLECT"):
            problems.append(
                _problem(table, f"hit policy {policy} wordt niet uitgevoerd (alleen UNIQUE, COLLECT)")
            )
    for expression in root.xpath(".//dmn:inputExpression/dmn:text", namespaces=ns):
        problems += _check_code(expression.getparent().getparent(), expression.text or "", "eval")
    for entry in root.xpath(".//dmn:inputEntry/dmn:text", namespaces=ns):
        text = (entry.text or "").strip()
        if text and text != "-":
            problems += _check_code(entry.getparent(), _as_spiff_runs_it(text), "eval")
    for entry in root.xpath(".//dmn:outputEntry/dmn:text", namespaces=ns):
        if (entry.text or "").strip():
            problems += _check_code(entry.getparent(), entry.text or "", "eval")
    return problems


_OUTSIDE_QUOTES_QUESTION_MARK = re.compile(r"""(\?)(?=(?:[^'"]|['"][^'"]*['"])*$)""")


def _as_spiff_runs_it(entry: str) -> str:
    """The expression Spiff's DMN engine evaluates for an input entry (SpiffWorkflow/dmn/engine/
    DMNEngine.py, evaluate), with `v` for the input: '?' stands for the input; an entry that is an
    expression of its own is compared with ==; anything else ('> 5') is appended to the input."""
    if "?" in entry and _OUTSIDE_QUOTES_QUESTION_MARK.search(entry):
        return _OUTSIDE_QUOTES_QUESTION_MARK.sub("v", entry)
    try:
        ast.parse(entry, mode="eval")
    except SyntaxError:
        return f"v {entry}"
    return f"v == ({entry})"
