"""Timing helpers: repeated rounds, median and 95th percentile in milliseconds."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

# For a quick trial of the bench itself only (BENCH_SCALE=0.05): the figures are then not comparable.
SCALE = float(os.environ.get("BENCH_SCALE", "1"))


def timings_ms(action: Callable[[], Any], repeat: int) -> list[float]:
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        found.append((time.perf_counter() - started) * 1000)
    return found


def interleaved_timings_ms(actions: dict[str, Callable[[], Any]], repeat: int) -> dict[str, list[float]]:
    """Timings of several actions taken in turn, round after round, after one untimed warm-up
    round: a burst of load on the machine then falls on all of them alike, not on one's p95."""
    for action in actions.values():
        action()
    found: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            found[name] += timings_ms(action, 1)
    return found


def p50(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=20, method="inclusive")[18], 2)
