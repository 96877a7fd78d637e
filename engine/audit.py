"""The audit trail: append-only events for every change, and the access log (NEN 7513) for every
read of case data by a person. Both are plain inserts in the caller's transaction; the events of a
transaction are written together, in one statement, before it flushes, reads or commits (on
PostgreSQL with the COMMIT, in its round trip)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, event, insert, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from engine.runtime import Actor
from engine.storage.tables import AccessLog, Event, User
from engine.storage.with_commit import send_with_commit


@dataclass(frozen=True)
class EventInfo:
    id: int
    at: datetime
    kind: str
    actor: str
    task_id: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class AccessInfo:
    at: datetime
    username: str
    role: str
    kind: str


def record(
    session: Session,
    at: datetime,
    actor: Actor,
    case_id: int | None,
    kind: str,
    *,
    task_id: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """An event in the caller's transaction. Kept with the session until it next flushes, reads
    with autoflush or commits, and then written with the others in one statement: the unit of
    work would insert them one by one, each fetching an id nobody reads."""
    if not session.in_transaction():
        session.begin()  # a rollback or close of this transaction forgets the event (`_forget`)
    row = {"case_id": case_id, "at": at, "actor_id": actor.user_id, "kind": kind, "task_id": task_id}
    session.info.setdefault(_PENDING, []).append(row | {"data": data or {}})


def write_pending(session: Session) -> None:
    """Write the events recorded in this transaction and not written yet, in order."""
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.execute(_INSERT_EVENTS, rows)  # Core: no autoflush


_EVENTS = cast(Table, Event.__table__)
_INSERT_EVENTS = insert(_EVENTS).inline()  # inline: no RETURNING of an id nobody reads, even for one row
_PENDING = "mda_pending_events"
_SAVEPOINTS = "mda_events_at_savepoint"


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    write_pending(session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """On PostgreSQL the events go with the COMMIT, in its round trip, after everything the commit
    flushes (still in the transaction: if they fail, nothing is committed)."""
    rows = session.info.get(_PENDING)
    if rows and send_with_commit(session, _INSERT_EVENTS, rows):
        session.info.pop(_PENDING)
    write_pending(session)


@event.listens_for(Session, "do_orm_execute")
def _before_read(state: ORMExecuteState) -> None:
    """A read in the transaction sees its events, as it sees the objects autoflush writes."""
    if state.is_select and state.session.autoflush and state.session.info.get(_PENDING):
        write_pending(state.session)


@event.listens_for(Session, "after_transaction_create")
def _at_savepoint(session: Session, transaction: SessionTransaction) -> None:
    """A savepoint remembers which events were pending when it began: rolled back, they are
    pending again (if the savepoint wrote them, its rollback took them out of the database)."""
    if transaction.nested:
        session.info.setdefault(_SAVEPOINTS, {})[transaction] = list(session.info.get(_PENDING, []))


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction: SessionTransaction) -> None:
    saved = session.info.get(_SAVEPOINTS, {}).pop(previous_transaction, None)
    if previous_transaction.nested:
        session.info[_PENDING] = saved or []
    elif previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_transaction_end")
def _end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # committed (written) or rolled back or closed: nothing pends
        session.info.pop(_PENDING, None)
        session.info.pop(_SAVEPOINTS, None)


def log_access(session: Session, at: datetime, actor: Actor, case_id: int, role: str, kind: str) -> None:
    """One access-log row, as one INSERT (no ORM object to flush and read back)."""
    log_accesses(session, at, actor, [(case_id, role)], kind)


def log_accesses(
    session: Session, at: datetime, actor: Actor, reads: list[tuple[int, str]], kind: str
) -> None:
    """One access-log row per (case id, role), written in one statement (a list page): a single
    multi-row INSERT, which the database runs once rather than once per row."""
    if actor.user_id is not None and reads:
        rows = [
            {"user_id": actor.user_id, "role": role, "case_id": case_id, "at": at, "kind": kind}
            for case_id, role in reads
        ]
        session.execute(_INSERT_ACCESS, rows)


_ACCESS_LOG = cast(Table, AccessLog.__table__)
# With RETURNING, SQLAlchemy sends the rows of one execution as a single multi-row INSERT whose
# one-row form it compiles once ("insertmanyvalues"); the ids are not used. The values written into
# the statement instead made it be built and compiled anew for every page: ~6 ms CPU for 50 rows.
_INSERT_ACCESS = insert(_ACCESS_LOG).returning(_ACCESS_LOG.c.id)


def history(session: Session, case_id: int) -> list[EventInfo]:
    rows = session.execute(
        select(Event, User.username)
        .outerjoin(User, User.id == Event.actor_id)
        .where(Event.case_id == case_id)
        .order_by(Event.id)
    )
    return [EventInfo(e.id, e.at, e.kind, name or "systeem", e.task_id, e.data) for e, name in rows]


def access_entries(session: Session, case_id: int) -> list[AccessInfo]:
    rows = session.execute(
        select(AccessLog, User.username)
        .join(User, User.id == AccessLog.user_id)
        .where(AccessLog.case_id == case_id)
        .order_by(AccessLog.id)
    )
    return [AccessInfo(a.at, name, a.role, a.kind) for a, name in rows]
