"""Browser sessions kept server-side. The cookie carries only a random secret and the database its
SHA-256 digest, so logout, revoked credentials, deactivation and a new password end a session at
once. Idle and absolute lifetimes (config: session_idle_minutes, session_max_hours) run on the wall
clock (`rt.wall_clock`), never on the simulated case clock."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_

from engine.accounts import actor_for
from engine.errors import Unauthenticated
from engine.runtime import Actor, Runtime
from engine.storage.tables import User, UserSession

# last_seen_at is written at most this often, so a busy page does not write on every request.
TOUCH_INTERVAL = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _limits(rt: Runtime, now: datetime) -> tuple[datetime, datetime]:
    """(last seen before this is idle too long, created before this is too old)."""
    idle = timedelta(minutes=rt.settings.session_idle_minutes)
    return now - idle, now - timedelta(hours=rt.settings.session_max_hours)


def start_session(rt: Runtime, actor: Actor) -> str:
    """A new session for a person who just proved who they are; returns the secret for the cookie.
    Raises Unauthenticated for the system actor."""
    if actor.user_id is None:
        raise Unauthenticated("Het systeem logt niet in.", code="login_required")
    secret = secrets.token_urlsafe(32)
    now = rt.wall_clock.now()
    idle_before, old_before = _limits(rt, now)
    with rt.uow() as uow:
        uow.session.execute(  # expired sessions of anyone go as new ones come
            delete(UserSession).where(
                or_(UserSession.last_seen_at < idle_before, UserSession.created_at < old_before)
            )
        )
        row = UserSession(id=_digest(secret), user_id=actor.user_id, created_at=now, last_seen_at=now)
        uow.session.add(row)
        uow.commit()
    return secret


def session_actor(rt: Runtime, secret: str) -> Actor | None:
    """The person behind a session secret, checked on every request: None when the session was
    ended or has expired, or the account is inactive, or is a demo account in production."""
    if not secret or len(secret) > 200:
        return None
    now = rt.wall_clock.now()
    idle_before, old_before = _limits(rt, now)
    with rt.uow() as uow:
        row = uow.session.get(UserSession, _digest(secret))
        if row is None:
            return None
        if row.last_seen_at < idle_before or row.created_at < old_before:
            uow.session.delete(row)
            uow.commit()
            return None
        actor = actor_for(uow.session, row.user_id)
        if actor is None or (rt.settings.is_production and uow.session.get_one(User, row.user_id).is_demo):
            return None
        if now - row.last_seen_at >= TOUCH_INTERVAL:
            row.last_seen_at = now
            uow.commit()
        return actor


def end_session(rt: Runtime, secret: str) -> None:
    """Logout: the session's row goes, so a replayed cookie is refused."""
    with rt.uow() as uow:
        uow.session.execute(delete(UserSession).where(UserSession.id == _digest(secret)))
        uow.commit()
