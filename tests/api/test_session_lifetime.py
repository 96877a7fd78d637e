"""Sessions are kept server-side (issue 8): a cookie replayed after logout, after the person's
tokens were revoked, after deactivation or after a new password is refused with 401 at once; an
idle or too old session ends on the wall clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine import accounts
from tests.api.conftest import Api, Client, ManualClock, assert_error

USER = "sessie.procesregisseur"  # made per test, so demo accounts stay as they are
PASSWORD = "een lang wachtwoord"


@pytest.fixture(autouse=True)
def user(api: Api) -> None:
    accounts.add_user(api.rt, USER, role="procesregisseur", region="utrecht", password=PASSWORD)


def replay(api: Api, client: Client) -> Client:
    """A second client that only carries a copy of the first one's cookie and CSRF token."""
    thief = api.anonymous()
    thief.cookies.update(client.cookies)
    thief.headers["X-CSRFToken"] = client.headers["X-CSRFToken"]
    return thief


def test_a_cookie_replayed_after_logout_is_refused(api: Api) -> None:
    client = api.login(USER, PASSWORD)
    copy = replay(api, client)
    assert copy.get("/me").status_code == 200
    assert client.post("/logout").status_code == 204
    assert_error(copy.get("/me"), 401, "login_required")
    assert_error(copy.get("/cases"), 401, "login_required")
    assert_error(copy.post("/cases", json={"region": "utrecht", "data": {}}), 401, "login_required")


ENDINGS: dict[str, Callable[[Api], object]] = {
    "revoke-tokens": lambda api: accounts.revoke_tokens(api.rt, USER),
    "deactivation": lambda api: accounts.set_active(api.rt, USER, is_active=False),
    "password change": lambda api: accounts.set_password(api.rt, USER, "een nieuw wachtwoord"),
}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_cookie_is_refused_at_once_after(api: Api, ending: str) -> None:
    client = api.login(USER, PASSWORD)
    other_session = api.login(USER, PASSWORD)
    someone_else = api.login("utrecht.coordinator")
    assert client.get("/tasks").status_code == 200
    ENDINGS[ending](api)
    for session in (client, replay(api, client), other_session):
        assert_error(session.get("/me"), 401, "login_required")
        assert_error(session.get("/tasks"), 401, "login_required")
    assert someone_else.get("/me").status_code == 200  # only that person's sessions end


def test_a_new_password_works_and_the_old_one_does_not(api: Api) -> None:
    accounts.set_password(api.rt, USER, "een nieuw wachtwoord")
    assert_error(api.anonymous().post("/login", json={"username": USER, "password": PASSWORD}), 401)
    assert api.login(USER, "een nieuw wachtwoord").get("/me").json()["username"] == USER


def test_a_deactivated_account_can_neither_log_in_nor_use_its_token(api: Api) -> None:
    token_client = api.as_user(USER)
    accounts.set_active(api.rt, USER, is_active=False)
    assert_error(token_client.get("/me"), 401, "bad_token")
    assert_error(api.anonymous().post("/login", json={"username": USER, "password": PASSWORD}), 401)
    accounts.set_active(api.rt, USER, is_active=True)
    assert api.login(USER, PASSWORD).get("/me").status_code == 200


def test_an_idle_session_ends_and_an_active_one_lives_on(api: Api, wall_clock: ManualClock) -> None:
    idle_minutes = api.rt.settings.session_idle_minutes
    active, idle = api.login(USER, PASSWORD), api.login(USER, PASSWORD)
    for _ in range(3):
        wall_clock.advance(minutes=idle_minutes - 5)
        assert active.get("/me").status_code == 200
    assert_error(idle.get("/me"), 401, "login_required")


def test_a_session_ends_after_its_maximum_lifetime_however_active(api: Api, wall_clock: ManualClock) -> None:
    client = api.login(USER, PASSWORD)
    step = api.rt.settings.session_idle_minutes - 1
    elapsed = 0
    while elapsed + step < api.rt.settings.session_max_hours * 60:
        wall_clock.advance(minutes=step)
        elapsed += step
        assert client.get("/me").status_code == 200
    wall_clock.advance(minutes=step)
    assert_error(client.get("/me"), 401, "login_required")


def test_the_simulated_case_clock_does_not_age_sessions(api: Api) -> None:
    client = api.as_role("utrecht", "beheerder")
    session = api.login(USER, PASSWORD)
    assert client.post("/clock", json={"advance": "P1Y"}).status_code == 200
    assert session.get("/me").status_code == 200
