"""Models for the process designer's tests: a process that waits at a user task, inside a call
activity and at a timer (so running cases can be migrated from each), and its next version."""

from __future__ import annotations

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_{pid}" targetNamespace="https://mda-flow.test">\n'
)

SUB = (
    HEAD.format(pid="batch_sub")
    + """<bpmn:process id="batch_sub" name="Deelproces (test)" isExecutable="true">
  <bpmn:laneSet id="sub_lanes"><bpmn:lane id="sub_lane" name="casusregisseur">
    <bpmn:flowNodeRef>b</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
  <bpmn:startEvent id="sub_start"/>
  <bpmn:sequenceFlow id="sf1" sourceRef="sub_start" targetRef="b"/>
  <bpmn:userTask id="b" name="Taak B in deelproces" camunda:formKey="test_check"/>
  <bpmn:sequenceFlow id="sf2" sourceRef="b" targetRef="sub_end"/>
  <bpmn:endEvent id="sub_end"/>
</bpmn:process>
</bpmn:definitions>
"""
)


def main(timer: str = '"P5D"', with_c: bool = True, name_a: str = "Taak A", with_call: bool = True) -> str:
    """start → A (user task) → call activity (B inside) → timer → C (user task) → end."""
    after_timer = (
        '<bpmn:sequenceFlow id="f4" sourceRef="wacht" targetRef="c"/>'
        '<bpmn:userTask id="c" name="Taak C" camunda:formKey="test_check"/>'
        '<bpmn:sequenceFlow id="f5" sourceRef="c" targetRef="einde"/>'
        if with_c
        else '<bpmn:sequenceFlow id="f4" sourceRef="wacht" targetRef="einde"/>'
    )
    c_ref = "<bpmn:flowNodeRef>c</bpmn:flowNodeRef>" if with_c else ""
    call = (
        '<bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="deel"/>'
        '<bpmn:callActivity id="deel" name="Deelproces" calledElement="batch_sub"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="deel" targetRef="wacht"/>'
        if with_call
        else '<bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="wacht"/>'
    )
    return (
        HEAD.format(pid="batch_flow")
        + f"""<bpmn:process id="batch_flow" name="Migratie (test)" isExecutable="true">
  <bpmn:laneSet id="lanes"><bpmn:lane id="lane_pr" name="procesregisseur">
    <bpmn:flowNodeRef>a</bpmn:flowNodeRef>{c_ref}</bpmn:lane></bpmn:laneSet>
  <bpmn:startEvent id="start"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a"/>
  <bpmn:userTask id="a" name="{name_a}" camunda:formKey="test_check"/>
  {call}
  <bpmn:intermediateCatchEvent id="wacht" name="Wachten">
    <bpmn:timerEventDefinition><bpmn:timeDuration>{timer}</bpmn:timeDuration></bpmn:timerEventDefinition>
  </bpmn:intermediateCatchEvent>
  {after_timer}
  <bpmn:endEvent id="einde"/>
</bpmn:process>
</bpmn:definitions>
"""
    )
