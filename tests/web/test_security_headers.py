"""Security headers on every response of every route in the URL map (issue 8 §4), over real HTTP:
anonymous and signed in, pages, API and static files; HSTS and Secure cookies in production."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from werkzeug.routing import Rule

from engine import accounts
from engine.runtime import build_runtime
from tests.api.conftest import serving
from tests.conftest import PROCESS_LIBRARY, settings_for
from tests.web.conftest import LiveServer
from web import create_app
from web.security import CONTENT_SECURITY_POLICY

# A value for each kind of URL variable, so every rule can be requested.
SAMPLES = {
    "case_id": "1",
    "filter_id": "1",
    "version_id": "1",
    "task_id": "00000000-0000-0000-0000-000000000000",
    "region": "utrecht",
    "package": "bpmn-js",
    "filename": "assets/bpmn-js.css",
    "escalation_id": "1",  # coordinator monitoring (issue 12)
    "notification_id": "1",
    "table": "stuck",
}
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def concrete_path(rule: Rule) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", SAMPLES.get(name, "x"), path)
    return path


def all_requests(live_server: LiveServer) -> Iterator[tuple[str, str]]:
    app = create_app(live_server.rt)
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, concrete_path(rule)
    yield "GET", "/bestaat-niet"
    yield "GET", "/static/vendor/niet-toegestaan/x.js"


def assert_headers(response: requests.Response, *, static: bool) -> None:
    where = f"{response.request.method} {response.url} → {response.status_code}"
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, f"{name} ontbreekt bij {where}"
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp == CONTENT_SECURITY_POLICY, where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    if not static:
        assert response.headers.get("Cache-Control") == "no-store", where
    assert "Strict-Transport-Security" not in response.headers  # only in production


def signed_in_session(live_server: LiveServer) -> requests.Session:
    session = requests.Session()
    page = session.get(live_server("/login"), timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = session.post(
        live_server("/login"),
        data={"csrf_token": token.group(1), "username": "drenthe.coordinator", "password": "demo"},
        timeout=30,
    )
    assert answer.url.endswith("/inbox"), answer.url
    return session


def test_every_route_answers_with_the_security_headers(live_server: LiveServer) -> None:
    requests_made = list(all_requests(live_server))
    assert len(requests_made) > 30  # pages and API alike
    for session in (requests.Session(), signed_in_session(live_server)):
        for method, path in requests_made:
            response = session.request(method, live_server(path), allow_redirects=False, timeout=30)
            assert_headers(response, static=path.startswith("/static/") and response.status_code == 200)


def test_static_files_may_be_cached_but_pages_never(live_server: LiveServer) -> None:
    css = requests.get(live_server("/static/vendor/utrecht-component-library-css/index.css"), timeout=30)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert css.headers.get("Cache-Control") != "no-store"
    login = requests.get(live_server("/login"), timeout=30)
    assert login.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/bpmn-js/../package.json",
        "/static/vendor/bpmn-js/..%2f..%2fpackage.json",
        "/static/vendor/bpmn-js/%2e%2e/package.json",
        "/static/vendor/left-pad/index.js",
        "/static/vendor/bpmn-js//etc/passwd",
    ],
)
def test_vendor_files_come_only_from_allowed_package_directories(live_server: LiveServer, path: str) -> None:
    response = requests.get(live_server(path), timeout=30)
    assert response.status_code == 404
    assert "bpmn-js" not in response.text or "version" not in response.text


def test_production_adds_hsts_and_secure_cookies(database_url: str) -> None:
    rt = build_runtime(settings_for(database_url, PROCESS_LIBRARY).with_overrides(env="production"))
    accounts.add_user(rt, "prod.vt", role="veilig_thuis", region="utrecht", password="lang-genoeg-wachtwoord")
    try:
        with serving(create_app(rt)) as base:
            session = requests.Session()
            page = session.get(f"{base}/login", timeout=30)
            assert page.headers["Strict-Transport-Security"].startswith("max-age=")
            assert "Demogebruikers" not in page.text  # demo accounts are refused in production
            cookie = page.headers.get("Set-Cookie", "")
            assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        rt.db.dispose()
