"""The process designer's costs on the real library: checking a region's main process as one
edits (every keystroke pause sends one check), comparing two regions' processes, the outline,
and starting a trial case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine import model_compare, model_outline, model_trials, process_models
from engine.accounts import actor_by_username
from engine.runtime import Runtime

Timer = Callable[[Callable[[], Any], int], float]


def run(rt: Runtime, median_ms: Timer) -> dict[str, Any]:
    designer = actor_by_username(rt, "utrecht.procesontwerper")
    with rt.uow() as uow:
        live = {
            (v.region, v.process_id): v
            for region in ("utrecht", "rotterdam")
            for v in process_models.list_versions(uow.session, region)
            if v.status == "published"
        }
        utrecht = process_models.get_source(uow.session, "utrecht", live[("utrecht", "mda_utrecht")].id)
        rotterdam = process_models.get_source(
            uow.session, "rotterdam", live[("rotterdam", "mda_rotterdam")].id
        )
    version_id = live[("utrecht", "mda_utrecht")].id
    return {
        "model_bytes": len(utrecht.encode("utf-8")),
        "check_ms": median_ms(
            lambda: process_models.check_problems(rt, designer, "utrecht", utrecht, "mda_utrecht.bpmn"), 10
        ),
        "compare_regions_ms": median_ms(lambda: model_compare.compare_texts(rotterdam, utrecht), 10),
        "outline_ms": median_ms(lambda: model_outline.outline(utrecht), 10),
        "trial_start_ms": median_ms(lambda: model_trials.start_trial(rt, designer, "utrecht", version_id), 5),
    }
