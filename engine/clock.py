"""The one clock. Every 'now' of the system comes from here: the wall clock in production, a
simulated clock persisted in the database in demo, training and tests (moved, never slept)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.durations import add_duration
from engine.errors import Forbidden, Invalid
from engine.storage.tables import SystemSetting
from engine.storage.uow import read_only

SIMULATED_NOW_KEY = "simulated_now"
DEFAULT_SIMULATED_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class Clock(Protocol):
    is_simulated: bool

    def now(self) -> datetime: ...


class SystemClock:
    is_simulated = False

    def now(self) -> datetime:
        return datetime.now(UTC)


_NOW = select(SystemSetting.value).where(SystemSetting.key == SIMULATED_NOW_KEY)  # read on every 'now'


class SimulatedClock:
    """A clock whose 'now' is a row in the database, so every process sees the same time."""

    is_simulated = True

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def now(self) -> datetime:
        # A read-only connection: on SQLite it must not queue behind the caller's own write lock.
        with read_only(self.session_factory.kw["bind"]) as connection:
            value = connection.scalar(_NOW)
        return datetime.fromisoformat(value) if value else DEFAULT_SIMULATED_START

    def set(self, moment: datetime, session: Session | None = None) -> datetime:
        """Move the clock to `moment`; inside the caller's transaction when a session is given
        (committed with it), else in one of its own. Raises Invalid (backwards)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
        if session is not None:
            return self._write(session, moment)
        with self.session_factory() as own, own.begin():
            return self._write(own, moment)

    def _write(self, session: Session, moment: datetime) -> datetime:
        row = session.get(SystemSetting, SIMULATED_NOW_KEY, with_for_update=True)  # one mover at a time
        current = datetime.fromisoformat(row.value) if row is not None else DEFAULT_SIMULATED_START
        if current > moment:  # also before the first move: the clock then shows the default start
            raise Invalid("De gesimuleerde klok kan niet terug in de tijd.", code="clock_backwards")
        if row is None:
            session.add(SystemSetting(key=SIMULATED_NOW_KEY, value=moment.isoformat()))
        else:
            row.value = moment.isoformat()
        session.flush()
        return moment

    def advance(self, duration: str) -> datetime:
        """Move time forward by an ISO 8601 duration (P3M, P5D, PT2H). Raises Invalid."""
        return self.set(add_duration(self.now(), duration))


def make_clock(mode: str, session_factory: sessionmaker[Session]) -> Clock:
    if mode == "simulated":
        return SimulatedClock(session_factory)
    return SystemClock()


def require_simulated(clock: Clock) -> SimulatedClock:
    if not isinstance(clock, SimulatedClock):
        raise Forbidden(
            "De klok kan alleen worden verzet met MDA_CLOCK=simulated.", code="clock_not_simulated"
        )
    return clock


def parse_moment(text: str) -> datetime:
    """Parse an ISO 8601 moment; a moment without zone is read as UTC. Raises Invalid."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise Invalid(f"Ongeldig tijdstip: {text!r} (verwacht ISO 8601).", code="bad_moment") from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
