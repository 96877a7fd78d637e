"""A small process with a diagram (bpmn-js shows only what has DI) for the designer's browser test:
two lanes, start → consultation → wait five days → advice → end. It is published as a process of
its own, so the shared live server's main processes stay as they are for the other tests."""

from __future__ import annotations

from tests.conftest import FIXTURES

PROCESS_ID = "ontwerp_proef"
MODEL = (FIXTURES / "designer" / f"{PROCESS_ID}.bpmn").read_text(encoding="utf-8")
