"""The inbox as professionals work it: my tasks, then the pool tasks my roles may claim, each
with its case's reference and household label, sorted by least time left; filter counts; what
each row allows (hand to a colleague). Answered from the derived task rows (no workflow is
loaded); showing a case's label is a read of case data and is access-logged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from engine import access, audit
from engine.accounts import Person, people_with_role
from engine.runtime import Actor, Runtime
from engine.storage.tables import Case, Task
from engine.tasks import TaskInfo, task_infos

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
    base = access.workable(actor)  # the inbox: open work assigned to the actor or claimable by them
    narrowed = [base, *_filter_conditions(filters, now)]
    with rt.uow() as uow:
        session = uow.session
        shape = _inbox_shape(session, base, now)
        totals = {
            group: sum(s.count for s in shape if s.group == group and s.matches(filters)) for group in GROUPS
        }
        mine = _group(session, actor, now, [*narrowed, Task.assignee_id == actor.user_id], totals["mine"],
                      filters.page_mine, filters.page_size)  # fmt: skip
        pool = _group(session, actor, now, [*narrowed, Task.assignee_id.is_(None)], totals["pool"],
                      filters.page_pool, filters.page_size)  # fmt: skip
        shown = {r.task.case_id: r.task.role or "onbekend" for r in [*mine.rows, *pool.rows]}
        audit.log_accesses(session, now, actor, list(shown.items()), "inbox")  # one statement
        uow.commit()
    return InboxView(mine, pool, sum(s.count for s in shape), _facet_counts(shape), now)


GROUPS = ("mine", "pool")


@dataclass(frozen=True)
class _Slice:
    """How many inbox tasks share one combination of the filterable properties."""

    role: str | None
    phase: str | None
    region: str
    group: str  # mine | pool
    term: str  # verlopen | geen | lopend
    count: int

    def matches(self, filters: InboxFilter) -> bool:
        return (
            (filters.role is None or self.role == filters.role)
            and (filters.phase is None or self.phase == filters.phase)
            and (filters.region is None or self.region == filters.region)
            and (filters.termijn is None or self.term == filters.termijn)
        )


def _inbox_shape(session: Session, base: ColumnElement[bool], now: datetime) -> list[_Slice]:
    """One grouped scan of the whole inbox: every count the page shows is summed from it."""
    term = case((Task.due_at.is_(None), "geen"), (Task.due_at < now, "verlopen"), else_="lopend")
    pooled = Task.assignee_id.is_(None)
    rows = session.execute(
        select(Task.role, Task.phase, Task.region, pooled, term, func.count())
        .where(base)
        .group_by(Task.role, Task.phase, Task.region, pooled, term)
    )
    return [
        _Slice(role, phase, region, "pool" if is_pool else "mine", str(kind), int(n))
        for role, phase, region, is_pool, kind, n in rows
    ]


def _facet_counts(shape: list[_Slice]) -> dict[str, dict[str, int]]:
    """Per filter value, how many tasks of the whole inbox it would show."""
    counts: dict[str, dict[str, int]] = {"role": {}, "phase": {}, "region": {}, "groep": {},
                                         "termijn": {"verlopen": 0, "geen": 0}}  # fmt: skip
    for s in shape:
        for facet, value in (("role", s.role), ("phase", s.phase), ("region", s.region), ("groep", s.group)):
            if value is not None:
                counts[facet][value] = counts[facet].get(value, 0) + s.count
        if s.term in counts["termijn"]:
            counts["termijn"][s.term] += s.count
    return counts


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
    session: Session,
    actor: Actor,
    now: datetime,
    where: list[ColumnElement[bool]],
    total: int,
    page: int,
    size: int,
) -> InboxGroup:
    pages = max(1, ceil(total / size))
    page = min(max(1, page), pages)
    if total == 0:
        return InboxGroup([], 0, 1, 1)
    query = select(Task).where(*where)
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
