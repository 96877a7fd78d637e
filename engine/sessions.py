"""Browser sessions kept server-side. The cookie carries only a random secret and the database its
SHA-256 digest, so logout, revoked credentials, deactivation and a new password end a session at
once. Idle and absolute lifetimes (config: session_idle_minutes, session_max_hours) run on the wall
clock (`rt.wall_clock`), never on the simulated case clock."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select, update

from engine.accounts import actor_from_rows
from engine.errors import Unauthenticated
from engine.runtime import Actor, Runtime
from engine.storage.tables import User, UserRole, UserSession
from engine.storage.uow import read_only

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


# A session with its person and every role, in one statement (a row per role): asked on every
# request, built once, and never cached, so an ended session is refused at once in every process.
_SESSION_HOLDER = (
    select(
        User.id,
        User.username,
        User.is_demo,
        UserRole.region,
        UserRole.role,
        UserSession.created_at,
        UserSession.last_seen_at,
    )
    .join(UserSession, UserSession.user_id == User.id)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .where(UserSession.id == bindparam("digest"), User.is_active.is_(True))
)


def session_actor(rt: Runtime, secret: str) -> Actor | None:
    """The person behind a session secret, checked on every request: None when the session was
    ended or has expired, or the account is inactive, or is a demo account in production. A read
    only, but for ending an expired session and noting activity (at most once per TOUCH_INTERVAL)."""
    if not secret or len(secret) > 200:
        return None
    now = rt.wall_clock.now()
    idle_before, old_before = _limits(rt, now)
    digest = _digest(secret)
    with read_only(rt.db) as connection:
        rows = connection.execute(_SESSION_HOLDER, {"digest": digest}).all()
    if not rows:
        return None  # no such session, or its account is inactive
    created_at, last_seen_at = rows[0][5], rows[0][6]
    if last_seen_at < idle_before or created_at < old_before:
        end_session(rt, secret)
        return None
    actor = actor_from_rows(rows, is_production=rt.settings.is_production)
    if actor is not None and now - last_seen_at >= TOUCH_INTERVAL:
        with rt.uow() as uow:
            uow.session.execute(update(UserSession).where(UserSession.id == digest).values(last_seen_at=now))
            uow.commit()
    return actor


def end_session(rt: Runtime, secret: str) -> None:
    """Logout: the session's row goes, so a replayed cookie is refused."""
    with rt.uow() as uow:
        uow.session.execute(delete(UserSession).where(UserSession.id == _digest(secret)))
        uow.commit()
