"""The simulated clock as a beheerder reads and moves it through the API (CONTRACT §5 clock):
only in simulated mode, never backwards, never past MAX_MOMENT. Each move is followed by one timer
sweep, so what became due has happened when the call returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from engine import access, audit, timers
from engine.clock import parse_moment, require_simulated
from engine.durations import add_duration
from engine.errors import Invalid
from engine.runtime import Actor, Runtime

# Far enough for any training scenario, near enough that every timer still fits the calendar.
MAX_MOMENT = datetime(2200, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ClockState:
    now: datetime
    is_simulated: bool
    cases_advanced: int = 0


def show(rt: Runtime, actor: Actor) -> ClockState:
    """Raises Forbidden (not a beheerder, or the clock is not simulated)."""
    access.require_anywhere(actor, "move_clock")
    return ClockState(require_simulated(rt.clock).now(), is_simulated=True)


def move(rt: Runtime, actor: Actor, *, advance: str | None = None, moment: str | None = None) -> ClockState:
    """Advance by an ISO 8601 duration or set to an ISO moment, then sweep the due timers.
    Raises Forbidden (not a beheerder, or the clock is not simulated), Invalid (bad or backwards
    value, or both or neither given)."""
    access.require_anywhere(actor, "move_clock")
    clock = require_simulated(rt.clock)
    if (advance is None) == (moment is None):
        raise Invalid("Geef 'advance' (een duur) of 'set' (een tijdstip), niet beide.", code="bad_clock_move")
    before = clock.now()
    target = add_duration(before, advance) if advance is not None else parse_moment(moment or "")
    if target > MAX_MOMENT:
        raise Invalid(f"De klok gaat niet verder dan {MAX_MOMENT.date().isoformat()}.", code="clock_too_far")
    now = clock.set(target)
    with rt.uow() as uow:
        audit.record(uow.session, now, actor, None, "clock_moved",
                     data={"from": before.isoformat(), "to": now.isoformat()})  # fmt: skip
        uow.commit()
    sweep = timers.run_due(rt)
    return ClockState(now, is_simulated=True, cases_advanced=sweep.cases_advanced)
