"""Telling the sweep that a timer became due earlier than it planned: a transaction that stores a
new or moved timer announces its due moment. On PostgreSQL that is a NOTIFY (delivered at commit,
to every process LISTENing); in the same process the sweep's planner is told directly (SQLite has
no NOTIFY: other processes find the timer by the planner's regular look at the earliest due row)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, event, func
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

CHANNEL = "mda_timers"
log = logging.getLogger(__name__)

_local: list[Callable[[datetime], None]] = []


def announce(session: Session, due_at: datetime) -> None:
    """Within the caller's transaction: a timer is due at `due_at`. Sent once per transaction,
    with the earliest moment, when it commits."""
    pending = session.info.get(_PENDING)
    session.info[_PENDING] = due_at if pending is None else min(pending, due_at)


_PENDING = "mda_timer_due"


@event.listens_for(Session, "before_commit")
def _notify_other_processes(session: Session) -> None:
    due_at = session.info.get(_PENDING)
    if due_at is not None and session.get_bind().dialect.name == "postgresql":
        session.execute(sql_select(func.pg_notify(CHANNEL, due_at.isoformat())))


@event.listens_for(Session, "after_commit")
def _tell_this_process(session: Session) -> None:
    due_at = session.info.pop(_PENDING, None)
    if due_at is not None:
        for listener in list(_local):
            listener(due_at)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def listen_locally(callback: Callable[[datetime], None]) -> Callable[[], None]:
    """Call back on this process's announcements; returns the function that stops it."""
    _local.append(callback)
    return lambda: _local.remove(callback)


def listen_postgresql(
    db: Engine, callback: Callable[[datetime], None], stop: threading.Event
) -> threading.Thread:
    """A daemon thread LISTENing for other processes' announcements (PostgreSQL only)."""

    def run() -> None:
        while not stop.is_set():
            try:
                with db.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    raw = connection.connection.driver_connection
                    assert raw is not None
                    raw.execute(f"LISTEN {CHANNEL}")
                    while not stop.is_set():
                        for note in raw.notifies(timeout=1.0):
                            callback(datetime.fromisoformat(note.payload))
            except Exception:  # noqa: BLE001 - a lost connection: log, wait, listen again
                log.exception("timer notifications: connection lost, listening again")
                stop.wait(5)

    thread = threading.Thread(target=run, name="mda-timer-listen", daemon=True)
    thread.start()
    return thread
