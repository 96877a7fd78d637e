"""Accounts: users with roles per region, argon2 password hashes and personal API tokens (stored
as SHA-256 digests, revocable). Revoking, deactivating or a new password also ends every browser
session of the person (engine/sessions.py keeps them); login throttling is engine/throttling.py."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from config.settings import REGION_NAMES, REGIONS, ROLES
from engine import throttling
from engine.errors import Conflict, Invalid, NotFound, Unauthenticated
from engine.runtime import Actor, Runtime
from engine.storage.tables import ApiToken, Region, User, UserRole, UserSession
from engine.storage.uow import read_only

_HASHER = PasswordHasher()
DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    organisation: str | None
    roles: list[tuple[str, str]]


def ensure_regions(session: Session) -> None:
    existing = set(session.scalars(select(Region.key)))
    for key in REGIONS:
        if key not in existing:
            session.add(Region(key=key, name=REGION_NAMES[key]))
    session.flush()


def actor_for(session: Session, user_id: int) -> Actor | None:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    roles = session.execute(select(UserRole.region, UserRole.role).where(UserRole.user_id == user_id)).all()
    return Actor(user.id, user.username, frozenset((region, role) for region, role in roles))


def user_info(session: Session, user_id: int) -> UserInfo:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Onbekende gebruiker.", code="unknown_user")
    roles = session.execute(
        select(UserRole.region, UserRole.role).where(UserRole.user_id == user_id).order_by(UserRole.region)
    ).all()
    return UserInfo(user.id, user.username, user.display_name, user.organisation, [(r, o) for r, o in roles])


def add_user(
    rt: Runtime,
    username: str,
    *,
    role: str,
    region: str,
    organisation: str | None = None,
    password: str | None = None,
    display_name: str | None = None,
    is_demo: bool = False,
) -> UserInfo:
    """Create a user, or give an existing user one more role. Raises Invalid."""
    if role not in ROLES:
        raise Invalid(f"Onbekende rol '{role}'. Kies uit: {', '.join(ROLES)}.", code="unknown_role")
    if region not in REGIONS:
        raise Invalid(f"Onbekende regio '{region}'. Kies uit: {', '.join(REGIONS)}.", code="unknown_region")
    if (
        not username
        or len(username) > 80
        or not username.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        raise Invalid(
            "Een gebruikersnaam bestaat uit letters, cijfers, '.', '-' en '_'.", code="bad_username"
        )
    with rt.uow() as uow:
        session = uow.session
        ensure_regions(session)
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(
                username=username, display_name=display_name or username, organisation=organisation,
                password_hash=_HASHER.hash(password) if password else None, is_demo=is_demo,
                created_at=rt.clock.now(),
            )  # fmt: skip
            session.add(user)
            session.flush()
        elif password:
            user.password_hash = _HASHER.hash(password)
            end_user_sessions(session, user.id)
        if organisation:
            user.organisation = organisation
        exists = session.scalar(
            select(UserRole.id).where(
                UserRole.user_id == user.id, UserRole.region == region, UserRole.role == role
            )
        )
        if exists is None:
            session.add(UserRole(user_id=user.id, region=region, role=role))
        uow.commit()
        return user_info(uow.session, user.id)


def create_demo_users(rt: Runtime) -> int:
    """<region>.<role> with password 'demo' for every region and role (CONTRACT §4)."""
    if rt.settings.is_production:
        raise Conflict("Demogebruikers worden niet aangemaakt in productie.", code="demo_in_production")
    count = 0
    now = rt.clock.now()
    with rt.uow() as uow:
        ensure_regions(uow.session)
        existing = set(uow.session.scalars(select(User.username)))
        demo_hash = _HASHER.hash(DEMO_PASSWORD)
        for region in REGIONS:
            for role in ROLES:
                username = f"{region}.{role}"
                if username in existing:
                    continue
                display_name = f"{role.replace('_', ' ').capitalize()} {REGION_NAMES[region]}"
                user = User(
                    username=username, display_name=display_name, organisation="Demo",
                    password_hash=demo_hash, is_demo=True, created_at=now,
                )  # fmt: skip
                uow.session.add(user)
                uow.session.flush()
                uow.session.add(UserRole(user_id=user.id, region=region, role=role))
                count += 1
        uow.commit()
    return count


def authenticate(rt: Runtime, username: str, password: str, address: str) -> Actor:
    """Check a password. Raises TooManyAttempts while this (username, address) pair or this
    address has to wait after failures (engine/throttling.py), Unauthenticated otherwise; demo
    accounts are refused in production."""
    now = rt.wall_clock.now()
    with rt.uow() as uow:
        session = uow.session
        throttling.require_not_throttled(session, now, username, address)
        user = session.scalar(select(User).where(User.username == username))
        if not _password_matches(user.password_hash if user else None, password) or user is None:
            throttling.record_failure(session, now, username, address)
            uow.commit()
            raise Unauthenticated("Onjuiste gebruikersnaam of wachtwoord.", code="bad_credentials")
        if not user.is_active or (user.is_demo and rt.settings.is_production):
            raise Unauthenticated("Dit account is niet actief.", code="inactive_account")
        throttling.forget_pair(session, username, address)
        uow.commit()
        actor = actor_for(session, user.id)
    assert actor is not None
    return actor


def end_user_sessions(session: Session, user_id: int) -> int:
    """End every browser session of one person, inside the caller's unit of work."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def _user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"Onbekende gebruiker '{username}'.", code="unknown_user")
    return user


def set_password(rt: Runtime, username: str, password: str) -> None:
    """A new password; every session of the person ends. Raises NotFound, Invalid (empty)."""
    if not password:
        raise Invalid("Een wachtwoord mag niet leeg zijn.", code="empty_password")
    with rt.uow() as uow:
        user = _user_by_name(uow.session, username)
        user.password_hash = _HASHER.hash(password)
        end_user_sessions(uow.session, user.id)
        uow.commit()


def set_active(rt: Runtime, username: str, *, is_active: bool) -> None:
    """(De)activate an account; deactivating ends its sessions at once (its tokens stop working
    too, as an inactive account has no actor). Raises NotFound."""
    with rt.uow() as uow:
        user = _user_by_name(uow.session, username)
        user.is_active = is_active
        if not is_active:
            end_user_sessions(uow.session, user.id)
        uow.commit()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so timing does not reveal usernames."""
    return _HASHER.hash("not-a-real-password")


def _password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(rt: Runtime, username: str, label: str = "") -> str:
    """A new personal API token; only its digest is stored, so it is shown once. Raises NotFound."""
    token = "mda_" + secrets.token_urlsafe(32)
    with rt.uow() as uow:
        user = _user_by_name(uow.session, username)
        uow.session.add(
            ApiToken(user_id=user.id, token_hash=_digest(token), label=label, created_at=rt.clock.now())
        )
        uow.commit()
    return token


def revoke_tokens(rt: Runtime, username: str) -> int:
    """Revoke every API token of the person and end their browser sessions. Returns how many
    tokens were revoked. Raises NotFound."""
    with rt.uow() as uow:
        user = _user_by_name(uow.session, username)
        end_user_sessions(uow.session, user.id)
        result = uow.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=rt.clock.now())
        )
        uow.commit()
        return int(getattr(result, "rowcount", 0) or 0)


# Who holds a token, with every role, in one statement (a row per role; role NULL for none). It
# runs on every API request, so it is built once and asks the database each time: a revoked token
# or a deactivated account is refused at once, in every process.
_TOKEN_HOLDER = (
    select(User.id, User.username, User.is_demo, UserRole.region, UserRole.role)
    .join(ApiToken, ApiToken.user_id == User.id)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked_at.is_(None),
        User.is_active.is_(True),
    )
)


def actor_for_token(rt: Runtime, token: str) -> Actor | None:
    """The person behind a personal API token: None when it is unknown or revoked, the account is
    inactive, or is a demo account in production."""
    with read_only(rt.db) as connection:
        rows = connection.execute(_TOKEN_HOLDER, {"digest": _digest(token)}).all()
    return actor_from_rows(rows, is_production=rt.settings.is_production)


def actor_from_rows(rows: Sequence[Sequence[Any]], *, is_production: bool) -> Actor | None:
    """An Actor from rows of (user id, username, is_demo, region, role), one per role; None for no
    rows or a demo account in production."""
    if not rows:
        return None
    user_id, username, is_demo = rows[0][0], rows[0][1], rows[0][2]
    if is_demo and is_production:
        return None
    roles = frozenset((row[3], row[4]) for row in rows if row[4] is not None)
    return Actor(user_id, username, roles)


def profile(rt: Runtime, actor: Actor) -> UserInfo:
    """The actor's own account with its roles. Raises Unauthenticated for the system actor."""
    if actor.user_id is None:
        raise Unauthenticated("Niet ingelogd.", code="login_required")
    with rt.uow() as uow:
        return user_info(uow.session, actor.user_id)


def find_user_with_role(session: Session, username: str, region: str, role: str) -> int | None:
    return session.scalar(
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.username == username,
            User.is_active.is_(True),
            UserRole.region == region,
            UserRole.role == role,
        )
    )


def actor_by_username(rt: Runtime, username: str) -> Actor:
    with rt.uow() as uow:
        user_id = uow.session.scalar(select(User.id).where(User.username == username))
        actor = actor_for(uow.session, user_id) if user_id is not None else None
    if actor is None:
        raise NotFound(f"Onbekende gebruiker '{username}'.", code="unknown_user")
    return actor


# ---- web app (issue 9): the login page names the demo users --------------------------------


def demo_usernames(rt: Runtime) -> list[str]:
    """The active demo accounts (password 'demo'), for the login page of a demo installation;
    none in production, where demo accounts are refused anyway."""
    if rt.settings.is_production:
        return []
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(User.username)
                .where(User.is_demo.is_(True), User.is_active.is_(True))
                .order_by(User.id)
            )
        )


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str


def people_with_role(session: Session, region: str, role: str | None) -> list[Person]:
    """Active people holding `role` in the region (any role when None): the choices of a person
    picker and of handing a task to a colleague."""
    query = (
        select(User.username, User.display_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.is_active.is_(True), UserRole.region == region)
        .distinct()
        .order_by(User.display_name, User.username)
    )
    if role is not None:
        query = query.where(UserRole.role == role)
    return [Person(username, name) for username, name in session.execute(query)]
