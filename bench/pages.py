"""Server time of the two pages professionals open most (issue 9): the inbox and the case file,
with 10,000 cases in the database. Real cases are made through the engine in every region and
phase (the demo walks), then copied as read-only rows (cases, tasks, team, events, timers) up to
the target; the pages read only those rows, never a case's workflow state. Then the inbox once
more at 100,000 cases (issue 13: its cost follows the page and the count cap, not the inbox),
the cases beyond 10,000 made by bulk SQL (`bench.bulk`): the inbox user's own tasks and pool
then pass the cap of the totals."""

from __future__ import annotations

import math
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, insert, select

from bench import bulk
from engine.accounts import actor_by_username
from engine.demo import create_demo_cases
from engine.runtime import Runtime
from engine.storage.tables import Case, CaseTeamMember, Event, ModelVersion, Task, Timer
from web import create_app

TARGET_CASES = 10_000
LARGE_CASES = 100_000
REPEAT = 60
INBOX_USER = "utrecht.procesregisseur"


def p95_ms(action: Callable[[], Any], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return round(timings[min(len(timings) - 1, math.ceil(0.95 * len(timings)) - 1)], 2)


def run(rt: Runtime) -> dict[str, Any]:
    create_demo_cases(rt)
    total = fill_to(rt, TARGET_CASES)
    client = signed_in(create_app(rt).test_client(), INBOX_USER)
    case_id = _case_with_open_work(rt)

    def page(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    page("/inbox")
    page(f"/cases/{case_id}")  # warm the template and diagram caches once
    found: dict[str, Any] = {
        "cases": total,
        "page_inbox_p95_ms": p95_ms(lambda: page("/inbox"), REPEAT),
        "page_case_file_p95_ms": p95_ms(lambda: page(f"/cases/{case_id}"), REPEAT),
        "page_cases_list_p95_ms": p95_ms(lambda: page("/cases"), REPEAT),
    }
    found["cases_large"] = bulk_fill_to(rt, LARGE_CASES)
    page("/inbox")
    found["page_inbox_100k_p95_ms"] = p95_ms(lambda: page("/inbox"), REPEAT)
    found["page_inbox_ratio_10k_to_100k"] = round(
        found["page_inbox_100k_p95_ms"] / found["page_inbox_p95_ms"], 2
    )
    return found


def bulk_fill_to(rt: Runtime, target: int) -> int:
    """Bulk cases (`bench.bulk.fill_list_cases`) after the existing ones up to `target` cases."""
    with rt.uow() as uow:
        first = (uow.session.scalar(select(func.max(Case.id))) or 0) + 1
        count = uow.session.scalar(select(func.count()).select_from(Case)) or 0
        version_id = uow.session.scalar(select(func.min(ModelVersion.id)))
    assert version_id is not None
    user_id = actor_by_username(rt, INBOX_USER).user_id
    assert user_id is not None
    bulk.fill_list_cases(rt, first, first + target - count - 1, version_id, rt.clock.now(), user_id)
    with rt.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Case)) or 0


def signed_in(client: FlaskClient, username: str) -> FlaskClient:
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page)
    assert token is not None
    answer = client.post(
        "/login", data={"csrf_token": token.group(1), "username": username, "password": "demo"}
    )
    assert answer.status_code == 302, answer.status_code
    return client


def _case_with_open_work(rt: Runtime) -> int:
    with rt.uow() as uow:
        case_id = uow.session.scalar(
            select(Task.case_id).where(
                Task.region == "utrecht", Task.status == "open", Task.role == "procesregisseur"
            )
        )
    assert case_id is not None
    return case_id


def fill_to(rt: Runtime, target: int) -> int:
    """Copy the existing cases (with their tasks, team, events and timers) until there are
    `target` cases. Copies carry no workflow state: they are for reading only."""
    with rt.uow() as uow:
        session = uow.session
        seeds = list(session.scalars(select(Case)))
        count = len(seeds)
        by_case: dict[int, dict[str, list[Any]]] = {
            s.id: {"tasks": [], "team": [], "events": [], "timers": []} for s in seeds
        }
        for task in session.scalars(select(Task)):
            by_case[task.case_id]["tasks"].append(task)
        for member in session.scalars(select(CaseTeamMember)):
            by_case[member.case_id]["team"].append(member)
        for event in session.scalars(select(Event).where(Event.case_id.is_not(None))):
            by_case[event.case_id or 0]["events"].append(event)
        for timer in session.scalars(select(Timer)):
            by_case[timer.case_id]["timers"].append(timer)
        next_id = (session.scalar(select(func.max(Case.id))) or 0) + 1
        batch: dict[str, list[dict[str, Any]]] = {
            "cases": [],
            "tasks": [],
            "team": [],
            "events": [],
            "timers": [],
        }
        while count < target:
            seed = seeds[count % len(seeds)]
            _copy(seed, by_case[seed.id], next_id, batch)
            next_id += 1
            count += 1
            if len(batch["cases"]) >= 1000 or count == target:
                _flush(session, batch)
        uow.commit()
        return session.scalar(select(func.count()).select_from(Case)) or 0


def _copy(
    seed: Case, rows: dict[str, list[Any]], case_id: int, batch: dict[str, list[dict[str, Any]]]
) -> None:
    batch["cases"].append(
        dict(
            id=case_id,
            region=seed.region,
            process_id=seed.process_id,
            model_version_id=seed.model_version_id,
            title=seed.title,
            status=seed.status,
            phase=seed.phase,
            created_by=seed.created_by,
            created_at=seed.created_at,
            last_activity_at=seed.last_activity_at,
            closed_at=seed.closed_at,
            waiting_messages=seed.waiting_messages,
            state="{}",
            version=1,
        )
    )
    new_ids = {t.id: str(uuid.uuid4()) for t in rows["tasks"]}
    for t in rows["tasks"]:
        batch["tasks"].append(
            dict(
                id=new_ids[t.id],
                case_id=case_id,
                region=t.region,
                spec_id=t.spec_id,
                name=t.name,
                role=t.role,
                form_key=t.form_key,
                phase=t.phase,
                assignee_id=t.assignee_id,
                reserved_for=t.reserved_for,
                status=t.status,
                due_at=t.due_at,
                created_at=t.created_at,
                completed_at=t.completed_at,
                completed_by=t.completed_by,
                data=t.data,
            )
        )
    for m in rows["team"]:
        batch["team"].append(dict(case_id=case_id, role=m.role, user_id=m.user_id))
    for e in rows["events"]:
        batch["events"].append(
            dict(
                case_id=case_id,
                at=e.at,
                actor_id=e.actor_id,
                kind=e.kind,
                task_id=new_ids.get(e.task_id or ""),
                data=e.data,
            )
        )
    for timer in rows["timers"]:
        batch["timers"].append(
            dict(
                id=str(uuid.uuid4()),
                case_id=case_id,
                spec_id=timer.spec_id,
                name=timer.name,
                due_at=timer.due_at,
            )
        )


def _flush(session: Any, batch: dict[str, list[dict[str, Any]]]) -> None:
    tables = (
        ("cases", Case),
        ("tasks", Task),
        ("team", CaseTeamMember),
        ("events", Event),
        ("timers", Timer),
    )
    for key, table in tables:
        if batch[key]:
            session.execute(insert(table), batch[key])
            batch[key].clear()
