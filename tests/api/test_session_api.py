"""Login, logout, tokens, CSRF and /me over HTTP."""

from __future__ import annotations

from sqlalchemy import func, select

from engine import accounts, throttling
from engine.runtime import Runtime, build_runtime
from engine.storage.tables import LoginFailure
from tests.api.conftest import Api, Client, assert_error, serving
from web import create_app


def test_login_sets_an_httponly_samesite_cookie_and_hands_out_a_csrf_token(api: Api) -> None:
    client = api.anonymous()
    response = client.post("/login", json={"username": "utrecht.coordinator", "password": "demo"})
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "utrecht.coordinator"
    assert body["roles"] == [{"region": "utrecht", "role": "coordinator"}]
    assert body["csrf_token"] and response.headers["X-CSRF-Token"] == body["csrf_token"]
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("mda_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/me").json()["username"] == "utrecht.coordinator"


def test_login_with_a_wrong_password_is_401_and_counted(api: Api, rt: Runtime) -> None:
    response = api.anonymous().post("/login", json={"username": "utrecht.coordinator", "password": "fout"})
    assert_error(response, 401, "bad_credentials")
    assert "mda_session" not in response.cookies
    with rt.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(LoginFailure)) == 1


def test_login_is_throttled_with_429_after_repeated_failures(api: Api) -> None:
    client = api.anonymous()
    for _ in range(throttling.FREE_FAILURES_PER_PAIR):
        assert client.post("/login", json={"username": "utrecht.teamlid", "password": "x"}).status_code == 401
    response = client.post("/login", json={"username": "utrecht.teamlid", "password": "demo"})
    assert_error(response, 429, "too_many_attempts")
    assert response.headers["Retry-After"]


def test_login_takes_only_a_json_body_with_both_fields(api: Api) -> None:
    client = api.anonymous()
    form_post = client.post("/login", data={"username": "utrecht.teamlid", "password": "demo"})
    assert_error(form_post, 415, "unsupported_media_type")  # a cross-site HTML form cannot log anyone in
    details = assert_error(client.post("/login", json={"username": "utrecht.teamlid"}), 400)["details"]
    assert "password" in details
    assert_error(client.post("/login", json=["utrecht.teamlid", "demo"]), 400)


def test_logout_ends_the_session(api: Api) -> None:
    client = api.login("utrecht.teamlid")
    assert client.get("/me").status_code == 200
    assert_error(client.post("/logout", headers={"X-CSRFToken": ""}), 403, "csrf_failed")
    assert client.post("/logout").status_code == 204
    assert_error(client.get("/me"), 401, "login_required")


def test_cookie_writes_need_the_csrf_token(api: Api) -> None:
    client = api.login("utrecht.beheerder")
    token = client.headers.pop("X-CSRFToken")
    assert_error(client.post("/clock", json={"advance": "P1D"}), 403, "csrf_failed")
    assert_error(client.post("/clock", json={"advance": "P1D"}, headers={"X-CSRFToken": "vals"}), 403)
    assert client.post("/clock", json={"advance": "P1D"}, headers={"X-CSRFToken": token}).status_code == 200
    fetched = client.get("/csrf").json()["csrf_token"]
    assert client.post("/clock", json={"advance": "P1D"}, headers={"X-CSRFToken": fetched}).status_code == 200


def test_a_token_of_another_session_does_not_pass_the_csrf_check(api: Api) -> None:
    victim = api.login("utrecht.beheerder")
    attacker_token = api.anonymous().get("/csrf").json()["csrf_token"]
    victim.headers["X-CSRFToken"] = attacker_token
    assert_error(victim.post("/clock", json={"advance": "P1D"}), 403, "csrf_failed")


def test_bearer_requests_need_no_csrf_token_and_ignore_the_cookie(api: Api) -> None:
    client = api.as_role("utrecht", "beheerder")
    assert client.post("/clock", json={"advance": "P1D"}).status_code == 200
    cookie_client = api.login("utrecht.beheerder")
    response = cookie_client.get("/me", headers={"Authorization": "Bearer mda_onzin"})
    assert_error(response, 401, "bad_token")  # an explicit credential is never topped up by the cookie


def test_unknown_revoked_and_non_bearer_credentials_are_401(api: Api) -> None:
    client = api.as_user("utrecht.teamlid")
    assert client.get("/me").status_code == 200
    accounts.revoke_tokens(api.rt, "utrecht.teamlid")
    assert_error(client.get("/me"), 401, "bad_token")
    assert_error(api.anonymous().get("/me", auth=("utrecht.teamlid", "demo")), 401, "bad_token")
    anonymous = assert_error(api.anonymous().get("/me"), 401, "login_required")
    assert "token" in anonymous["message"]


def test_demo_users_are_refused_in_production(rt: Runtime) -> None:
    token = accounts.create_token(rt, "utrecht.teamlid")
    production = build_runtime(rt.settings.with_overrides(env="production"))
    try:
        with serving(create_app(production)) as base:
            client = Client(base)
            login = client.post("/login", json={"username": "utrecht.teamlid", "password": "demo"})
            assert_error(login, 401, "inactive_account")
            assert_error(client.get("/me", headers={"Authorization": f"Bearer {token}"}), 401, "bad_token")
    finally:
        production.db.dispose()


def test_me_lists_roles_and_regions(api: Api) -> None:
    accounts.add_user(api.rt, "multi", role="teamlid", region="nml", organisation="GGZ")
    accounts.add_user(api.rt, "multi", role="coordinator", region="utrecht")
    body = api.as_user("multi").get("/me").json()
    assert body["username"] == "multi" and body["organisation"] == "GGZ"
    assert body["regions"] == ["nml", "utrecht"]
    assert {(r["region"], r["role"]) for r in body["roles"]} == {
        ("nml", "teamlid"),
        ("utrecht", "coordinator"),
    }
