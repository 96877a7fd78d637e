"""The inbox as professionals work it: my tasks, then the pool tasks my roles may claim, each
with its case's reference and household label, sorted by least time left; filter counts; what
each row allows (hand to a colleague). Answered from the derived task rows (no workflow is
loaded); showing a case's label is a read of case data and is access-logged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from engine import access, audit
from engine.accounts import Person, people_with_role
from engine.runtime import Actor, Runtime
from engine.storage.tables import Case, Task
from engine.tasks import TaskInfo, inbox_clause, task_infos

PAGE_SIZE = 25
TERMS = ("verlopen", "geen")  # overdue; no due date ("zonder termijn")


@dataclass(frozen=True)
class InboxFilter:
    role: str | None = None
    phase: str | None = None
    region: str | None = None
    termijn: str | None = None  # one of TERMS
    page_mine: int = 1
    page_pool: int = 1
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class InboxRow:
    task: TaskInfo
    case_title: str
    is_overdue: bool
    is_mine: bool
    can_assign: bool
    colleagues: list[Person] = field(default_factory=list)  # who it may be handed to


@dataclass(frozen=True)
class InboxGroup:
    rows: list[InboxRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class InboxView:
    mine: InboxGroup
    pool: InboxGroup
    total: int  # the whole inbox, without filters
    counts: dict[str, dict[str, int]]  # facet → value → open tasks in the whole inbox
    now: datetime


def inbox_view(rt: Runtime, actor: Actor, filters: InboxFilter) -> InboxView:
    """The actor's inbox under the filters, one page per group; logs a read of each case shown."""
    now = rt.clock.now()
    base = inbox_clause(actor)
    narrowed = [base, *_filter_conditions(filters, now)]
    with rt.uow() as uow:
        session = uow.session
        mine = _group(session, actor, now, [*narrowed, Task.assignee_id == actor.user_id], filters.page_mine,
                      filters.page_size)  # fmt: skip
        pool = _group(session, actor, now, [*narrowed, Task.assignee_id.is_(None)], filters.page_pool,
                      filters.page_size)  # fmt: skip
        counts = _facet_counts(session, base, now)
        for row in {r.task.case_id: r for r in [*mine.rows, *pool.rows]}.values():
            audit.log_access(session, now, actor, row.task.case_id, row.task.role or "onbekend", "inbox")
        uow.commit()
    return InboxView(mine, pool, sum(counts["groep"].values()), counts, now)


def _filter_conditions(filters: InboxFilter, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.role:
        conditions.append(Task.role == filters.role)
    if filters.phase:
        conditions.append(Task.phase == filters.phase)
    if filters.region:
        conditions.append(Task.region == filters.region)
    if filters.termijn == "verlopen":
        conditions.append(Task.due_at < now)
    elif filters.termijn == "geen":
        conditions.append(Task.due_at.is_(None))
    return conditions


def _group(
    session: Session, actor: Actor, now: datetime, where: list[ColumnElement[bool]], page: int, size: int
) -> InboxGroup:
    query = select(Task).where(*where)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, ceil(total / size))
    page = min(max(1, page), pages)
    ordered = query.order_by(Task.due_at.is_(None), Task.due_at, Task.created_at, Task.id)
    found = task_infos(session, ordered.limit(size).offset((page - 1) * size))
    ids = {t.case_id for t in found}
    titles = {
        case_id: title
        for case_id, title in session.execute(select(Case.id, Case.title).where(Case.id.in_(ids)))
    }

    tasks_by_id = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_([t.id for t in found])))}
    colleagues: dict[tuple[str, str | None], list[Person]] = {}
    rows = []
    for info in found:
        may_assign = access.can_assign(session, actor, tasks_by_id[info.id])
        people: list[Person] = []
        if may_assign and info.role:
            key = (info.region, info.role)
            if key not in colleagues:
                colleagues[key] = people_with_role(session, info.region, info.role)
            people = colleagues[key]
        rows.append(
            InboxRow(
                task=info,
                case_title=titles.get(info.case_id, ""),
                is_overdue=info.due_at is not None and info.due_at < now,
                is_mine=info.assignee == actor.username,
                can_assign=may_assign,
                colleagues=people,
            )  # fmt: skip
        )
    return InboxGroup(rows, total, page, pages)


def _facet_counts(session: Session, base: ColumnElement[bool], now: datetime) -> dict[str, dict[str, int]]:
    """Per filter value, how many tasks of the whole inbox it would show."""
    counts: dict[str, dict[str, int]] = {}
    for name, column in (("role", Task.role), ("phase", Task.phase), ("region", Task.region)):
        rows = session.execute(select(column, func.count()).where(base).group_by(column))
        counts[name] = {str(value): n for value, n in rows if value is not None}
    overdue = session.scalar(select(func.count()).where(base, Task.due_at < now)) or 0
    no_due = session.scalar(select(func.count()).where(base, Task.due_at.is_(None))) or 0
    counts["termijn"] = {"verlopen": overdue, "geen": no_due}
    groups = session.execute(
        select(Task.assignee_id.is_(None), func.count()).where(base).group_by(Task.assignee_id.is_(None))
    )
    counts["groep"] = {("pool" if is_pool else "mine"): n for is_pool, n in groups}
    return counts
