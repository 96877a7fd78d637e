"""Large data made by bulk SQL (executemany inserts of generated rows, 10,000 rows a statement),
because walking 100,000 cases through the engine would take hours:

- `fill_list_cases`: case rows (state '{}', never loaded by a list) spread over the nine regions,
  newest activity spread over three years, 90 % open; per open case one open task (roles in turn:
  veilig_thuis, procesregisseur, casusregisseur, teamlid; one in five assigned to a demo user of
  that role, one in ten reserved for a team member) and per case two completed tasks and its
  aanmelder on the team. One case in a hundred has the bench's `bench.teamlid` on its team.
- `clone_cases`: copies of real cases walked through the engine (state, team, tasks, timers,
  history), every SpiffWorkflow task id renewed so the copies are independent real cases.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from config.settings import REGIONS
from engine.runtime import Runtime
from engine.storage import tables

CHUNK = 10_000
WORK_ROLES = ("veilig_thuis", "procesregisseur", "casusregisseur", "teamlid")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _insert(connection: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        connection.execute(insert(table), chunk)


def _fix_sequence(connection: Connection, table: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        )


def fill_rows(rt: Runtime, rows: dict[Any, list[dict[str, Any]]]) -> None:
    """Insert rows per table (in the order given) in one transaction, then fix the cases' id
    sequence. On PostgreSQL then VACUUM ANALYZE, as autovacuum does some time after a bulk insert:
    its statistics, and its visibility map, without which an index-only scan of the new rows
    still reads every one of them from the table."""
    with rt.db.begin() as connection:
        for table, table_rows in rows.items():
            _insert(connection, table, table_rows)
        _fix_sequence(connection, "cases")
    if rt.db.dialect.name == "postgresql":
        with rt.db.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def user_ids(rt: Runtime) -> dict[tuple[str, str], int]:
    """(region, role) → the demo user holding it."""
    with rt.uow() as uow:
        rows = uow.session.execute(
            select(tables.UserRole.region, tables.UserRole.role, tables.UserRole.user_id)
        ).all()
    found: dict[tuple[str, str], int] = {}
    for region, role, user_id in rows:
        found.setdefault((region, role), user_id)
    return found


def fill_list_cases(
    rt: Runtime, first: int, last: int, version_id: int, now: datetime, one_percent: int
) -> None:
    """Insert cases first..last (inclusive) with their tasks and team, as described above."""
    users = user_ids(rt)
    cases, tasks, team = [], [], []
    for n in range(first, last + 1):
        region = REGIONS[n % len(REGIONS)]
        active = now - timedelta(minutes=(n * 7919) % (3 * 365 * 24 * 60))
        is_open = n % 10 != 0
        cases.append(
            {
                "id": n, "region": region, "process_id": "test_flow", "model_version_id": version_id,
                "title": f"Zaak {n}", "status": "open" if is_open else "closed",
                "phase": "analyse" if is_open else "afsluiting", "created_by": None,
                "created_at": active - timedelta(days=30), "last_activity_at": active,
                "closed_at": None if is_open else active, "waiting_messages": [], "state": "{}", "version": 1,
            }
        )  # fmt: skip
        for k in range(2):
            tasks.append(_task(n, region, "triage", "veilig_thuis", "completed", None, active, k))
        places = {"aanmelder": users[(region, "aanmelder")]}
        if region == "utrecht" and n % 100 < 9:  # 9 % of the Utrecht ninth: 1 % of all cases
            places["teamlid"] = one_percent
        if is_open:
            role = WORK_ROLES[n % len(WORK_ROLES)]
            if n % 10 == 3 and role != "teamlid":  # reserved for a team member: hidden from the pool
                places[role] = users[(region, "aanmelder")]
            assignee = users.get((region, role)) if n % 5 == 0 else None
            task = _task(n, region, "analyse", role, "open", assignee, active, 2)
            tasks.append(task | {"reserved_for": places.get(role)})
        team += [{"case_id": n, "role": role, "user_id": user_id} for role, user_id in places.items()]
    fill_rows(
        rt,
        {tables.Case.__table__: cases, tables.Task.__table__: tasks, tables.CaseTeamMember.__table__: team},
    )


def _task(
    case_id: int,
    region: str,
    spec_id: str,
    role: str,
    status: str,
    assignee: int | None,
    at: datetime,
    k: int,
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()), "case_id": case_id, "region": region, "spec_id": spec_id, "name": spec_id,
        "role": role, "form_key": "test_check", "phase": "analyse", "assignee_id": assignee, "status": status,
        "due_at": at + timedelta(days=5 + case_id % 20), "created_at": at - timedelta(days=3 - k),
        "completed_at": at if status == "completed" else None, "completed_by": None, "data": {},
        "reserved_for": None,
    }  # fmt: skip


CHILD_TABLES = (
    tables.CaseTeamMember.__table__,
    tables.Task.__table__,
    tables.Timer.__table__,
    tables.Event.__table__,
)


def uuid_renewer() -> Callable[[str], str]:
    """Replaces every UUID in a text by a new one, the same new one for the same old one."""
    renewed: dict[str, str] = {}

    def renew(value: str) -> str:
        return UUID.sub(lambda m: renewed.setdefault(m.group(0), str(uuid.uuid4())), value)

    return renew


def _cloned(row: dict[str, Any], case_id: int, renew: Callable[[str], str]) -> dict[str, Any]:
    copy = {k: v for k, v in row.items() if not (k == "id" and isinstance(v, int))} | {"case_id": case_id}
    for key in ("id", "task_id"):
        if isinstance(copy.get(key), str):
            copy[key] = renew(copy[key])
    return copy


def clone_cases(rt: Runtime, seed_ids: list[int], total: int) -> list[int]:
    """Copy the seed cases until there are `total` of them (seeds included); returns all ids."""
    cases = tables.Case.__table__
    with rt.db.begin() as connection:
        seeds = [
            dict(r) for r in connection.execute(select(cases).where(cases.c.id.in_(seed_ids))).mappings()
        ]
        children: dict[Any, dict[int, list[dict[str, Any]]]] = {}
        for table in CHILD_TABLES:
            children[table] = defaultdict(list)
            for row in connection.execute(select(table).where(table.c.case_id.in_(seed_ids))).mappings():
                children[table][row["case_id"]].append(dict(row))
        first_id = (connection.scalar(select(func.max(cases.c.id))) or 0) + 1
        new_cases: list[dict[str, Any]] = []
        new_children: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for n in range(total - len(seeds)):
            seed, case_id, renew = seeds[n % len(seeds)], first_id + n, uuid_renewer()
            new_cases.append(seed | {"id": case_id, "state": renew(seed["state"])})
            for table, rows in children.items():
                new_children[table] += [_cloned(row, case_id, renew) for row in rows[seed["id"]]]
        _insert(connection, cases, new_cases)
        for table, rows in new_children.items():
            _insert(connection, table, rows)
        _fix_sequence(connection, "cases")
        if connection.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
    return seed_ids + [row["id"] for row in new_cases]
