"""Small BPMN/DMN documents for validation tests, each with one slot to fill (a script, a
condition, a timer expression, a lane, a form key, a DMN cell). Element ids are fixed so tests can
expect them in an Invalid's details."""

from __future__ import annotations

from xml.sax.saxutils import escape

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_probe" targetNamespace="https://mda-flow.test">\n'
)
TAIL = "</bpmn:definitions>\n"


def to_end(source: str) -> str:
    flow = f'<bpmn:sequenceFlow id="p2" sourceRef="{source}" targetRef="probe_end"/>'
    return flow + '<bpmn:endEvent id="probe_end"/>'


def process(body: str, process_id: str = "probe_proces") -> str:
    return (
        f'{HEAD}<bpmn:process id="{process_id}" name="Probe" isExecutable="true">\n'
        f'<bpmn:startEvent id="probe_start"/>\n{body}\n</bpmn:process>\n{TAIL}'
    )


def with_script(source: str) -> str:
    """start → script task `probe_script` → end."""
    return process(
        '<bpmn:sequenceFlow id="p1" sourceRef="probe_start" targetRef="probe_script"/>'
        f'<bpmn:scriptTask id="probe_script" name="Rekenen"><bpmn:script>{escape(source)}</bpmn:script>'
        "</bpmn:scriptTask>" + to_end("probe_script")
    )


def with_condition(expression: str) -> str:
    """start → gateway; the flow `probe_flow` carries the condition, the default flow the rest."""
    return process(
        '<bpmn:sequenceFlow id="p1" sourceRef="probe_start" targetRef="probe_gateway"/>'
        '<bpmn:exclusiveGateway id="probe_gateway" default="probe_default"/>'
        '<bpmn:sequenceFlow id="probe_flow" sourceRef="probe_gateway" targetRef="probe_end">'
        f"<bpmn:conditionExpression>{escape(expression)}</bpmn:conditionExpression></bpmn:sequenceFlow>"
        '<bpmn:sequenceFlow id="probe_default" sourceRef="probe_gateway" targetRef="probe_end"/>'
        '<bpmn:endEvent id="probe_end"/>'
    )


def with_timer(expression: str, kind: str = "timeDuration") -> str:
    """start → intermediate timer `probe_timer` → end."""
    return process(
        '<bpmn:sequenceFlow id="p1" sourceRef="probe_start" targetRef="probe_timer"/>'
        '<bpmn:intermediateCatchEvent id="probe_timer"><bpmn:timerEventDefinition>'
        f"<bpmn:{kind}>{escape(expression)}</bpmn:{kind}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
        + to_end("probe_timer")
    )


def with_user_task(
    lane: str = "procesregisseur", form_key: str | None = "test_check", in_lane: bool = True
) -> str:
    """start → user task `probe_task` (in lane `probe_lane` named `lane`) → end."""
    form = f' camunda:formKey="{escape(form_key)}"' if form_key is not None else ""
    ref = "<bpmn:flowNodeRef>probe_task</bpmn:flowNodeRef>" if in_lane else ""
    return process(
        f'<bpmn:laneSet id="probe_lanes"><bpmn:lane id="probe_lane" name="{escape(lane)}">{ref}</bpmn:lane>'
        "</bpmn:laneSet>"
        '<bpmn:sequenceFlow id="p1" sourceRef="probe_start" targetRef="probe_task"/>'
        f'<bpmn:userTask id="probe_task" name="Doen"{form}/>' + to_end("probe_task")
    )


def dmn(input_expression: str = "ernst", input_entry: str = '"hoog"', output_entry: str = "True") -> str:
    """A one-rule decision `probe_besluit`: input `probe_input` (its expression), rule `probe_rule`
    with input entry `probe_in` and output entry `probe_out`."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs_probe_dmn" name="Probe"'
        ' namespace="https://mda-flow.test">'
        '<decision id="probe_besluit" name="Probe"><decisionTable id="probe_table" hitPolicy="UNIQUE">'
        '<input id="probe_input" label="In"><inputExpression id="probe_input_expression" typeRef="string">'
        f"<text>{escape(input_expression)}</text></inputExpression></input>"
        '<output id="probe_output" label="Uit" name="uitkomst" typeRef="boolean"/>'
        f'<rule id="probe_rule"><inputEntry id="probe_in"><text>{escape(input_entry)}</text></inputEntry>'
        f'<outputEntry id="probe_out"><text>{escape(output_entry)}</text></outputEntry></rule>'
        "</decisionTable></decision></definitions>\n"
    )
