"""User tasks: the inbox, one task with its form, claim/unclaim/assign, and completion with
validated form data. Completion is one transaction guarded by the case's version counter: of two
people completing the same task, one wins and the other gets a Conflict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    func,
    literal,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.orm import Session, aliased

from config.settings import ROLES
from engine import access, audit
from engine.accounts import find_user_with_role
from engine.case_state import StoredRows, load_workflow, sync
from engine.errors import Conflict, Invalid, NotFound
from engine.runtime import Actor, Runtime
from engine.storage.queries import capped_total
from engine.storage.tables import Case, CaseTeamMember, Task, User
from engine.storage.with_commit import send_changes_with_commit
from forms.validation import Form, FormDataInvalid


@dataclass(frozen=True)
class TaskInfo:
    id: str
    case_id: int
    region: str
    name: str
    role: str | None
    phase: str | None
    form_key: str | None
    assignee: str | None
    status: str
    due_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class TaskDetail:
    task: TaskInfo
    form: dict[str, Any] | None
    data: dict[str, Any]


def task_infos(session: Session, query: Select[Any]) -> list[TaskInfo]:
    assignee = aliased(User)
    rows = session.execute(
        query.add_columns(assignee.username).outerjoin(assignee, assignee.id == Task.assignee_id)
    ).all()
    return [_info(task, username) for task, username in rows]


def _info(task: Task, assignee: str | None) -> TaskInfo:
    return TaskInfo(
        task.id, task.case_id, task.region, task.name, task.role, task.phase, task.form_key, assignee,
        task.status, task.due_at, task.created_at,
    )  # fmt: skip


@dataclass(frozen=True)
class TaskFilter:
    role: str | None = None
    region: str | None = None
    overdue: bool = False
    limit: int = 50
    offset: int = 0
    # Keyset paging: (due_at, created_at, id) of the last task of the previous page.
    after: tuple[datetime | None, datetime, str] | None = None


@dataclass(frozen=True)
class TaskPage:
    items: list[TaskInfo]
    total: int  # exact up to TOTAL_CAP; TOTAL_CAP + 1 means "more than TOTAL_CAP"
    next_after: tuple[datetime | None, datetime, str] | None


def inbox(rt: Runtime, actor: Actor, filters: TaskFilter) -> tuple[list[TaskInfo], int]:
    """Open tasks assigned to the actor, and unassigned ones their roles may claim (not those
    reserved for another team member). Oldest due first. The total is capped (`inbox_page`)."""
    page = inbox_page(rt, actor, filters)
    return page.items, page.total


def inbox_page(rt: Runtime, actor: Actor, filters: TaskFilter) -> TaskPage:
    """One page of the inbox: the tasks assigned to the actor and, pool by pool, those the
    claimable clause (`access`) lets them claim. Each source is walked on its own index in the
    inbox order (dated tasks, then undated ones) and stops after a page; the walks are merged.
    The sources share no task, so the capped total streams through them (`capped_total`)."""
    clauses = [Task.status == "open"]
    if filters.role:
        clauses.append(Task.role == filters.role)
    if filters.region:
        clauses.append(Task.region == filters.region)
    if filters.overdue:
        clauses.append(Task.due_at < rt.clock.now())
    sources: list[Select[Any]] = [select(Task.id).where(Task.assignee_id == actor.user_id, *clauses)]
    sources += [
        select(Task.id).where(access.claimable(actor, pool), *clauses) for pool in access.pools(actor)
    ]
    with rt.uow(autocommit=True) as uow:  # reads only
        items, next_after = page_of_sources(
            uow.session, sources, filters.after, filters.limit, filters.offset, undated=not filters.overdue
        )
        total = capped_total(uow.session, sources)
    return TaskPage(items, total, next_after)


Cursor = tuple[datetime | None, datetime, str]


def page_of_sources(
    session: Session,
    sources: list[Select[Any]],
    after: Cursor | None,
    limit: int,
    offset: int = 0,
    *,
    dated: bool = True,
    undated: bool = True,
) -> tuple[list[TaskInfo], Cursor | None]:
    """One page, in the inbox order, of the tasks the sources select (each `select(Task.id)`,
    sharing no task): each source is walked on its own index after the cursor and stops after a
    page; the walks are merged. With it the cursor of the next page (None on the last one).
    `dated`/`undated` False: the caller's filter leaves no task of that kind, so it is not walked."""
    window = offset + limit + 1
    walks = [walk for source in sources for walk in _walks(source, after, window, dated, undated)]
    if not walks:
        return [], None
    merged = union_all(*[select(walk.subquery()) for walk in walks]).subquery()
    order = (Task.due_at.is_(None), Task.due_at, Task.created_at, Task.id)
    found = task_infos(
        session,
        select(Task).where(Task.id.in_(select(merged.c.id))).order_by(*order).limit(limit + 1).offset(offset),
    )
    items, more = found[:limit], len(found) > limit
    last = items[-1] if items and more else None
    return items, (last.due_at, last.created_at, last.id) if last else None


def _walks(
    source: Select[Any], after: Cursor | None, window: int, dated: bool, undated: bool
) -> list[Select[Any]]:
    """The source's first `window` tasks after the cursor, as two index walks in the inbox order:
    the dated tasks by (due_at, created_at, id), then the undated ones by (created_at, id). (An
    ORDER BY on `due_at IS NULL` would sort the whole source instead.) Each walk is ordered by the
    index's own columns, the constant ones (`assignee_id`, and `due_at` of the undated) included:
    PostgreSQL does not count `IS NULL` as fixing a column, and would sort rather than walk."""
    walk_order = (Task.assignee_id, Task.due_at, Task.created_at, Task.id)
    dated_walk = source.where(Task.due_at.is_not(None)).order_by(*walk_order)
    undated_walk = source.where(Task.due_at.is_(None)).order_by(*walk_order)
    if after is not None:
        due_at, created_at, task_id = after
        created = literal(created_at, Task.created_at.type)
        if due_at is None:  # past every dated task
            dated = False
            undated_walk = undated_walk.where(tuple_(Task.created_at, Task.id) > tuple_(created, task_id))
        else:
            due = literal(due_at, Task.due_at.type)
            dated_walk = dated_walk.where(
                tuple_(Task.due_at, Task.created_at, Task.id) > tuple_(due, created, task_id)
            )
    return [walk.limit(window) for walk, wanted in ((dated_walk, dated), (undated_walk, undated)) if wanted]


def get_task(rt: Runtime, actor: Actor, task_id: str) -> TaskDetail:
    """A task with its form and current data; logs the read. Raises NotFound."""
    with rt.uow() as uow:
        task, case, role = access.visible_task(uow.session, actor, task_id)
        assignee = uow.session.get(User, task.assignee_id) if task.assignee_id else None
        form = rt.forms.get(task.form_key or "")
        audit.log_access(uow.session, rt.clock.now(), actor, case.id, role, "task_read")
        uow.commit()
        return TaskDetail(
            _info(task, assignee.username if assignee else None),
            form.as_dict(task.region) if form else None,
            dict(task.data or {}),
        )


def _refuse_taken(session: Session, actor: Actor, task_id: str) -> None:
    """Tell whoever could have had the task that it is closed or taken by someone else, before
    need-to-know hides it from them (CONTRACT §5: 409, not 404). Raises Conflict.
    The case row is locked first: writers of one case take turns, and each then reads what the one
    before it committed (on PostgreSQL a later statement would otherwise see the task completed
    between two reads and answer NotFound; SQLite has a single writer anyway)."""
    if isinstance(task_id, str) and len(task_id) <= 36:
        case_id = session.scalar(select(Task.case_id).where(Task.id == task_id))
        if case_id is not None:
            session.execute(select(Case.id).where(Case.id == case_id).with_for_update())
    task = session.get(Task, task_id) if isinstance(task_id, str) and len(task_id) <= 36 else None
    if task is None or not access.knows_task(actor, task):
        return
    _require_open(task)
    if task.assignee_id not in (None, actor.user_id):
        raise Conflict("Deze taak is al door iemand anders opgepakt.", code="task_already_claimed")


def claim(rt: Runtime, actor: Actor, task_id: str) -> TaskInfo:
    """Take an open pool task. Raises NotFound, Forbidden, Conflict (already claimed or closed)."""
    now = rt.clock.now()
    with rt.uow() as uow:
        _refuse_taken(uow.session, actor, task_id)
        task, case, _ = access.visible_task(uow.session, actor, task_id)
        _require_open(task)
        if task.assignee_id == actor.user_id:
            return _info(task, actor.username)
        if task.assignee_id is not None:
            raise Conflict("Deze taak is al door iemand anders opgepakt.", code="task_already_claimed")
        access.require_can_work(uow.session, actor, task)
        claimed = uow.session.execute(
            update(Task)
            .where(Task.id == task.id, Task.status == "open", Task.assignee_id.is_(None))
            .values(assignee_id=actor.user_id)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            raise Conflict("Deze taak is al door iemand anders opgepakt.", code="task_already_claimed")
        audit.record(uow.session, now, actor, case.id, "task_claimed", task_id=task.id)
        uow.commit()
        uow.session.refresh(task)
        return _info(task, actor.username)


def unclaim(rt: Runtime, actor: Actor, task_id: str) -> TaskInfo:
    """Give a claimed task back to the pool. Raises NotFound, Forbidden, Conflict."""
    now = rt.clock.now()
    with rt.uow() as uow:
        task, case, _ = access.visible_task(uow.session, actor, task_id)
        _require_open(task)
        if task.assignee_id != actor.user_id:
            access.require_can_assign(uow.session, actor, task)
        task.assignee_id = None
        audit.record(uow.session, now, actor, case.id, "task_unclaimed", task_id=task.id)
        uow.commit()
        return _info(task, None)


def assign(rt: Runtime, actor: Actor, task_id: str, username: Any) -> TaskInfo:
    """Hand a task to a person holding its role in the region. Raises NotFound, Forbidden,
    Invalid (no such person with that role), Conflict (closed)."""
    now = rt.clock.now()
    with rt.uow() as uow:
        task, case, _ = access.visible_task(uow.session, actor, task_id)
        _require_open(task)
        access.require_can_assign(uow.session, actor, task)
        if not isinstance(username, str) or not task.role:
            raise Invalid(
                "Geef een gebruikersnaam op.", code="invalid_assignee", details={"username": ["Verplicht."]}
            )
        user_id = find_user_with_role(uow.session, username, task.region, task.role)
        if user_id is None:
            raise Invalid(
                f"'{username}' heeft geen rol {task.role} in deze regio.",
                code="invalid_assignee",
                details={"username": [f"Geen {task.role} in regio {task.region}."]},
            )
        task.assignee_id = user_id
        audit.record(
            uow.session, now, actor, case.id, "task_assigned", task_id=task.id, data={"assignee": username}
        )
        uow.commit()
        return _info(task, username)


def _new_tasks(session: Session) -> list[Task]:
    return [obj for obj in session.new if isinstance(obj, Task)]


def _require_open(task: Task) -> None:
    if task.status != "open":
        raise Conflict("Deze taak is al afgerond.", code="task_not_open")


def complete(rt: Runtime, actor: Actor, task_id: str, data: Any) -> TaskInfo:
    """Complete a task with its form data and advance the case. Raises NotFound, Forbidden,
    Invalid (per field; nothing changes), Conflict (already completed, or a concurrent change)."""
    now = rt.clock.now()
    with rt.uow() as uow:
        session = uow.session
        task, case_row, rows, stored = _locked_task(session, actor, task_id)
        _require_open(task)
        access.require_can_work(session, actor, task, rows)
        form = rt.forms.get(task.form_key or "")
        cleaned = _validated(form, data)
        if form is not None and form.person_fields:
            apply_person_fields(session, now, actor, case_row, form, cleaned)
            stored.team = None  # appointments may have changed it: the sync reads it again
        case = load_workflow(session, case_row)
        stored.loaded_timers = case.workflow.timers()  # the timer rows are read only if these change
        try:
            case.workflow.complete(task.id, cleaned, now, rt.settings.limits)
        except KeyError as error:
            raise Conflict("Deze taak is al afgerond.", code="task_not_open") from error
        task.status, task.completed_at, task.completed_by, task.data = (
            "completed",
            now,
            actor.user_id,
            cleaned,
        )
        if task.assignee_id is None:
            task.assignee_id = actor.user_id
        audit.record(session, now, actor, case_row.id, "task_completed", task_id=task.id,
                     data={"name": task.name, "form": task.form_key, "data": cleaned})  # fmt: skip
        sync(rt, session, actor, case, now, stored)
        # the case is locked: on PostgreSQL its rows go with the events, in one round trip
        send_changes_with_commit(session, [case_row, *stored.open_tasks, *_new_tasks(session)])
        uow.commit()
        return _info(task, actor.username)


def _locked_task(
    session: Session, actor: Actor, task_id: str
) -> tuple[Task, Case, access.CaseRows, StoredRows]:
    """The task and its case row (with state, locked), and what the check and the sync need of the
    case (team, open tasks), with `_refuse_taken`'s and `_visible_task`'s answers, in one
    statement (`access.locked_case_rows`: the rows show what the writer before us committed). Not
    read: the version's spec (`load_workflow` knows it), the timer rows and the open phase period
    (the sync reads them only when the step changes them)."""
    valid = isinstance(task_id, str) and len(task_id) <= 36
    found = access.locked_case_rows(session, actor, task_id) if valid else None
    if found is None:
        raise access.task_not_found()
    case, rows = found
    task = rows.closed_task or next((t for t, _ in rows.open_tasks if t.id == task_id), None)
    if task is None:
        raise access.task_not_found()
    if access.knows_task(actor, task):
        _require_open(task)
        if task.assignee_id not in (None, actor.user_id):
            raise Conflict("Deze taak is al door iemand anders opgepakt.", code="task_already_claimed")
    try:
        access.viewing_role_in(actor, case, rows)
    except NotFound as error:
        raise access.task_not_found() from error
    return task, case, rows, StoredRows([t for t, _ in rows.open_tasks], None, rows.team)


def _validated(form: Form | None, data: Any) -> dict[str, Any]:
    if form is None:
        if data not in (None, {}):
            raise Invalid(
                "Deze taak heeft geen formulier.",
                code="invalid_form",
                details={"data": ["Geen gegevens verwacht."]},
            )
        return {}
    try:
        return form.validate(data)
    except FormDataInvalid as error:
        raise Invalid(
            "Het formulier is niet goed ingevuld.", code="invalid_form", details=error.errors
        ) from error


def apply_person_fields(
    session: Session, now: datetime, actor: Actor, case: Case, form: Form, data: dict[str, Any]
) -> None:
    """A person field named after a role appoints that user to the case team in that role, and
    hands the case's open unassigned tasks of that role to them (and keeps all of them for them:
    `Task.reserved_for`). Raises Invalid."""
    problems: dict[str, list[str]] = {}
    for name in form.person_fields:
        username = data.get(name)
        if not username:
            continue
        role = name if name in ROLES else None
        user_id = (
            find_user_with_role(session, username, case.region, role)
            if role
            else session.scalar(select(User.id).where(User.username == username, User.is_active.is_(True)))
        )
        if user_id is None:
            problems[name] = [
                f"Onbekende gebruiker '{username}'" + (f" met rol {role} in deze regio." if role else ".")
            ]
            continue
        if role is None:
            continue
        member = session.scalar(
            select(CaseTeamMember).where(CaseTeamMember.case_id == case.id, CaseTeamMember.role == role)
        )
        if member is None:
            session.add(CaseTeamMember(case_id=case.id, role=role, user_id=user_id))
        elif member.user_id == user_id:
            continue
        else:
            member.user_id = user_id
        session.execute(  # the role's open work: kept for the new member, and theirs where unassigned
            update(Task)
            .where(Task.case_id == case.id, Task.role == role, Task.status == "open")
            .values(reserved_for=user_id, assignee_id=func.coalesce(Task.assignee_id, user_id))
        )
        audit.record(session, now, actor, case.id, "team_assigned", data={"role": role, "username": username})
    if problems:
        raise Invalid("Het formulier noemt onbekende personen.", code="invalid_form", details=problems)
