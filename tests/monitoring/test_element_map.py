"""The heatmap shows work inside a called process on the call activity of the main diagram that
calls it; elements of the main process map to themselves."""

from __future__ import annotations

from sqlalchemy import select

from engine.monitoring.metrics import element_map
from engine.runtime import Runtime
from engine.storage.tables import ModelVersion


def test_work_inside_a_called_process_shows_on_its_call_activity(rt: Runtime) -> None:
    with rt.uow() as uow:
        spec_json = uow.session.scalar(
            select(ModelVersion.spec_json).where(
                ModelVersion.region == "utrecht", ModelVersion.process_id == "test_flow"
            )
        )
    assert spec_json is not None
    top, names = element_map(spec_json)
    assert top["zet"] == "sub"  # the script task inside test_interval, called by 'sub'
    assert top["plan"] == "plan" and top["wacht"] == "wacht"
    assert names["sub"] == "Interval bepalen" and names["plan"] == "Plan van aanpak maken"
