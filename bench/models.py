"""Process models made for the benchmarks: a 30-task chain (the same BPMN for raw SpiffWorkflow and
for the engine) and a short timer (for latency on the system clock). Published like any model."""

from __future__ import annotations

from engine import process_models
from engine.runtime import SYSTEM, Runtime

REGION = "utrecht"
CHAIN_PROCESS = "bench_chain"
CHAIN_LENGTH = 30
TIMER_PROCESS = "bench_timer"
TIMER_SECONDS = 2

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_{pid}" targetNamespace="https://mda-flow.test">\n'
    '<bpmn:collaboration id="collab_{pid}">'
    '<bpmn:participant id="p_{pid}" processRef="{pid}"/></bpmn:collaboration>\n'
    '<bpmn:process id="{pid}" name="{pid}" isExecutable="true">\n'
)
_TAIL = "</bpmn:process>\n</bpmn:definitions>\n"


def chain_bpmn() -> str:
    """start → 30 user tasks (lane veilig_thuis, form test_check) → end."""
    ids = [f"stap_{n:02d}" for n in range(1, CHAIN_LENGTH + 1)]
    refs = "".join(f"<bpmn:flowNodeRef>{i}</bpmn:flowNodeRef>" for i in ids)
    parts = [_HEAD.format(pid=CHAIN_PROCESS)]
    parts.append(
        f'<bpmn:laneSet id="ls"><bpmn:lane id="lane_vt" name="veilig_thuis">{refs}'
        "</bpmn:lane></bpmn:laneSet>\n"
    )
    parts.append('<bpmn:startEvent id="start"/>\n')
    previous = "start"
    for task_id in ids:
        parts.append(f'<bpmn:sequenceFlow id="f_{task_id}" sourceRef="{previous}" targetRef="{task_id}"/>\n')
        parts.append(
            f'<bpmn:userTask id="{task_id}" name="Stap {task_id[-2:]}" camunda:formKey="test_check"/>\n'
        )
        previous = task_id
    parts.append(f'<bpmn:sequenceFlow id="f_end" sourceRef="{previous}" targetRef="end"/>\n')
    parts.append('<bpmn:endEvent id="end"/>\n')
    parts.append(_TAIL)
    return "".join(parts)


def timer_bpmn() -> str:
    """start → wait TIMER_SECONDS → one user task → end."""
    return (
        _HEAD.format(pid=TIMER_PROCESS) + '<bpmn:laneSet id="ls"><bpmn:lane id="lane_vt" name="veilig_thuis">'
        "<bpmn:flowNodeRef>na_wachten</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>\n"
        '<bpmn:startEvent id="start"/>\n'
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wacht"/>\n'
        '<bpmn:intermediateCatchEvent id="wacht" name="Even wachten"><bpmn:timerEventDefinition>'
        f'<bpmn:timeDuration>"PT{TIMER_SECONDS}S"</bpmn:timeDuration></bpmn:timerEventDefinition>'
        "</bpmn:intermediateCatchEvent>\n"
        '<bpmn:sequenceFlow id="f2" sourceRef="wacht" targetRef="na_wachten"/>\n'
        '<bpmn:userTask id="na_wachten" name="Na het wachten" camunda:formKey="test_check"/>\n'
        '<bpmn:sequenceFlow id="f3" sourceRef="na_wachten" targetRef="end"/>\n'
        '<bpmn:endEvent id="end"/>\n' + _TAIL
    )


def publish(rt: Runtime, text: str, file_name: str) -> int:
    """Publish a bench model in the bench region; returns the version id."""
    draft = process_models.add_draft(rt, SYSTEM, REGION, text, file_name)
    return process_models.publish(rt, SYSTEM, REGION, draft.id).id
