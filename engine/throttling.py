"""Login throttling that slows a guesser down without locking the owner out. Failures count per
(username, address) pair and per address; past a few free failures each one doubles the wait
before that guesser is heard again. The owner, signing in from another address, is never kept
out. Time is the wall clock (`rt.wall_clock`), never the simulated case clock, so the limits also
expire in demo mode, where the case clock may stand still."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from engine.errors import TooManyAttempts
from engine.storage.tables import LoginFailure

FREE_FAILURES_PER_PAIR = 3
FREE_FAILURES_PER_ADDRESS = 20  # one address trying many usernames
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=15)
MEMORY = timedelta(hours=24)  # failures older than this are forgotten


def delay_after(failures: int, free: int) -> timedelta:
    """How long to wait after the last of `failures` failures: nothing while they are free, then
    2 s, 4 s, 8 s ... up to MAX_DELAY."""
    if failures < free:
        return timedelta(0)
    doublings: int = min(failures - free, 20)
    return min(MAX_DELAY, FIRST_DELAY * (1 << doublings))


def require_not_throttled(session: Session, now: datetime, username: str, address: str) -> None:
    """Raises TooManyAttempts (with retry_after in seconds) while this guesser has to wait.
    Attempts from one address take turns until their transaction ends (SQLite's single writer
    does this already), so parallel guesses cannot all slip through before a failure counts."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"login:{address[:64]}"}
        )
    recent = select(func.count(), func.max(LoginFailure.at)).where(
        LoginFailure.address == address[:64], LoginFailure.at >= now - MEMORY
    )
    pair = session.execute(recent.where(LoginFailure.username == username[:80])).one()
    by_address = session.execute(recent).one()
    waits = [
        last + delay_after(count, free)
        for (count, last), free in ((pair, FREE_FAILURES_PER_PAIR), (by_address, FREE_FAILURES_PER_ADDRESS))
        if last is not None
    ]
    wait_until = max(waits, default=now)
    if wait_until > now:
        seconds = math.ceil((wait_until - now).total_seconds())
        wait = f"{seconds} seconden" if seconds < 120 else f"{math.ceil(seconds / 60)} minuten"
        message = f"Te veel mislukte pogingen; probeer het over {wait} opnieuw."
        raise TooManyAttempts(message, retry_after=seconds)


def record_failure(session: Session, now: datetime, username: str, address: str) -> None:
    """Count one failed attempt (and forget failures older than MEMORY)."""
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - MEMORY))
    session.add(LoginFailure(username=username[:80], address=address[:64], at=now))


def forget_pair(session: Session, username: str, address: str) -> None:
    """After a successful login: this pair starts afresh (other guessers stay slowed down)."""
    pair = (LoginFailure.username == username[:80], LoginFailure.address == address[:64])
    session.execute(delete(LoginFailure).where(*pair))
