"""A small process with a diagram (bpmn-js shows only what has DI) for the designer's browser test:
two lanes, start → consultation → wait five days → advice → end. It is published as a process of
its own, so the shared live server's main processes stay as they are for the other tests."""

from __future__ import annotations

PROCESS_ID = "ontwerp_proef"
CONSULT, ADVICE, WAIT, LANE_PR, LANE_VT = "consult", "advies", "wacht", "lane_pr", "lane_vt"

MODEL = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_{PROCESS_ID}" targetNamespace="https://mda-flow.test">
  <bpmn:collaboration id="collab_{PROCESS_ID}">
    <bpmn:participant id="pool" name="Ontwerpproef" processRef="{PROCESS_ID}" />
  </bpmn:collaboration>
  <bpmn:process id="{PROCESS_ID}" name="Ontwerpproef" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="{LANE_PR}" name="procesregisseur">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>{CONSULT}</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>{WAIT}</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="{LANE_VT}" name="veilig_thuis">
        <bpmn:flowNodeRef>{ADVICE}</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>einde</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="Vraag" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{CONSULT}" />
    <bpmn:userTask id="{CONSULT}" name="Consultatie geven" camunda:formKey="consultatie_advies" />
    <bpmn:sequenceFlow id="f2" sourceRef="{CONSULT}" targetRef="{WAIT}" />
    <bpmn:intermediateCatchEvent id="{WAIT}" name="Vijf dagen wachten">
      <bpmn:timerEventDefinition id="wacht_timer"><bpmn:timeDuration xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="bpmn:tFormalExpression">"P5D"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="{WAIT}" targetRef="{ADVICE}" />
    <bpmn:userTask id="{ADVICE}" name="Advies aan aanmelder" camunda:formKey="advies_aan_aanmelder" />
    <bpmn:sequenceFlow id="f4" sourceRef="{ADVICE}" targetRef="einde" />
    <bpmn:endEvent id="einde" name="Klaar" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="collab_{PROCESS_ID}">
      <bpmndi:BPMNShape id="pool_di" bpmnElement="pool" isHorizontal="true"><dc:Bounds x="100" y="60" width="760" height="360" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{LANE_PR}_di" bpmnElement="{LANE_PR}" isHorizontal="true"><dc:Bounds x="130" y="60" width="730" height="180" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{LANE_VT}_di" bpmnElement="{LANE_VT}" isHorizontal="true"><dc:Bounds x="130" y="240" width="730" height="180" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="182" y="132" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{CONSULT}_di" bpmnElement="{CONSULT}"><dc:Bounds x="270" y="110" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{WAIT}_di" bpmnElement="{WAIT}"><dc:Bounds x="432" y="132" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{ADVICE}_di" bpmnElement="{ADVICE}"><dc:Bounds x="530" y="290" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="einde_di" bpmnElement="einde"><dc:Bounds x="702" y="312" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="218" y="150" /><di:waypoint x="270" y="150" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="370" y="150" /><di:waypoint x="432" y="150" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="468" y="150" /><di:waypoint x="580" y="150" /><di:waypoint x="580" y="290" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f4_di" bpmnElement="f4"><di:waypoint x="630" y="330" /><di:waypoint x="702" y="330" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""
