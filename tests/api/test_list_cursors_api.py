"""Keyset paging over HTTP: `GET /cases` and `GET /tasks` take the `after` cursor of the page
before and answer `next_after` (null on the last page) beside `items`, `total`, `limit` and
`offset`; walking the cursors yields every visible row exactly once, in the list's order. A cursor
that was tampered with is refused in the API's error shape."""

from __future__ import annotations

import base64
import json
from typing import Any

from engine import accounts, tasks
from engine.accounts import actor_by_username
from tests.api.conftest import Api, Client, assert_error
from tests.factories import complete_open, open_tasks, start_test_case

PAGE_KEYS = {"items", "total", "limit", "offset", "next_after"}


def walk(client: Client, path: str, limit: int, **filters: Any) -> list[str | int]:
    """Every item id of the list, following `next_after` page by page."""
    seen: list[str | int] = []
    params: dict[str, Any] = {"limit": limit, **filters}
    while True:
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == PAGE_KEYS and len(page["items"]) <= limit
        seen += [item["id"] for item in page["items"]]
        if page["next_after"] is None:
            return seen
        params["after"] = page["next_after"]


def test_walking_the_case_list_by_cursor_shows_every_visible_case_once_in_order(api: Api) -> None:
    started = [start_test_case(api.rt).id for _ in range(5)]
    for _ in range(2):
        api.rt.clock.advance("PT1H")
        started.append(start_test_case(api.rt).id)
    client = api.as_role("utrecht", "coordinator")
    whole = client.get("/cases", params={"limit": 200}).json()
    assert whole["next_after"] is None and whole["total"] == len(started)
    order = [case["id"] for case in whole["items"]]
    assert sorted(order) == sorted(started)
    for limit in (1, 2, 3):
        assert walk(client, "/cases", limit) == order
    assert walk(client, "/cases", 2, status="open", region="utrecht") == order
    assert walk(api.as_role("nml", "coordinator"), "/cases", 1) == []  # never across regions


def test_a_teamlid_walks_exactly_the_cases_of_their_team_places(api: Api) -> None:
    aanmelder = api.as_role("utrecht", "aanmelder")
    own = [start_test_case(api.rt).id for _ in range(3)]  # the demo aanmelder started them
    assert sorted(walk(aanmelder, "/cases", 1)) == sorted(own)
    assert walk(api.as_role("nml", "aanmelder"), "/cases", 1) == []


def test_walking_the_inbox_by_cursor_shows_every_task_once_dated_before_undated(api: Api) -> None:
    for role in ("casusregisseur", "veilig_thuis"):  # a new person: demo users stay as they are
        accounts.add_user(api.rt, "utrecht.beide", role=role, region="utrecht")
    coordinator = actor_by_username(api.rt, "utrecht.coordinator")
    for _ in range(2):  # a dated task handed to them (the plan has a deadline)
        case = start_test_case(api.rt)
        for spec_id in ("triage", "analyse", "check_a", "check_b"):
            complete_open(api.rt, case.id, spec_id)
        tasks.assign(api.rt, coordinator, open_tasks(api.rt, case.id)[0].id, "utrecht.beide")
    for _ in range(3):  # undated triage tasks for Veilig Thuis
        api.rt.clock.advance("PT1H")
        start_test_case(api.rt)
    client = api.as_user("utrecht.beide")  # their own tasks and Veilig Thuis's pool
    whole = client.get("/tasks", params={"limit": 200}).json()
    order = [task["id"] for task in whole["items"]]
    dated = [task["due_at"] is not None for task in whole["items"]]
    assert dated == sorted(dated, reverse=True) and any(dated) and not all(dated)
    assert whole["total"] == len(order) and whole["next_after"] is None
    for limit in (1, 2, 4):
        assert walk(client, "/tasks", limit) == order
    assert walk(client, "/tasks", 1, region="utrecht", role="veilig_thuis") == [
        task["id"] for task in whole["items"] if task["role"] == "veilig_thuis"
    ]


def _cursor(parts: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


def test_a_tampered_or_foreign_cursor_is_refused_with_a_clear_message(api: Api) -> None:
    for _ in range(2):
        start_test_case(api.rt)
    cases = api.as_role("utrecht", "coordinator")
    inbox = api.as_role("utrecht", "veilig_thuis")
    case_cursor = cases.get("/cases", params={"limit": 1}).json()["next_after"]
    task_cursor = inbox.get("/tasks", params={"limit": 1}).json()["next_after"]
    assert case_cursor and task_cursor
    bad = [
        "x", "!!!", "A" * 201, case_cursor[:-3], _cursor(["gisteren", 5]),
        _cursor(["2026-03-02T08:00:00", 5]),  # no time zone
        _cursor(["2026-03-02T08:00:00+00:00", -1]), _cursor(["2026-03-02T08:00:00+00:00", True]),
        _cursor({"a": 1}), _cursor([None, "2026-03-02T08:00:00+00:00", "1; drop table tasks"]),
    ]  # fmt: skip
    for path, own, foreign in (("/cases", case_cursor, task_cursor), ("/tasks", task_cursor, case_cursor)):
        client = cases if path == "/cases" else inbox
        assert client.get(path, params={"after": own}).status_code == 200
        for cursor in [*bad, foreign]:
            error = assert_error(client.get(path, params={"after": cursor}), 400, "bad_request")
            assert "cursor" in error["details"]["after"][0] and "next_after" in error["details"]["after"][0]
