"""Calendar functions for BPMN scripts and DMN cells: a model records when something started
(`traject_start = vandaag()`) and a later decision reads how long ago that was
(`maanden_sinds(traject_start) >= 12`), so a duration comes from the case, not from a typed number.

"Today" is the moment of the engine operation under way: engine/workflow.py points SpiffWorkflow's
timer module at the project's clock, and these functions read the same clock, so on the simulated
clock a script and a timer agree."""

from __future__ import annotations

from datetime import UTC, date

import SpiffWorkflow.bpmn.specs.event_definitions.timer as spiff_timer


def vandaag() -> str:
    """Today's date (YYYY-MM-DD) on the engine's clock."""
    return str(spiff_timer.datetime.now(UTC).date().isoformat())


def maanden_sinds(datum: object) -> int:
    """Whole calendar months from `datum` (YYYY-MM-DD) to today; 0 for a date in the future.
    A missing or unreadable date counts as 0 months, so a rule that needs a minimum refuses."""
    if not isinstance(datum, str):
        return 0
    try:
        start = date.fromisoformat(datum[:10])
    except ValueError:
        return 0
    today = spiff_timer.datetime.now(UTC).date()
    months = (today.year - start.year) * 12 + today.month - start.month - int(today.day < start.day)
    return max(int(months), 0)
