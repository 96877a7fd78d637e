"""Notifications: an in-app notice per person (count, list, read/unread) and, when that person
has an e-mail address, a mail waiting in the outbox (mailer.py). A notice carries a reference
and a link only, never case details. Its dedupe key is unique, so one event notifies once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.errors import Invalid, NotFound
from engine.runtime import Actor, Runtime
from engine.storage.tables import Notification, User


@dataclass(frozen=True)
class NotificationInfo:
    id: int
    kind: str
    text: str
    link: str
    case_id: int | None
    created_at: datetime
    is_read: bool


def insert_ignoring_duplicates(session: Session, table: Any, values: dict[str, object]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on either database; True when the row was new."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**values).on_conflict_do_nothing().returning(table.id)
    return session.execute(statement).first() is not None  # rowcount is -1 on psycopg


def notify(
    session: Session,
    now: datetime,
    user_ids: Iterable[int],
    *,
    key: str,
    kind: str,
    text: str,
    link: str,
    case_id: int | None = None,
    escalation_id: int | None = None,
) -> int:
    """One notice per person for the event named by `key`; returns how many were new."""
    ids = sorted(set(user_ids))
    if not ids:
        return 0
    mail_to = dict(session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())
    created = 0
    for user_id in ids:
        created += insert_ignoring_duplicates(
            session,
            Notification,
            {
                "dedupe_key": f"{key}:{user_id}",
                "user_id": user_id,
                "case_id": case_id,
                "escalation_id": escalation_id,
                "kind": kind,
                "text": text[:300],
                "link": link[:200],
                "created_at": now,
                "mail_status": "pending" if mail_to.get(user_id) else "none",
            },
        )
    return created


def unread_count(rt: Runtime, actor: Actor) -> int:
    """For the page header: the actor's unread notices."""
    if actor.user_id is None:
        return 0
    with rt.uow() as uow:
        query = select(func.count(Notification.id)).where(
            Notification.user_id == actor.user_id, Notification.read_at.is_(None)
        )
        return uow.session.scalar(query) or 0


def list_notifications(
    rt: Runtime, actor: Actor, *, unread_only: bool = False, limit: int = 50
) -> list[NotificationInfo]:
    """The actor's own notices, newest first."""
    query = select(Notification).where(Notification.user_id == actor.user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    with rt.uow() as uow:
        rows = uow.session.scalars(query.order_by(Notification.id.desc()).limit(limit)).all()
        return [
            NotificationInfo(n.id, n.kind, n.text, n.link, n.case_id, n.created_at, n.read_at is not None)
            for n in rows
        ]


def mark_read(rt: Runtime, actor: Actor, notification_id: int | None, *, is_read: bool = True) -> int:
    """Mark one notice (or, with None, all of the actor's) read or unread. Raises NotFound."""
    now = rt.clock.now()
    query = update(Notification).where(Notification.user_id == actor.user_id)
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    with rt.uow() as uow:
        changed = int(
            getattr(uow.session.execute(query.values(read_at=now if is_read else None)), "rowcount", 0)
        )
        if notification_id is not None and changed == 0:
            raise NotFound("Deze melding bestaat niet.", code="notification_not_found")
        uow.commit()
        return changed


def set_email(rt: Runtime, username: str, email: str | None) -> None:
    """Where a person's notifications are mailed (None: in-app only). Raises NotFound, Invalid."""
    if email is not None and ("@" not in email or len(email) > 254 or any(c in email for c in " \r\n<>,")):
        raise Invalid("Geen geldig e-mailadres.", code="invalid_email", details={"email": ["Ongeldig."]})
    with rt.uow() as uow:
        user = uow.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"Onbekende gebruiker '{username}'.", code="unknown_user")
        user.email = email
        uow.commit()
