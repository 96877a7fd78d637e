"""The audit trail: append-only events for every change, and the access log (NEN 7513) for every
read of case data by a person. Both are plain inserts in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from engine.runtime import Actor
from engine.storage.tables import AccessLog, Event, User


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
    session.add(
        Event(case_id=case_id, at=at, actor_id=actor.user_id, kind=kind, task_id=task_id, data=data or {})
    )


def log_access(session: Session, at: datetime, actor: Actor, case_id: int, role: str, kind: str) -> None:
    """One access-log row, as one INSERT (no ORM object to flush and read back)."""
    log_accesses(session, at, actor, [(case_id, role)], kind)


def log_accesses(
    session: Session, at: datetime, actor: Actor, reads: list[tuple[int, str]], kind: str
) -> None:
    """One access-log row per (case id, role), written in one statement (a list page)."""
    if actor.user_id is not None and reads:
        rows = [
            {"user_id": actor.user_id, "role": role, "case_id": case_id, "at": at, "kind": kind}
            for case_id, role in reads
        ]
        session.execute(insert(AccessLog), rows)


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
