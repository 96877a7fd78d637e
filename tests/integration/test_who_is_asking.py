"""Who is asking is answered on every request (issue 13): a token or a session with its person
and every role in one statement, asked of the database each time (never cached), so revoking,
deactivating and logging out still take effect at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from engine import accounts, sessions
from engine.runtime import Runtime
from tests.sql import statements

USER = "vraag.procesregisseur"


def person_with_two_roles(rt: Runtime) -> accounts.UserInfo:
    accounts.add_user(rt, USER, role="procesregisseur", region="utrecht")
    return accounts.add_user(rt, USER, role="coordinator", region="nml")


def test_a_token_gives_its_person_with_every_role_in_one_statement(rt: Runtime) -> None:
    info = person_with_two_roles(rt)
    token = accounts.create_token(rt, USER)
    with statements(rt) as sent:
        actor = accounts.actor_for_token(rt, token)
    assert len(sent) == 1
    assert actor is not None
    assert (actor.user_id, actor.username) == (info.id, USER)
    assert actor.roles == {("utrecht", "procesregisseur"), ("nml", "coordinator")}


def test_an_unknown_revoked_or_deactivated_token_gives_nobody(rt: Runtime) -> None:
    person_with_two_roles(rt)
    token = accounts.create_token(rt, USER)
    assert accounts.actor_for_token(rt, token + "x") is None
    accounts.set_active(rt, USER, is_active=False)
    assert accounts.actor_for_token(rt, token) is None
    accounts.set_active(rt, USER, is_active=True)
    assert accounts.actor_for_token(rt, token) is not None
    accounts.revoke_tokens(rt, USER)
    assert accounts.actor_for_token(rt, token) is None


def test_a_demo_token_gives_nobody_in_production(rt: Runtime) -> None:
    token = accounts.create_token(rt, "utrecht.teamlid")
    assert accounts.actor_for_token(rt, token) is not None
    production = dataclasses.replace(rt, settings=rt.settings.with_overrides(env="production"))
    assert accounts.actor_for_token(production, token) is None


class Clock:
    is_simulated = False

    def __init__(self, rt: Runtime) -> None:
        self.moment = rt.clock.now()

    def now(self) -> Any:
        return self.moment


def signed_in(rt: Runtime) -> tuple[Runtime, Clock, str]:
    person_with_two_roles(rt)
    clock = Clock(rt)
    on_wall = dataclasses.replace(rt, wall_clock=clock)
    actor = accounts.actor_by_username(on_wall, USER)
    return on_wall, clock, sessions.start_session(on_wall, actor)


def test_a_session_gives_its_person_in_one_statement_and_notes_activity_once_a_minute(rt: Runtime) -> None:
    on_wall, clock, secret = signed_in(rt)
    with statements(rt) as sent:
        actor = sessions.session_actor(on_wall, secret)
    assert len(sent) == 1  # nothing written within the touch interval
    assert actor is not None and actor.roles == {("utrecht", "procesregisseur"), ("nml", "coordinator")}
    clock.moment += sessions.TOUCH_INTERVAL
    with statements(rt) as sent:
        assert sessions.session_actor(on_wall, secret) == actor
    assert len(sent) == 2 and sent[1].startswith("UPDATE user_sessions")
    # The activity was noted: the session outlives its idle limit counted from the start.
    idle = timedelta(minutes=rt.settings.session_idle_minutes)
    clock.moment += idle - sessions.TOUCH_INTERVAL
    assert sessions.session_actor(on_wall, secret) == actor


ENDINGS: dict[str, Callable[[Runtime, str], object]] = {
    "logout": lambda rt, secret: sessions.end_session(rt, secret),
    "deactivation": lambda rt, _secret: accounts.set_active(rt, USER, is_active=False),
    "revocation": lambda rt, _secret: accounts.revoke_tokens(rt, USER),
}


def test_an_ended_or_idle_session_gives_nobody(rt: Runtime) -> None:
    for ending in ENDINGS.values():
        on_wall, _clock, secret = signed_in(rt)
        assert sessions.session_actor(on_wall, secret) is not None
        ending(on_wall, secret)
        assert sessions.session_actor(on_wall, secret) is None
        accounts.set_active(rt, USER, is_active=True)
    on_wall, clock, secret = signed_in(rt)
    clock.moment += timedelta(minutes=rt.settings.session_idle_minutes, seconds=1)
    assert sessions.session_actor(on_wall, secret) is None
    clock.moment -= timedelta(minutes=rt.settings.session_idle_minutes, seconds=1)
    assert sessions.session_actor(on_wall, secret) is None  # the idle session was ended, not only refused
