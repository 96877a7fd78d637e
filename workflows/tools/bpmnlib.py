"""Tiny builder for MDA++ Flow BPMN/DMN files with automatic diagram layout.

A process is described with a few calls (start, user, rule, call, xor, ...) and flows;
`to_xml()` writes Camunda-flavoured BPMN 2.0 with bpmndi shapes and edges so that
bpmn-js can show it.  Layout: layered left-to-right (longest path over forward edges),
one horizontal lane per role key.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

# Process ids, form keys, decision ids and variable names are ASCII snake_case; names and labels
# are Dutch.  Every process is written with isExecutable="true" because SpiffWorkflow only calls
# executable processes; only case-startable processes carry a camunda:formKey on their start event.

ROLE_KEYS = ["aanmelder", "veilig_thuis", "procesregisseur", "casusregisseur", "teamlid",
             "coordinator", "procesontwerper", "beheerder"]
PHASES = ["aanmelding", "triage", "analyse", "plan", "monitoring", "opschaling", "afsluiting"]

SIZES = {
    "start": (36, 36), "end": (36, 36), "timer": (36, 36), "message": (36, 36),
    "user": (130, 80), "rule": (130, 80), "script": (130, 80), "call": (130, 80),
    "xor": (50, 50), "par": (50, 50), "evgw": (50, 50),
}
COL_W = 185
ROW_H = 125
LANE_LABEL = 30
POOL_LABEL = 30
X0 = 160 + POOL_LABEL + LANE_LABEL


class Node:
    def __init__(self, kind, id, name, lane, **kw):
        self.kind, self.id, self.name, self.lane = kind, id, name, lane
        self.kw = kw
        self.incoming: list[str] = []
        self.outgoing: list[str] = []
        self.boundaries: list[Node] = []


class Flow:
    def __init__(self, id, src, dst, cond=None, name=None):
        self.id, self.src, self.dst, self.cond, self.name = id, src, dst, cond, name


class Process:
    def __init__(self, id, name, executable, doc=""):
        self.id, self.name, self.executable, self.doc = id, name, executable, doc
        self.nodes: dict[str, Node] = {}
        self.order: list[str] = []
        self.flows: list[Flow] = []
        self.defaults: dict[str, str] = {}
        self.messages: set[str] = set()
        self._last_lane = None

    # ---- elements -------------------------------------------------------------
    def _add(self, kind, id, name, lane, **kw):
        assert id not in self.nodes, id
        explicit = lane is not None
        lane = lane or self._last_lane
        assert lane in ROLE_KEYS, (id, lane)
        self._last_lane = lane
        n = Node(kind, id, name, lane, **kw)
        n.explicit_lane = explicit
        self.nodes[id] = n
        self.order.append(id)
        return id

    def start(self, id, name, lane, form=None, doc=""):
        return self._add("start", id, name, lane, form=form, doc=doc)

    def end(self, id, name, lane=None, terminate=False, doc=""):
        return self._add("end", id, name, lane, terminate=terminate, doc=doc)

    def user(self, id, name, lane, form, phase, doc=""):
        assert phase is None or phase in PHASES, phase
        return self._add("user", id, name, lane, form=form, phase=phase, doc=doc)

    def rule(self, id, name, decision, lane=None, doc=""):
        return self._add("rule", id, name, lane, decision=decision, doc=doc)

    def script(self, id, name, script, lane=None, doc=""):
        return self._add("script", id, name, lane, script=script, doc=doc)

    def call(self, id, name, called, lane=None, doc=""):
        return self._add("call", id, name, lane, called=called, doc=doc)

    def xor(self, id, name="", lane=None, doc=""):
        return self._add("xor", id, name, lane, doc=doc)

    def par(self, id, name="", lane=None):
        return self._add("par", id, name, lane)

    def evgw(self, id, name="", lane=None):
        return self._add("evgw", id, name, lane)

    def timer(self, id, name, expr, lane=None, doc="", phase=None):
        assert phase is None or phase in PHASES, phase
        return self._add("timer", id, name, lane, expr=expr, doc=doc, phase=phase)

    def message(self, id, name, message, lane=None, doc=""):
        self.messages.add(message)
        return self._add("message", id, name, lane, message=message, doc=doc)

    def boundary(self, id, name, host, expr=None, interrupting=False, doc="", message=None):
        h = self.nodes[host]
        if message:
            self.messages.add(message)
        b = Node("boundary", id, name, h.lane, host=host, expr=expr,
                 interrupting=interrupting, doc=doc, message=message)
        self.nodes[id] = b
        h.boundaries.append(b)
        return id

    # ---- flows ----------------------------------------------------------------
    def flow(self, src, dst, cond=None, name=None, default=False):
        fid = f"Flow_{src}__{dst}"
        i = 2
        while any(f.id == fid for f in self.flows):
            fid = f"Flow_{src}__{dst}_{i}"
            i += 1
        f = Flow(fid, src, dst, cond, name)
        self.flows.append(f)
        self.nodes[src].outgoing.append(fid)
        self.nodes[dst].incoming.append(fid)
        if default:
            self.defaults[src] = fid
        return fid

    def chain(self, *ids):
        for a, b in zip(ids, ids[1:], strict=False):
            self.flow(a, b)

    # ---- layout -----------------------------------------------------------------
    def _settle_lanes(self):
        """Gateways, events and ends created without a lane sit in the lane of their predecessor."""
        for _ in range(3):
            for nid in self.order:
                n = self.nodes[nid]
                if n.explicit_lane or n.kind not in ("xor", "par", "evgw", "end", "timer", "message") \
                        or not n.incoming:
                    continue
                flow = next(f for f in self.flows if f.id == n.incoming[0])
                n.lane = self.nodes[flow.src].lane

    def _layout(self):
        self._settle_lanes()
        succ: dict[str, list[str]] = {n: [] for n in self.nodes}
        for f in self.flows:
            succ[f.src].append(f.dst)
        # DFS from starts to find back edges
        starts = [n for n in self.order if self.nodes[n].kind == "start"]
        state: dict[str, int] = {}
        back: set[tuple[str, str]] = set()

        def dfs(u):
            state[u] = 1
            nxt = list(succ[u]) + [b.id for b in self.nodes[u].boundaries]
            for v in nxt:
                if state.get(v) == 1:
                    back.add((u, v))
                elif v not in state:
                    dfs(v)
            state[u] = 2

        for s in starts:
            dfs(s)
        for n in self.order:
            if n not in state:
                dfs(n)
        self.back = back
        layer: dict[str, int] = {}
        # longest path on DAG (forward edges); boundaries share host layer
        preds: dict[str, list[str]] = {n: [] for n in self.nodes}
        for f in self.flows:
            if (f.src, f.dst) not in back:
                preds[f.dst].append(f.src)
        for n in self.nodes.values():
            if n.kind == "boundary":
                preds[n.id].append(n.kw["host"])

        def L(u):
            if u in layer:
                return layer[u]
            layer[u] = 0  # guard
            node = self.nodes[u]
            if node.kind == "boundary":
                v = L(node.kw["host"])
            else:
                v = max([L(p) + 1 for p in preds[u]] or [0])
            layer[u] = v
            return v

        for n in self.nodes:
            L(n)
        # lanes order
        used = []
        for r in ROLE_KEYS:
            if any(n.lane == r for n in self.nodes.values()):
                used.append(r)
        self.lanes = used
        # rows within lanes: assign in order of insertion
        occupied: dict[tuple[str, int], int] = {}
        row: dict[str, int] = {}
        for nid in self.order:
            n = self.nodes[nid]
            key = (n.lane, layer[nid])
            r = occupied.get(key, 0)
            row[nid] = r
            occupied[key] = r + 1
        lane_rows = {ln: 1 for ln in used}
        for (ln, _), cnt in occupied.items():
            lane_rows[ln] = max(lane_rows[ln], cnt)
        lane_y = {}
        y = 80
        for ln in used:
            lane_y[ln] = y
            y += lane_rows[ln] * ROW_H + 20
        self.pool = (160, 80, max(layer.values()) * COL_W + X0 + 160 - 160, y - 80)
        self.lane_box = {ln: (160 + POOL_LABEL, lane_y[ln], self.pool[2] - POOL_LABEL,
                              lane_rows[ln] * ROW_H + 20) for ln in used}
        pos = {}
        for nid in self.order:
            n = self.nodes[nid]
            w, h = SIZES[n.kind]
            cx = X0 + layer[nid] * COL_W + 65
            cy = lane_y[n.lane] + 10 + row[nid] * ROW_H + ROW_H // 2
            pos[nid] = (cx - w // 2, cy - h // 2, w, h)
        for n in self.nodes.values():
            for i, b in enumerate(n.boundaries):
                hx, hy, hw, hh = pos[n.id]
                pos[b.id] = (hx + hw - 36 - 10 - i * 45, hy + hh - 18, 36, 36)
        self.pos = pos
        ncols = max(layer.values()) + 1
        self.gaps = [X0 - 27] + [X0 + c * COL_W + 130 + (COL_W - 130) // 2 for c in range(ncols)]
        self.corridors = []
        for ln in used:
            for r in range(lane_rows[ln]):
                self.corridors.append(lane_y[ln] + 10 + r * ROW_H + 6)
            self.corridors.append(lane_y[ln] + lane_rows[ln] * ROW_H + 14)

    def _edge_points(self, f):
        """Orthogonal route: try a few templates through column gaps and row corridors and keep the
        one that crosses the fewest shapes (then the shortest)."""
        sx, sy, sw, sh = self.pos[f.src]
        tx, ty, tw, th = self.pos[f.dst]
        src_node = self.nodes[f.src]
        sxc, syc, txc, tyc = sx + sw // 2, sy + sh // 2, tx + tw // 2, ty + th // 2
        R, B = (sx + sw, syc), (sxc, sy + sh)
        L, T, Bo = (tx, tyc), (txc, ty), (txc, ty + th)
        exits = [B] if src_node.kind == "boundary" else [R, B]
        gaps = self.gaps
        cands = []
        for ex in exits:
            for g in gaps:
                if ex is R and g <= R[0]:
                    continue
                if g >= L[0]:
                    continue
                if ex is R:
                    cands.append([ex, (g, ex[1]), (g, L[1]), L])
                for cy in self.corridors:
                    if ex is B and cy <= B[1]:
                        continue
                    if ex is R:
                        g1 = min(x for x in gaps if x > R[0])
                        cands.append([ex, (g1, ex[1]), (g1, cy), (g, cy), (g, L[1]), L])
                    else:
                        cands.append([ex, (ex[0], cy), (g, cy), (g, L[1]), L])
            for cy in self.corridors:
                entry = T if cy < ty else Bo
                if ex is B:
                    if cy <= B[1]:
                        continue
                    cands.append([ex, (ex[0], cy), (entry[0], cy), entry])
                else:
                    for g1 in [x for x in gaps if x > R[0]][:1]:
                        cands.append([ex, (g1, ex[1]), (g1, cy), (entry[0], cy), entry])
        if R[1] == L[1] and L[0] > R[0]:
            cands.append([R, L])

        def cost(pts):
            hits = 0
            for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False):
                for k, (bx, by, bw, bh) in self.pos.items():
                    if k in (f.src, f.dst) or self.nodes[k].kind == "boundary":
                        continue
                    if x1 == x2 and bx - 2 < x1 < bx + bw + 2 and min(y1, y2) < by + bh and max(y1, y2) > by:
                        hits += 1
                    if y1 == y2 and by - 2 < y1 < by + bh + 2 and min(x1, x2) < bx + bw and max(x1, x2) > bx:
                        hits += 1
            length = sum(abs(x2 - x1) + abs(y2 - y1) for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False))
            return (hits, len(pts), length)

        best = min(cands, key=cost) if cands else [R, L]
        # drop zero-length legs
        out = [best[0]]
        for p in best[1:]:
            if p != out[-1]:
                out.append(p)
        return out

    # ---- xml ----------------------------------------------------------------------
    def to_xml(self):
        self._layout()
        pid = self.id
        out = []
        a = out.append
        a('<?xml version="1.0" encoding="UTF-8"?>')
        a('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
          'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
          'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
          'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
          'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
          'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
          f'id="Definitions_{pid}" targetNamespace="http://mda-flow.nl/bpmn" '
          'exporter="MDA++ Flow workflows/tools/generate.py" exporterVersion="1">')
        for m in sorted(self.messages):
            a(f'  <bpmn:message id="Message_{m}" name="{m}" />')
        a(f'  <bpmn:collaboration id="Collaboration_{pid}">')
        a(f'    <bpmn:participant id="Participant_{pid}" name={quoteattr(self.name)} processRef="{pid}" />')
        a('  </bpmn:collaboration>')
        a(f'  <bpmn:process id="{pid}" name={quoteattr(self.name)} '
          'isExecutable="true">')  # SpiffWorkflow only calls executable processes
        if self.doc:
            a(f'    <bpmn:documentation>{escape(self.doc)}</bpmn:documentation>')
        a(f'    <bpmn:laneSet id="LaneSet_{pid}">')
        for ln in self.lanes:
            a(f'      <bpmn:lane id="Lane_{pid}_{ln}" name="{ln}">')
            for nid in self.order:
                if self.nodes[nid].lane == ln:
                    a(f'        <bpmn:flowNodeRef>{nid}</bpmn:flowNodeRef>')
                    for b in self.nodes[nid].boundaries:
                        a(f'        <bpmn:flowNodeRef>{b.id}</bpmn:flowNodeRef>')
            a('      </bpmn:lane>')
        a('    </bpmn:laneSet>')
        all_nodes = []
        for nid in self.order:
            all_nodes.append(self.nodes[nid])
            all_nodes.extend(self.nodes[nid].boundaries)
        for n in all_nodes:
            a(self._node_xml(n))
        for f in self.flows:
            attrs = f'id="{f.id}" sourceRef="{f.src}" targetRef="{f.dst}"'
            if f.name:
                attrs += f" name={quoteattr(f.name)}"
            if f.cond:
                a(f'    <bpmn:sequenceFlow {attrs}>')
                a(f'      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(f.cond)}</bpmn:conditionExpression>')
                a('    </bpmn:sequenceFlow>')
            else:
                a(f'    <bpmn:sequenceFlow {attrs} />')
        a('  </bpmn:process>')
        # diagram
        a(f'  <bpmndi:BPMNDiagram id="BPMNDiagram_{pid}">')
        a(f'    <bpmndi:BPMNPlane id="BPMNPlane_{pid}" bpmnElement="Collaboration_{pid}">')
        px, py, pw, ph = self.pool
        a(f'      <bpmndi:BPMNShape id="Participant_{pid}_di" bpmnElement="Participant_{pid}" isHorizontal="true">')
        a(f'        <dc:Bounds x="{px}" y="{py}" width="{pw}" height="{ph}" />')
        a('      </bpmndi:BPMNShape>')
        for ln in self.lanes:
            x, y, w, h = self.lane_box[ln]
            a(f'      <bpmndi:BPMNShape id="Lane_{pid}_{ln}_di" bpmnElement="Lane_{pid}_{ln}" isHorizontal="true">')
            a(f'        <dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" />')
            a('      </bpmndi:BPMNShape>')
        for n in all_nodes:
            x, y, w, h = self.pos[n.id]
            extra = ' isMarkerVisible="true"' if n.kind == "xor" else ""
            a(f'      <bpmndi:BPMNShape id="{n.id}_di" bpmnElement="{n.id}"{extra}>')
            a(f'        <dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" />')
            if n.kind in ("start", "end", "timer", "message", "boundary", "xor", "par", "evgw") and n.name:
                a('        <bpmndi:BPMNLabel>')
                a(f'          <dc:Bounds x="{x - 32}" y="{y + h + 4}" width="{w + 64}" height="27" />')
                a('        </bpmndi:BPMNLabel>')
            a('      </bpmndi:BPMNShape>')
        for f in self.flows:
            a(f'      <bpmndi:BPMNEdge id="{f.id}_di" bpmnElement="{f.id}">')
            for (x, y) in self._edge_points(f):
                a(f'        <di:waypoint x="{x}" y="{y}" />')
            a('      </bpmndi:BPMNEdge>')
        a('    </bpmndi:BPMNPlane>')
        a('  </bpmndi:BPMNDiagram>')
        a('</bpmn:definitions>')
        return "\n".join(out) + "\n"

    def _node_xml(self, n: Node):
        io = "".join(f"\n      <bpmn:incoming>{i}</bpmn:incoming>" for i in n.incoming)
        io += "".join(f"\n      <bpmn:outgoing>{o}</bpmn:outgoing>" for o in n.outgoing)
        doc = n.kw.get("doc") or ""
        docx = f"\n      <bpmn:documentation>{escape(doc)}</bpmn:documentation>" if doc else ""
        nm = f" name={quoteattr(n.name)}" if n.name else ""
        k = n.kind
        if k == "start":
            fk = f' camunda:formKey="{n.kw["form"]}"' if n.kw.get("form") else ""
            return f'    <bpmn:startEvent id="{n.id}"{nm}{fk}>{docx}{io}\n    </bpmn:startEvent>'
        if k == "end":
            td = "\n      <bpmn:terminateEventDefinition />" if n.kw.get("terminate") else ""
            return f'    <bpmn:endEvent id="{n.id}"{nm}>{docx}{io}{td}\n    </bpmn:endEvent>'
        if k == "user":
            ext = ('\n      <bpmn:extensionElements>\n        <camunda:properties>\n'
                   f'          <camunda:property name="phase" value="{n.kw["phase"]}" />\n'
                   '        </camunda:properties>\n      </bpmn:extensionElements>') if n.kw.get("phase") else ""
            return (f'    <bpmn:userTask id="{n.id}"{nm} camunda:formKey="{n.kw["form"]}">'
                    f'{docx}{ext}{io}\n    </bpmn:userTask>')
        if k == "rule":
            return (f'    <bpmn:businessRuleTask id="{n.id}"{nm} camunda:decisionRef="{n.kw["decision"]}">'
                    f'{docx}{io}\n    </bpmn:businessRuleTask>')
        if k == "script":
            return (f'    <bpmn:scriptTask id="{n.id}"{nm} scriptFormat="python">{docx}{io}\n'
                    f'      <bpmn:script>{escape(n.kw["script"])}</bpmn:script>\n    </bpmn:scriptTask>')
        if k == "call":
            return (f'    <bpmn:callActivity id="{n.id}"{nm} calledElement="{n.kw["called"]}">'
                    f'{docx}{io}\n    </bpmn:callActivity>')
        if k == "xor":
            d = f' default="{self.defaults[n.id]}"' if n.id in self.defaults else ""
            return f'    <bpmn:exclusiveGateway id="{n.id}"{nm}{d}>{docx}{io}\n    </bpmn:exclusiveGateway>'
        if k == "par":
            return f'    <bpmn:parallelGateway id="{n.id}"{nm}>{io}\n    </bpmn:parallelGateway>'
        if k == "evgw":
            return f'    <bpmn:eventBasedGateway id="{n.id}"{nm}>{io}\n    </bpmn:eventBasedGateway>'
        if k == "timer":
            if n.kw.get("phase"):
                docx += ('\n      <bpmn:extensionElements>\n        <camunda:properties>\n'
                         f'          <camunda:property name="phase" value="{n.kw["phase"]}" />\n'
                         '        </camunda:properties>\n      </bpmn:extensionElements>')
            return (f'    <bpmn:intermediateCatchEvent id="{n.id}"{nm}>{docx}{io}\n'
                    f'      <bpmn:timerEventDefinition id="{n.id}_def">\n'
                    f'        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{escape(n.kw["expr"])}</bpmn:timeDuration>\n'
                    f'      </bpmn:timerEventDefinition>\n    </bpmn:intermediateCatchEvent>')
        if k == "message":
            return (f'    <bpmn:intermediateCatchEvent id="{n.id}"{nm}>{docx}{io}\n'
                    f'      <bpmn:messageEventDefinition id="{n.id}_def" messageRef="Message_{n.kw["message"]}" />\n'
                    f'    </bpmn:intermediateCatchEvent>')
        if k == "boundary":
            ca = "true" if n.kw["interrupting"] else "false"
            head = (f'    <bpmn:boundaryEvent id="{n.id}"{nm} cancelActivity="{ca}" attachedToRef="{n.kw["host"]}">'
                    f'{docx}{io}\n')
            if n.kw.get("message"):
                return (head + f'      <bpmn:messageEventDefinition id="{n.id}_def" '
                        f'messageRef="Message_{n.kw["message"]}" />\n    </bpmn:boundaryEvent>')
            return (head +
                    f'      <bpmn:timerEventDefinition id="{n.id}_def">\n'
                    f'        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{escape(n.kw["expr"])}</bpmn:timeDuration>\n'
                    f'      </bpmn:timerEventDefinition>\n    </bpmn:boundaryEvent>')
        raise ValueError(k)


# ---- DMN ---------------------------------------------------------------------------
class Decision:
    """A decision table.  inputs: list of (label, expression); outputs: list of (label, name);
    rules: list of (input entries, output entries, annotation)."""

    def __init__(self, id, name, hit_policy, inputs, outputs, doc=""):
        assert hit_policy in ("UNIQUE", "COLLECT")
        self.id, self.name, self.hit, self.inputs, self.outputs, self.doc = (
            id, name, hit_policy, inputs, outputs, doc)
        self.rules = []

    def rule(self, ins, outs, note=""):
        assert len(ins) == len(self.inputs), (self.id, ins)
        assert len(outs) == len(self.outputs), (self.id, outs)
        self.rules.append((ins, outs, note))

    def to_xml(self):
        d = self.id
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" '
               f'id="Definitions_{d}" name={quoteattr(self.name)} namespace="http://mda-flow.nl/dmn">',
               f'  <decision id="{d}" name={quoteattr(self.name)}>']
        if self.doc:
            out.append(f'    <description>{escape(self.doc)}</description>')
        out.append(f'    <decisionTable id="DecisionTable_{d}" hitPolicy="{self.hit}">')
        for i, (label, expr) in enumerate(self.inputs):
            out.append(f'      <input id="Input_{d}_{i}" label={quoteattr(label)}>')
            out.append(f'        <inputExpression id="InputExpression_{d}_{i}" typeRef="string">')
            out.append(f'          <text>{escape(expr)}</text>')
            out.append('        </inputExpression>')
            out.append('      </input>')
        for i, (label, name) in enumerate(self.outputs):
            out.append(f'      <output id="Output_{d}_{i}" label={quoteattr(label)} name="{name}" typeRef="string" />')
        for r, (ins, outs, note) in enumerate(self.rules, 1):
            out.append(f'      <rule id="Rule_{d}_{r}">')
            if note:
                out.append(f'        <description>{escape(note)}</description>')
            for i, e in enumerate(ins):
                out.append(f'        <inputEntry id="InputEntry_{d}_{r}_{i}">')
                out.append(f'          <text>{escape(e if e is not None else "-")}</text>')
                out.append('        </inputEntry>')
            for i, e in enumerate(outs):
                out.append(f'        <outputEntry id="OutputEntry_{d}_{r}_{i}">')
                out.append(f'          <text>{escape(e)}</text>')
                out.append('        </outputEntry>')
            out.append('      </rule>')
        out.append('    </decisionTable>')
        out.append('  </decision>')
        out.append('</definitions>')
        return "\n".join(out) + "\n"
