"""Where SpiffWorkflow's timers meet the project's clock. Spiff reads "now" inside its timer
module; `use_clock` sets that now for the duration of one engine operation, so simulated time
moves the engine too. Only this module decides what Spiff believes the time is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.spiff import private_api

_engine_now: ContextVar[datetime | None] = ContextVar("mda_engine_now", default=None)

# Spiff fires a timer only when its moment is strictly past; ours are due *at* their moment
# (advancing the clock by exactly P3M makes a P3M timer fire), so timers are checked this much later.
DUE_TOLERANCE = timedelta(microseconds=1)


class _ClockDatetime(datetime):
    """Stands in for `datetime` inside Spiff's timer module: now() is the moment of the engine
    operation under way, taken once from the project's clock by the caller."""

    @classmethod
    def now(cls, tz: Any = None) -> _ClockDatetime:
        moment = _engine_now.get()
        if moment is None:  # outside an engine operation; the engine never relies on this
            moment = datetime.now(UTC)
        moment = moment if tz is None else moment.astimezone(tz)
        return cls.fromtimestamp(moment.timestamp(), moment.tzinfo)


private_api.install_timer_clock(_ClockDatetime)


@contextmanager
def use_clock(now: datetime) -> Iterator[None]:
    """Spiff's timers see `now` as the current moment inside this block."""
    token = _engine_now.set(now)
    try:
        yield
    finally:
        _engine_now.reset(token)
