"""The case's phase follows its work, and while it only waits, the waiting step's phase."""

from __future__ import annotations

import pytest

from engine.runtime import Runtime
from tests.scenarios import walker as w


@pytest.mark.parametrize("region", ["nml", "friesland", "rotterdam"])
def test_a_case_waiting_for_its_evaluation_is_in_monitoring(library_rt: Runtime, region: str) -> None:
    run = w.start(library_rt, region)
    assert run.phase == "triage"
    run.complete_all()
    assert run.open_ids() == [] and "timer_evaluatie" in run.timer_ids()
    assert run.phase == "monitoring"
