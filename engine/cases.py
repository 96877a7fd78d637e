"""Cases: start one on its region's published process, list the cases a person may see, and read
one case with its open tasks, timers, team and history. Every read by a person is access-logged."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, literal, select, tuple_, union
from sqlalchemy.orm import Session

from config.settings import REGIONS
from engine import access, audit, households
from engine.case_state import LoadedCase, sync
from engine.errors import Invalid, NotFound
from engine.monitoring.stuck import stuck_case_ids
from engine.process_models import main_process_id, published_version
from engine.runtime import Actor, Runtime
from engine.storage.queries import TOTAL_CAP as TOTAL_CAP  # re-exported for pages showing "1.000+"
from engine.storage.queries import capped_total
from engine.storage.tables import Case, CaseTeamMember, Task, Timer, User
from engine.tasks import TaskInfo, apply_person_fields, task_infos
from engine.workflow import CaseWorkflow
from forms.validation import FormDataInvalid


@dataclass(frozen=True)
class TimerView:
    id: str
    name: str
    due_at: datetime


@dataclass(frozen=True)
class TeamMember:
    role: str
    username: str
    display_name: str


@dataclass(frozen=True)
class CaseSummary:
    id: int
    region: str
    title: str
    status: str
    phase: str
    process_id: str
    model_version_id: int
    created_at: datetime
    last_activity_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class CaseDetail:
    case: CaseSummary
    model_version: int
    open_tasks: list[TaskInfo]
    timers: list[TimerView]
    team: list[TeamMember]
    history: list[audit.EventInfo]
    viewed_as: str
    linked_cases: list[households.LinkedCase] = dataclasses.field(default_factory=list)


def _summary(row: Case) -> CaseSummary:
    return CaseSummary(
        row.id, row.region, row.title, row.status, row.phase, row.process_id, row.model_version_id,
        row.created_at, row.last_activity_at, row.closed_at,
    )  # fmt: skip


def start_form_key(rt: Runtime, region: str, process_id: str | None = None) -> str | None:
    """The key of the registration form that starts a case in the region. Raises NotFound."""
    access.require_region(region)
    with rt.uow() as uow:
        return published_version(uow.session, region, process_id or main_process_id(region)).start_form_key


def start_form(rt: Runtime, actor: Actor, region: str, process_id: str | None = None) -> dict[str, Any]:
    """The registration form of the process (the region's main process unless named), with its
    examples resolved for the region; for those who may start cases there.
    Raises NotFound (region, process, no form), Forbidden."""
    access.require_region(region)
    access.require(actor, "start_case", region)
    form = rt.forms.get(start_form_key(rt, region, process_id) or "")
    if form is None:
        raise NotFound("Dit proces heeft geen aanmeldformulier.", code="no_start_form")
    return form.as_dict(region)


def start_case(
    rt: Runtime, actor: Actor, region: str, data: Any, process_id: str | None = None
) -> CaseSummary:
    """Start a case with its registration data. Raises NotFound (region or process), Forbidden,
    Invalid (form data, listing every field)."""
    access.require_region(region)
    role = access.require(actor, "start_case", region)
    now = rt.clock.now()
    # The engine runs before the write transaction: on SQLite that takes the single write lock, and
    # a model that spends its whole budget must not hold up the other regions' writes meanwhile.
    with Session(rt.db.execution_options(mda_read_only=True)) as reading:
        version = published_version(reading, region, process_id or main_process_id(region))
    cleaned: dict[str, Any] = {}
    form = rt.forms.get(version.start_form_key or "")
    if form is not None:
        try:
            cleaned = form.validate(data)
        except FormDataInvalid as error:
            raise Invalid(
                "Het aanmeldformulier is niet goed ingevuld.", code="invalid_form", details=error.errors
            ) from error
    elif data not in (None, {}):
        raise Invalid(
            "Dit proces heeft geen aanmeldformulier.",
            code="invalid_form",
            details={"data": ["Geen gegevens verwacht."]},
        )
    assert version.spec_json is not None
    workflow = CaseWorkflow.start(version.spec_json, cleaned, now, rt.settings.limits)
    with rt.uow() as uow:
        session = uow.session
        row = Case(
            region=region, process_id=version.process_id, model_version_id=version.id,
            title=_title(form.fields if form else [], cleaned), status="open", phase="aanmelding",
            created_by=actor.user_id, created_at=now, last_activity_at=now, state="{}",
        )  # fmt: skip
        session.add(row)
        uow.flush()
        if actor.user_id is not None:
            session.add(
                CaseTeamMember(
                    case_id=row.id, role=role if role == "aanmelder" else "aanmelder", user_id=actor.user_id
                )
            )
        if form is not None:
            apply_person_fields(session, now, actor, row, form, cleaned)
        audit.record(
            session, now, actor, row.id, "case_started", data={"model_version": version.version, **cleaned}
        )
        households.recognise(session, now, actor, row, cleaned)
        sync(rt, session, actor, LoadedCase(row, workflow), now)
        uow.commit()
        return _summary(row)


def _title(fields: list[dict[str, Any]], data: dict[str, Any]) -> str:
    for field in fields:
        if (
            field["type"] == "text"
            and isinstance(data.get(field["name"]), str)
            and data[field["name"]].strip()
        ):
            return str(data[field["name"]])[:200]
    return "MDA++-zaak"


@dataclass(frozen=True)
class CaseFilter:
    region: str | None = None
    status: str | None = None
    phase: str | None = None
    stuck: bool = False
    limit: int = 50
    offset: int = 0
    # Keyset paging: (last_activity_at, id) of the last case of the previous page.
    after: tuple[datetime, int] | None = None


@dataclass(frozen=True)
class CasePage:
    items: list[CaseSummary]
    total: int  # exact up to TOTAL_CAP; TOTAL_CAP + 1 means "more than TOTAL_CAP"
    next_after: tuple[datetime, int] | None  # keyset of the next page; None on the last one


def list_cases(rt: Runtime, actor: Actor, filters: CaseFilter) -> tuple[list[CaseSummary], int]:
    """The cases the actor may see, newest activity first, and the total (see `case_page`)."""
    page = case_page(rt, actor, filters)
    return page.items, page.total


def case_page(rt: Runtime, actor: Actor, filters: CaseFilter) -> CasePage:
    """One page of the cases the actor may see, newest activity first; logs a read per case shown
    (in one statement). Each visible-set branch of `access` is paged on its own index and the
    branches merged, so the cost grows with the page, not with the number of cases."""
    now = rt.clock.now()
    clauses = []
    if filters.region:
        clauses.append(Case.region == filters.region)
    if filters.status:
        clauses.append(Case.status == filters.status)
    if filters.phase:
        clauses.append(Case.phase == filters.phase)
    branches = access.visible_case_branches(actor)
    window = filters.offset + filters.limit + 1
    order = (Case.last_activity_at.desc(), Case.id.desc())
    with rt.uow(autocommit=True) as uow:  # reads, and one INSERT for the access log
        session = uow.session
        if filters.stuck:  # each region's stuck rules (engine/monitoring), as on the coordinator's page
            regions = [filters.region] if filters.region else REGIONS
            stuck = sorted(stuck_case_ids(rt, session, regions, now))
            clauses += [Case.status == "open", Case.id.in_(stuck)]
        tops = [_top(branch, clauses, filters.after, window) for branch in branches]
        merged = union(*[select(top.subquery()) for top in tops]).subquery()
        page_ids = (
            select(merged.c.id)
            .order_by(merged.c.last_activity_at.desc(), merged.c.id.desc())
            .limit(filters.limit + 1)
            .offset(filters.offset)
        )
        found = session.scalars(select(Case).where(Case.id.in_(page_ids)).order_by(*order)).all()
        rows, more = found[: filters.limit], len(found) > filters.limit
        total = capped_total(session, _counted(branches, clauses))
        # A list shows each case's title (often the family name): that is a read of case data too.
        roles = access.viewing_roles(session, actor, rows)
        audit.log_accesses(
            session, now, actor, [(r.id, roles.get(r.id, "onbekend")) for r in rows], "case_list"
        )
        uow.commit()
    last = rows[-1] if rows and more else None
    return CasePage([_summary(r) for r in rows], total, (last.last_activity_at, last.id) if last else None)


def _top(
    branch: access.CaseBranch,
    clauses: list[ColumnElement[bool]],
    after: tuple[datetime, int] | None,
    window: int,
) -> Select[Any]:
    """The branch's first `window` cases (id, last activity) after the cursor, newest first: a
    walk of `cases` in activity order, or for a personal branch each of its cases looked up by key
    (a scalar lookup per id: a join would let PostgreSQL's planner walk all cases by activity to
    find a person's few, or hash the whole table)."""
    at: Any = Case.last_activity_at
    case_id: Any = Case.id
    source: Any = select(Case.id, Case.last_activity_at).where(branch.where, *clauses)
    if branch.ids is not None:
        driver = branch.ids.distinct().subquery()
        found = select(Case.last_activity_at).where(Case.id == driver.c[0], *clauses).scalar_subquery()
        # OFFSET 0 keeps this a subquery of its own: merged into the outer query, PostgreSQL would
        # run the lookup once more for the filter below
        looked_up = select(driver.c[0].label("id"), found.label("last_activity_at")).offset(0).subquery()
        at, case_id = looked_up.c.last_activity_at, looked_up.c.id
        source = select(case_id, at).where(at.is_not(None))
    if after is not None:
        moment, last_id = after
        source = source.where(
            tuple_(at, case_id) < tuple_(literal(moment, Case.last_activity_at.type), last_id)
        )
    top: Select[Any] = source.order_by(at.desc(), case_id.desc()).limit(window)
    return top


def _counted(branches: list[access.CaseBranch], clauses: list[ColumnElement[bool]]) -> list[Select[Any]]:
    """The branches as parts that share no case, for the streamed capped total: each personal
    branch without the personal ones before it (its ids alone when no filter needs the case row),
    each walked branch (one region, see `access`) without the personal cases."""
    parts: list[Select[Any]] = []
    personal = [branch.ids for branch in branches if branch.ids is not None]
    for n, ids in enumerate(personal):
        earlier = personal[:n]
        if clauses:
            parts.append(
                select(Case.id).where(Case.id.in_(ids), *clauses, *[Case.id.not_in(e) for e in earlier])
            )
        else:
            column = ids.selected_columns[0]
            parts.append(ids.where(*[column.not_in(e) for e in earlier]).distinct())
    for branch in branches:
        if branch.ids is None:
            parts.append(
                select(Case.id).where(branch.where, *clauses, *[Case.id.not_in(e) for e in personal])
            )
    return parts


def get_case(rt: Runtime, actor: Actor, case_id: int) -> CaseDetail:
    """One case as the actor may see it; logs the read. Raises NotFound."""
    now = rt.clock.now()
    with rt.uow(autocommit=True) as uow:  # reads, and an INSERT per case shown for the access log
        session = uow.session
        row, role, model_version = access.visible_case_and_version(session, actor, case_id)
        detail = CaseDetail(
            case=_summary(row),
            model_version=model_version,
            open_tasks=task_infos(session, select(Task).where(Task.case_id == row.id, Task.status == "open")),
            timers=[
                TimerView(t.id, t.name, t.due_at)
                for t in session.scalars(select(Timer).where(Timer.case_id == row.id).order_by(Timer.due_at))
            ],
            team=team(session, row.id),
            history=audit.history(session, row.id),
            viewed_as=role,
            linked_cases=households.linked_cases(session, now, actor, row.id),
        )
        audit.log_access(session, now, actor, row.id, role, "case_read")
        uow.commit()
        return detail


def team(session: Session, case_id: int) -> list[TeamMember]:
    rows = session.execute(
        select(CaseTeamMember.role, User.username, User.display_name)
        .join(User, User.id == CaseTeamMember.user_id)
        .where(CaseTeamMember.case_id == case_id)
        .order_by(CaseTeamMember.role)
    )
    return [TeamMember(role, username, name) for role, username, name in rows]


def access_log(rt: Runtime, actor: Actor, case_id: int) -> list[audit.AccessInfo]:
    """Who read this case; for the coordinator and beheerder of its region. Raises NotFound, Forbidden."""
    now = rt.clock.now()
    with rt.uow() as uow:
        row, _ = access.visible_case(uow.session, actor, case_id)  # NotFound before Forbidden
        role = access.require(actor, "oversee", row.region)
        entries = audit.access_entries(uow.session, row.id)
        audit.log_access(uow.session, now, actor, row.id, role, "access_log_read")
        uow.commit()
        return entries


def start_regions(actor: Actor) -> list[str]:
    """The regions where the actor may register a new case (the aanmelding page offers these)."""
    return [region for region in REGIONS if access.may(actor, "start_case", region)]
