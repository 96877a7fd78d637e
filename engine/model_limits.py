"""The size and shape limits a BPMN document must keep before it may run (config.settings.Limits):
elements per model, paths from a start event, parallel branches, multi-instance and loop counts,
nesting, script tasks in a row, timer range, and ASCII process ids. Checked on the
XML, without recursion, so a hostile file is refused with its element named and never stalls
the parser (SpiffWorkflow's parser recurses once per element along a path)."""

from __future__ import annotations

import ast
import re
from typing import Any

from config.settings import Limits

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
Problem = dict[str, Any]
# ASCII only, so a look-alike letter (a Cyrillic o for a Latin one) never passes for another id. Our
# own ids are snake_case; Camunda Modeler's "Process_0x1y2z" may come in as it is.
PROCESS_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_FLOW_NODE_SUFFIXES = ("Task", "Event", "Gateway", "subProcess", "callActivity", "transaction")
_CONTAINERS = ("process", "subProcess", "transaction")


def _local(element: Any) -> str:
    return str(element.tag).split("}")[-1] if isinstance(element.tag, str) else ""


def _problem(element: Any, message: str) -> Problem:
    return {"element_id": element.get("id") if element is not None else None, "message": message}


def check_limits(root: Any, limits: Limits) -> list[Problem]:
    """Every limit the document breaks, each naming its element (empty when all are kept)."""
    problems: list[Problem] = []
    for process in root.xpath("bpmn:process", namespaces=NS):
        if not PROCESS_ID.match(process.get("id") or ""):
            message = "proces-id mag alleen ASCII-letters, cijfers en _ bevatten (snake_case)"
            problems.append(_problem(process, message))
    count = element_count(root)
    if count > limits.max_elements:
        owner = root.find("bpmn:process", NS)
        problems.append(_problem(owner, f"{count} elementen (meer dan {limits.max_elements})"))
    for container in root.iter():
        if _local(container) in _CONTAINERS:
            problems += _check_container(container, limits)
    problems += _check_loops(root, limits)
    return problems


def element_count(root: Any) -> int:
    """Flow nodes in the document: tasks, events, gateways, subprocesses."""
    return sum(1 for e in root.iter() if _local(e).endswith(_FLOW_NODE_SUFFIXES))


def _check_container(container: Any, limits: Limits) -> list[Problem]:
    problems: list[Problem] = []
    local = {child.get("id"): child for child in container if child.get("id")}
    edges: dict[str, list[str]] = {}
    for flow in container.findall("bpmn:sequenceFlow", NS):
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        if source in local and target in local:
            edges.setdefault(source, []).append(target)
    for source, targets in edges.items():
        if len(targets) > limits.max_branches:
            problems.append(
                _problem(local[source], f"{len(targets)} uitgaande paden (meer dan {limits.max_branches})")
            )
    too_deep = _first_past_depth(local, edges, limits.max_flow_depth)
    if too_deep is not None:
        problems.append(
            _problem(local[too_deep], f"pad van meer dan {limits.max_flow_depth} elementen vanaf het begin")
        )
    lengths = _script_chain_lengths(local, edges)
    too_long = [i for i, n in lengths.items() if n == limits.max_script_chain + 1]
    if too_long:
        longest = max(lengths.values())
        message = f"{longest} scripttaken achter elkaar (meer dan {limits.max_script_chain})"
        problems.append(_problem(local[min(too_long)], message))
    if _local(container) != "process":
        depth = sum(1 for a in container.iterancestors() if _local(a) in _CONTAINERS[1:]) + 1
        if depth > limits.max_nesting:
            problems.append(
                _problem(container, f"subproces {depth} niveaus diep (meer dan {limits.max_nesting})")
            )
    return problems


def _first_past_depth(local: dict[str, Any], edges: dict[str, list[str]], limit: int) -> str | None:
    """The first element a depth-first walk from the start events reaches deeper than `limit`
    (the parser walks the same way, one recursion per element)."""
    entered = {t for targets in edges.values() for t in targets}
    starts = [i for i, node in local.items() if _local(node) == "startEvent" or i not in entered]
    depth: dict[str, int] = {}
    for start in starts:
        stack = [(start, 1)]
        while stack:
            node, level = stack.pop()
            if node in depth:
                continue
            if level > limit:
                return node
            depth[node] = level
            stack.extend(
                (target, level + 1) for target in reversed(edges.get(node, [])) if target not in depth
            )
    return None


def _script_chain_lengths(local: dict[str, Any], edges: dict[str, list[str]]) -> dict[str, int]:
    """Per script task, the longest run of script tasks joined by sequence flows that ends in it;
    cycles are refused elsewhere (a task on one is never counted)."""
    scripts = {i for i, node in local.items() if _local(node) == "scriptTask"}
    incoming: dict[str, int] = {i: 0 for i in scripts}
    for source in scripts:
        for target in edges.get(source, []):
            if target in scripts:
                incoming[target] += 1
    length = {i: 1 for i in scripts}
    ready = [i for i in scripts if incoming[i] == 0]
    while ready:  # Kahn's order: a task's length is final once every predecessor is counted
        node = ready.pop()
        for target in edges.get(node, []):
            if target in scripts:
                length[target] = max(length[target], length[node] + 1)
                incoming[target] -= 1
                if incoming[target] == 0:
                    ready.append(target)
    return length


def _check_loops(root: Any, limits: Limits) -> list[Problem]:
    problems: list[Problem] = []
    for cardinality in root.xpath(
        ".//bpmn:multiInstanceLoopCharacteristics/bpmn:loopCardinality", namespaces=NS
    ):
        owner = cardinality.getparent().getparent()
        count = _constant_int(cardinality.text or "")
        if count is not None and count > limits.max_instances:
            problems.append(
                _problem(owner, f"multi-instance met {count} instanties (meer dan {limits.max_instances})")
            )
    for loop in root.xpath(".//bpmn:standardLoopCharacteristics", namespaces=NS):
        maximum = _constant_int(loop.get("loopMaximum") or "")
        if maximum is not None and maximum > limits.max_instances:
            problems.append(
                _problem(
                    loop.getparent(), f"lus met maximaal {maximum} rondes (meer dan {limits.max_instances})"
                )
            )
    for script_task in root.xpath(".//bpmn:scriptTask[bpmn:multiInstanceLoopCharacteristics]", namespaces=NS):
        problems.append(_problem(script_task, "multi-instance op een scripttaak wordt niet uitgevoerd"))
    return problems


def _constant_int(text: str) -> int | None:
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
