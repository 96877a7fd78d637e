"""The inbox as professionals work it: my tasks, then the pool tasks my roles may claim, each
with its case's reference and household label, sorted by least time left; filter counts; what
each row allows (hand to a colleague). Answered from the derived task rows (no workflow is
loaded); showing a case's label is a read of case data and is access-logged.

Each group pages by keyset (`tasks.page_of_sources`: a page continues after the last task of the
one before) and every number the page shows is exact up to TOTAL_CAP and "more" beyond: the cost
follows the page and the cap (`GROUPED_UP_TO`), not the size of the person's inbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select, union_all
from sqlalchemy.orm import Session

from config.settings import ROLES
from engine import access, audit
from engine.accounts import Person, people_with_role
from engine.model_checks import PHASES
from engine.runtime import Actor, Runtime
from engine.storage.queries import TOTAL_CAP, capped_count
from engine.storage.tables import Case, Task
from engine.tasks import Cursor, TaskInfo, page_of_sources

PAGE_SIZE = 25
TERMS = ("verlopen", "geen")  # overdue; no due date ("zonder termijn")
GROUPS = ("mine", "pool")
# An inbox of up to this many tasks is counted in one grouped pass; a larger one per filter value,
# each count stopping past TOTAL_CAP. Measured on SQLite (VM steps, bench `pages` data at 100,000
# cases, an inbox of 2,500 tasks): the grouped pass costs about half of the counts per value
# there, and they break even near 5,000 tasks. Either way a page's counting stays bounded.
GROUPED_UP_TO = 5 * TOTAL_CAP


@dataclass(frozen=True)
class InboxFilter:
    role: str | None = None
    phase: str | None = None
    region: str | None = None
    termijn: str | None = None  # one of TERMS
    after_mine: Cursor | None = None  # keyset of the last task shown of each group; None: page 1
    after_pool: Cursor | None = None
    page_size: int = PAGE_SIZE

    def narrows(self) -> bool:
        return any((self.role, self.phase, self.region, self.termijn))


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
    total: int  # exact up to TOTAL_CAP; TOTAL_CAP + 1 means "more than TOTAL_CAP"
    next_after: Cursor | None  # keyset of the next page; None on the last one
    is_first_page: bool


@dataclass(frozen=True)
class InboxView:
    mine: InboxGroup
    pool: InboxGroup
    total: int  # the whole inbox, without filters (capped as the group totals)
    counts: dict[str, dict[str, int]]  # facet → value → open tasks in the whole inbox (capped)
    now: datetime


def inbox_view(rt: Runtime, actor: Actor, filters: InboxFilter) -> InboxView:
    """The actor's inbox under the filters, one page per group; logs a read of each case shown."""
    now = rt.clock.now()
    with rt.uow() as uow:
        session = uow.session
        totals, counts = _counts(session, actor, filters, now)
        sources = _sources(actor, filters, now)
        walked = {"dated": filters.termijn != "geen", "undated": filters.termijn != "verlopen"}
        pages = {
            group: page_of_sources(session, sources[group], after, filters.page_size, **walked)
            if totals[group] else ([], None)
            for group, after in (("mine", filters.after_mine), ("pool", filters.after_pool))
        }  # fmt: skip
        rows = _rows(session, actor, now, [*pages["mine"][0], *pages["pool"][0]])
        mine_count = len(pages["mine"][0])
        mine = InboxGroup(rows[:mine_count], totals["mine"], pages["mine"][1], filters.after_mine is None)
        pool = InboxGroup(rows[mine_count:], totals["pool"], pages["pool"][1], filters.after_pool is None)
        shown = {r.task.case_id: r.task.role or "onbekend" for r in rows}
        audit.log_accesses(session, now, actor, list(shown.items()), "inbox")  # one statement
        uow.commit()
    return InboxView(mine, pool, totals["all"], counts, now)


def _sources(actor: Actor, filters: InboxFilter, now: datetime) -> dict[str, list[Select[Any]]]:
    """The two groups under the filters, as `select(Task.id)` sources that share no task: my open
    tasks, and per pool of mine (those the role and region filters leave) the tasks I may claim."""
    clauses = _filter_conditions(filters, now)
    pools = [
        (region, role)
        for region, role in access.pools(actor)
        if filters.role in (None, role) and filters.region in (None, region)
    ]
    return {
        "mine": [select(Task.id).where(Task.status == "open", Task.assignee_id == actor.user_id, *clauses)],
        "pool": [select(Task.id).where(*clauses, access.claimable(actor, pool)) for pool in pools],
    }


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


# ---- the numbers: group totals and filter counts ---------------------------------------------


def _counts(
    session: Session, actor: Actor, filters: InboxFilter, now: datetime
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """The group totals under the filters ("all": the whole inbox) and the filter counts, each
    exact up to TOTAL_CAP (TOTAL_CAP + 1: more). An inbox of up to GROUPED_UP_TO tasks is read
    once, grouped; a larger one is counted per filter value in one statement, except the values
    that its first GROUPED_UP_TO + 1 tasks, grouped, already show past the cap."""
    shape, complete = _capped_shape(session, actor, now)
    totals = {
        group: sum(s.count for s in shape if s.group == group and s.matches(filters)) for group in GROUPS
    }
    totals["all"] = sum(s.count for s in shape)
    counts = _facet_counts(shape)
    if not complete:
        return _counted_per_value(session, actor, filters, now, totals, counts)
    return _capped(totals), {facet: _capped(values) for facet, values in counts.items()}


def _capped(counts: dict[str, int]) -> dict[str, int]:
    return {key: min(count, TOTAL_CAP + 1) for key, count in counts.items()}


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


def _capped_shape(session: Session, actor: Actor, now: datetime) -> tuple[list[_Slice], bool]:
    """The whole inbox grouped by every filterable property, read no further than GROUPED_UP_TO + 1
    tasks, and whether that was all of it (if not, each count in it is only a lower bound)."""
    term = case((Task.due_at.is_(None), "geen"), (Task.due_at < now, "verlopen"), else_="lopend")
    columns = (
        Task.role,
        Task.phase,
        Task.region,
        Task.assignee_id.is_(None).label("pooled"),
        term.label("term"),
    )
    sources = _sources(actor, InboxFilter(), now)
    parts = [source.with_only_columns(*columns) for group in GROUPS for source in sources[group]]
    streamed = union_all(*[select(part.limit(GROUPED_UP_TO + 1).subquery()) for part in parts])
    inbox = streamed.limit(GROUPED_UP_TO + 1).subquery()
    keys = [inbox.c.role, inbox.c.phase, inbox.c.region, inbox.c.pooled, inbox.c.term]
    rows: list[Any] = list(session.execute(select(*keys, func.count()).group_by(*keys)))
    shape = [
        _Slice(role, phase, region, "pool" if pooled else "mine", str(kind), int(n))
        for role, phase, region, pooled, kind, n in rows
    ]
    return shape, sum(s.count for s in shape) <= GROUPED_UP_TO


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


def _facet_values(actor: Actor) -> dict[str, tuple[str, ...]]:
    """The values each filter offers: every role and phase, the actor's own regions."""
    return {"role": ROLES, "phase": PHASES, "region": tuple(actor.regions()), "termijn": TERMS}


def _counted_per_value(
    session: Session,
    actor: Actor,
    filters: InboxFilter,
    now: datetime,
    least_totals: dict[str, int],
    least_counts: dict[str, dict[str, int]],
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """`_counts` of an inbox past GROUPED_UP_TO: one capped count per filter value and per group,
    all in one statement; a number whose lower bound (`least_*`, from part of the inbox) is past
    the cap already is not counted again. A role or region filter leaves only its own pools."""
    everything = _sources(actor, InboxFilter(), now)
    asked = _sources(actor, filters, now) if filters.narrows() else None
    parts: dict[tuple[str, str], list[Select[Any]]] = {
        ("groep", group): everything[group] for group in GROUPS
    }
    least = {("groep", group): n for group, n in least_counts["groep"].items()}
    if asked is not None:
        parts |= {("total", group): asked[group] for group in GROUPS}
        least |= {("total", group): least_totals[group] for group in GROUPS}
    for facet, values in _facet_values(actor).items():
        for value in values:
            one_value: dict[str, Any] = {facet: value}
            narrowed = _sources(actor, InboxFilter(**one_value), now)
            parts[(facet, value)] = [*narrowed["mine"], *narrowed["pool"]]
            least[(facet, value)] = least_counts[facet].get(value, 0)
    found = {key: TOTAL_CAP + 1 for key in parts if least.get(key, 0) > TOTAL_CAP}
    keys = [key for key in parts if key not in found]
    if keys:
        counted = session.execute(select(*[capped_count(parts[key]).scalar_subquery() for key in keys]))
        found |= dict(zip(keys, counted.one(), strict=True))
    counts: dict[str, dict[str, int]] = {facet: {} for facet in [*_facet_values(actor), "groep"]}
    for facet, value in parts:  # in the order of the filters' values
        n = found[(facet, value)]
        if n or facet == "termijn":
            counts.setdefault(facet, {})[value] = n
    totals = counts.pop("total", {}) if asked is not None else counts["groep"]  # no filter: the same
    return {group: totals.get(group, 0) for group in GROUPS} | {"all": TOTAL_CAP + 1}, counts


# ---- the rows of a page ----------------------------------------------------------------------


def _rows(session: Session, actor: Actor, now: datetime, found: list[TaskInfo]) -> list[InboxRow]:
    """The page's tasks with their cases' titles and whom each may be handed to (a few queries
    for the whole page, not per row)."""
    if not found:
        return []
    ids = {t.case_id for t in found}
    titles = {
        case_id: title
        for case_id, title in session.execute(select(Case.id, Case.title).where(Case.id.in_(ids)))
    }
    assigning = access.assigning_cases(session, actor, [(t.case_id, t.region) for t in found])
    colleagues: dict[tuple[str, str], list[Person]] = {}
    rows = []
    for info in found:
        may_assign = info.case_id in assigning
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
    return rows
