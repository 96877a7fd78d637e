"""The hostile models of issue 8, as BPMN texts of the probe process (`probe_proces`, element ids
fixed so tests can expect them): each once stalled the server or answered 500."""

from __future__ import annotations

from xml.sax.saxutils import escape

from tests.integration.model_texts import process, to_end, with_script, with_timer

_INNER = (
    '<bpmn:startEvent id="probe_inner_start"/>'
    '<bpmn:sequenceFlow id="pi1" sourceRef="probe_inner_start" targetRef="probe_inner"/>'
    '<bpmn:scriptTask id="probe_inner"><bpmn:script>y = 1</bpmn:script></bpmn:scriptTask>'
    '<bpmn:sequenceFlow id="pi2" sourceRef="probe_inner" targetRef="probe_inner_end"/>'
    '<bpmn:endEvent id="probe_inner_end"/>'
)


def multi_instance(
    cardinality: str, *, before: str = "", sequential: bool = False, inner: str = _INNER
) -> str:
    """start → [script `probe_before` setting data] → subprocess `probe_mi`, multi-instance with
    this loopCardinality → end."""
    flows = '<bpmn:sequenceFlow id="p1" sourceRef="probe_start" targetRef="probe_before"/>'
    flows += f'<bpmn:scriptTask id="probe_before"><bpmn:script>{escape(before or "x = 1")}</bpmn:script>'
    flows += '</bpmn:scriptTask><bpmn:sequenceFlow id="p0" sourceRef="probe_before" targetRef="probe_mi"/>'
    order = ' isSequential="true"' if sequential else ""
    return process(
        flows + f'<bpmn:subProcess id="probe_mi"><bpmn:multiInstanceLoopCharacteristics{order}>'
        f"<bpmn:loopCardinality>{escape(cardinality)}</bpmn:loopCardinality>"
        f"</bpmn:multiInstanceLoopCharacteristics>{inner}</bpmn:subProcess>" + to_end("probe_mi")
    )


def script_chain_inner(length: int) -> str:
    """The body of a subprocess: `length` script tasks in a row (within the validation limits
    when length <= 50)."""
    parts = ['<bpmn:startEvent id="probe_inner_start"/>']
    previous = "probe_inner_start"
    for i in range(1, length + 1):
        parts.append(f'<bpmn:sequenceFlow id="pi{i}" sourceRef="{previous}" targetRef="probe_s{i}"/>')
        parts.append(f'<bpmn:scriptTask id="probe_s{i}"><bpmn:script>n = {i}</bpmn:script></bpmn:scriptTask>')
        previous = f"probe_s{i}"
    parts.append(f'<bpmn:sequenceFlow id="pi_end" sourceRef="{previous}" targetRef="probe_inner_end"/>')
    parts.append('<bpmn:endEvent id="probe_inner_end"/>')
    return "".join(parts)


def step_hog() -> str:
    """Valid by every static limit, but 100 sequential instances of 40 script tasks each are about
    4,500 engine steps in one operation: only the run-time budget can stop it."""
    return multi_instance("100", sequential=True, inner=script_chain_inner(40))


def parallel_split(branches: int) -> str:
    """start → parallel gateway `probe_split` with `branches` outgoing flows → join → end."""
    parts = [
        '<bpmn:sequenceFlow id="p1" sourceRef="probe_start" targetRef="probe_split"/>',
        '<bpmn:parallelGateway id="probe_split"/><bpmn:parallelGateway id="probe_join"/>',
    ]
    for i in range(branches):
        parts.append(
            f'<bpmn:sequenceFlow id="b{i}" sourceRef="probe_split" targetRef="t{i}"/><bpmn:task id="t{i}"/>'
        )
        parts.append(f'<bpmn:sequenceFlow id="j{i}" sourceRef="t{i}" targetRef="probe_join"/>')
    return process("".join(parts) + to_end("probe_join"))


def chain(length: int, kind: str = "scriptTask") -> str:
    """start → t1 → t2 → … → t<length> → end, each a script task (x = 1) or another kind of task."""
    body = "<bpmn:script>x = 1</bpmn:script>" if kind == "scriptTask" else ""
    parts = ['<bpmn:sequenceFlow id="f0" sourceRef="probe_start" targetRef="t1"/>']
    for i in range(1, length + 1):
        target = f"t{i + 1}" if i < length else "probe_end"
        parts.append(f'<bpmn:{kind} id="t{i}">{body}</bpmn:{kind}>')
        parts.append(f'<bpmn:sequenceFlow id="f{i}" sourceRef="t{i}" targetRef="{target}"/>')
    return process("".join(parts) + '<bpmn:endEvent id="probe_end"/>')


def timer_from_data(value: str) -> str:
    """A script sets `duur`; the timer `probe_timer` waits for that duration."""
    text = with_timer("duur").replace(
        '<bpmn:sequenceFlow id="p1" sourceRef="probe_start" targetRef="probe_timer"/>',
        '<bpmn:sequenceFlow id="p1" sourceRef="probe_start" targetRef="probe_script"/>'
        f'<bpmn:scriptTask id="probe_script"><bpmn:script>{escape(f"duur = {value!r}")}</bpmn:script>'
        '</bpmn:scriptTask><bpmn:sequenceFlow id="p0" sourceRef="probe_script" targetRef="probe_timer"/>',
    )
    return text


def message_path(expression: str) -> str:
    """A process whose message correlation (`probe_correlation`) retrieves with this messagePath."""
    return with_script("x = 1").replace(
        "<bpmn:process",
        '<bpmn:message id="probe_message" name="probe"/>'
        '<bpmn:correlationProperty id="probe_correlation" name="sleutel">'
        '<bpmn:correlationPropertyRetrievalExpression messageRef="probe_message">'
        f"<bpmn:messagePath>{escape(expression)}</bpmn:messagePath>"
        "</bpmn:correlationPropertyRetrievalExpression></bpmn:correlationProperty><bpmn:process",
        1,
    )


__all__ = [
    "chain",
    "message_path",
    "multi_instance",
    "parallel_split",
    "script_chain_inner",
    "step_hog",
    "timer_from_data",
    "with_script",
    "with_timer",
]


def waits_then_multiplies(count: int) -> str:
    """start → script `probe_before` (aantal = count) → timer `probe_wait` (P1D) → subprocess
    `probe_mi`, one instance per `aantal` → end: harmless until the timer sweep reaches it."""
    text = multi_instance("aantal", before=f"aantal = {count}")
    return text.replace(
        '<bpmn:sequenceFlow id="p0" sourceRef="probe_before" targetRef="probe_mi"/>',
        '<bpmn:sequenceFlow id="p0" sourceRef="probe_before" targetRef="probe_wait"/>'
        '<bpmn:intermediateCatchEvent id="probe_wait"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration>"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>'
        '<bpmn:sequenceFlow id="p00" sourceRef="probe_wait" targetRef="probe_mi"/>',
    )
