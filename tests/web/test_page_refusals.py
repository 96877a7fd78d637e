"""Refusals of the pages over real HTTP (issue 9, Must show): every page under login refuses an
anonymous visitor; every POST without a CSRF token is refused; a person of another region, or of
the region but without a part in the case, gets exactly the 404 of an unknown case on the case
file and the task page, and no list or count reveals the case. This module owns Zeeland."""

from __future__ import annotations

import re
import uuid

import requests
from werkzeug.routing import Rule

from engine import cases
from engine.accounts import actor_by_username
from engine.storage.tables import Task
from tests.web.conftest import LiveServer
from tests.web.test_security_headers import concrete_path
from web import create_app

REGION = "zeeland"
PUBLIC_ENDPOINTS = {
    "site.start",
    "site.accessibility_statement",
    "site.vendor",
    "auth.login",
    "auth.login_post",
    "auth.logout",
    "static",
}
UNKNOWN_TASK = "00000000-0000-0000-0000-000000000000"


def page_rules(live_server: LiveServer) -> list[Rule]:
    app = create_app(live_server.rt)
    return [rule for rule in app.url_map.iter_rules() if not rule.rule.startswith("/api/")]


def csrf_of(session: requests.Session, live_server: LiveServer, path: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', session.get(live_server(path), timeout=30).text)
    assert found is not None
    return found.group(1)


def without_token(html: str) -> str:
    """A page with its CSRF token blanked (the token carries a timestamp)."""
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', html)


def signed_in(live_server: LiveServer, username: str) -> requests.Session:
    session = requests.Session()
    token = csrf_of(session, live_server)
    answer = session.post(
        live_server("/login"),
        data={"csrf_token": token, "username": username, "password": "demo"},
        timeout=30,
    )
    assert answer.url.endswith("/inbox"), answer.url
    return session


def secret_case(live_server: LiveServer) -> tuple[cases.CaseSummary, str]:
    """A Zeeland case whose household label appears nowhere else, and its open task."""
    rt = live_server.rt
    form = rt.forms[cases.start_form_key(rt, REGION) or ""]
    first_text = next(f["name"] for f in form.fields if f["type"] == "text")
    label = f"Geheim {uuid.uuid4().hex[:8]}"
    data = form.examples(REGION) | {first_text: label}
    case = cases.start_case(rt, actor_by_username(rt, f"{REGION}.aanmelder"), REGION, data)
    with rt.uow() as uow:
        task_id = uow.session.query(Task.id).filter(Task.case_id == case.id, Task.status == "open").scalar()
    assert case.title == label and task_id
    return case, task_id


def test_every_page_under_login_refuses_an_anonymous_visitor(live_server: LiveServer) -> None:
    anonymous = requests.Session()
    token = csrf_of(anonymous, live_server)
    checked = 0
    for rule in page_rules(live_server):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method == "POST" else None
            response = anonymous.request(
                method, live_server(concrete_path(rule)), data=data, allow_redirects=False, timeout=30
            )
            assert response.status_code == 302, (method, rule.rule, response.status_code)
            assert re.search(r"/login\?next=", response.headers["Location"]), response.headers["Location"]
            checked += 1
    assert checked >= 12


def test_every_post_without_a_csrf_token_is_refused(live_server: LiveServer) -> None:
    case, task_id = secret_case(live_server)
    session = signed_in(live_server, f"{REGION}.coordinator")
    samples = {"case_id": str(case.id), "task_id": task_id}
    posts = [
        rule for rule in create_app(live_server.rt).url_map.iter_rules() if "POST" in (rule.methods or set())
    ]
    assert len(posts) >= 15
    for rule in posts:
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", samples.get(name, "1"), path)
        form = {"username": f"{REGION}.coordinator", "name": "evaluatie_vervroegen", "naam": "x"}
        response = session.post(live_server(path), data=form, allow_redirects=False, timeout=30)
        assert response.status_code == 403, (rule.rule, response.status_code)
    # Nothing happened: the task is still open and unclaimed, still in the pool.
    rt = live_server.rt
    with rt.uow() as uow:
        task = uow.session.get(Task, task_id)
        assert task is not None and task.status == "open" and task.assignee_id is None


def test_a_case_without_a_part_in_it_is_not_found_everywhere(live_server: LiveServer) -> None:
    case, task_id = secret_case(live_server)
    for outsider in ("haaglanden.coordinator", f"{REGION}.casusregisseur", f"{REGION}.teamlid"):
        session = signed_in(live_server, outsider)
        for known, unknown in (
            (f"/cases/{case.id}", "/cases/2147483000"),
            (f"/tasks/{task_id}", f"/tasks/{UNKNOWN_TASK}"),
            (f"/cases/{case.id}?proces=common_monitoring", "/cases/2147483000?proces=common_monitoring"),
        ):
            seen, never = (
                session.get(live_server(known), timeout=30),
                session.get(live_server(unknown), timeout=30),
            )
            assert seen.status_code == never.status_code == 404, (outsider, known)
            assert without_token(seen.text) == without_token(never.text)
        token = csrf_of(session, live_server, "/inbox")
        for action in ("claim", "unclaim", "assign"):
            seen = session.post(
                live_server(f"/tasks/{task_id}/{action}"),
                data={"csrf_token": token},
                allow_redirects=False,
                timeout=30,
            )
            never = session.post(
                live_server(f"/tasks/{UNKNOWN_TASK}/{action}"),
                data={"csrf_token": token},
                allow_redirects=False,
                timeout=30,
            )
            assert seen.status_code == never.status_code == 404
            assert without_token(seen.text) == without_token(never.text)
        message = session.post(
            live_server(f"/cases/{case.id}/messages"),
            data={"csrf_token": token, "name": "evaluatie_vervroegen"},
            allow_redirects=True,
            timeout=30,
        )
        assert message.status_code == 404
        for listing in (
            "/inbox",
            f"/inbox?region={REGION}",
            "/cases",
            f"/cases?region={REGION}",
            f"/cases?region={REGION}&status=open",
        ):
            text = session.get(live_server(listing), timeout=30).text
            assert case.title not in text and f"Zaak {case.id}<" not in text, (outsider, listing)
            assert f'/cases/{case.id}"' not in text and task_id not in text
        inbox = session.get(live_server("/inbox"), timeout=30).text
        assert re.search(r'id="pool-kop">Op te pakken <span class="mda-badge"[^>]*>0<', inbox), outsider


def test_the_region_role_of_the_open_work_sees_it_and_others_do_not_by_guessing(
    live_server: LiveServer,
) -> None:
    case, task_id = secret_case(live_server)
    holder = signed_in(live_server, f"{REGION}.veilig_thuis")  # Zeeland's triage is Veilig Thuis' work
    assert case.title in holder.get(live_server(f"/cases/{case.id}"), timeout=30).text
    assert holder.get(live_server(f"/tasks/{task_id}"), timeout=30).status_code == 200
    for bad in (
        "/cases/abc",
        "/cases/-1",
        "/tasks/not-a-task",
        "/cases/99999999999999",
        "/inbox?role=hacker",
        "/cases?status=x",
        "/cases/new?region=atlantis",
    ):
        response = holder.get(live_server(bad), timeout=30)
        assert response.status_code in (400, 404), (bad, response.status_code)
        assert "Traceback" not in response.text
