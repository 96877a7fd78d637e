"""Generate workflows/common, workflows/regions/<region> and forms/definitions from the compact
descriptions in model_common.py, model_regions.py, forms_def.py and forms_region.py.

usage: .venv/bin/python workflows/tools/generate.py [PROJECT_ROOT]   (default: the project this file lies in)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from forms_def import COMMON_FORMS  # noqa: E402
from forms_region import REGION_FORMS  # noqa: E402
from model_common import common_decisions, common_processes  # noqa: E402
from model_regions import REGION_DECISIONS, REGION_PROCESSES  # noqa: E402


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def main(root):
    wf = os.path.join(root, "workflows")
    used_forms = set()
    for p in common_processes():
        write(os.path.join(wf, "common", p.id + ".bpmn"), p.to_xml())
        used_forms |= {n.kw["form"] for n in p.nodes.values() if n.kw.get("form")}
    for d in common_decisions():
        write(os.path.join(wf, "common", d.id + ".dmn"), d.to_xml())
    for region, makers in REGION_PROCESSES.items():
        for mk in makers:
            p = mk()
            write(os.path.join(wf, "regions", region, p.id + ".bpmn"), p.to_xml())
            used_forms |= {n.kw["form"] for n in p.nodes.values() if n.kw.get("form")}
        for mk in REGION_DECISIONS[region]:
            d = mk()
            write(os.path.join(wf, "regions", region, d.id + ".dmn"), d.to_xml())
    forms = {}
    for f in COMMON_FORMS + REGION_FORMS:
        assert f["key"] not in forms, f["key"]
        names = [x["name"] for x in f["fields"]]
        assert len(names) == len(set(names)), (f["key"], names)
        forms[f["key"]] = f
    missing = used_forms - set(forms)
    unused = set(forms) - used_forms
    assert not missing, f"forms missing: {missing}"
    if unused:
        print("warning: unused forms", sorted(unused))
    for key, f in forms.items():
        write(os.path.join(root, "forms", "definitions", key + ".json"),
              json.dumps(f, ensure_ascii=False, indent=2) + "\n")
    print(f"written: {len(forms)} forms")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(HERE)))
