"""Need-to-know access, decided here and nowhere else (CONTRACT §3). A person sees a case when
assigned to it (team member or task assignee), when they may work on its open work, or as
coordinator/beheerder of that region. Never across regions. A case one may not see is reported as
not found, so its existence does not leak.

Three parts, each written once:
- POLICY: which roles of a region may do what (`require`, `require_anywhere`);
- the claimable clause: one SQL expression for "open work this person may claim", used as the
  inbox filter, for case visibility and for the check before claiming or completing;
- `visible_case` / `visible_task`: the one not-found answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    cast,
    exists,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased, undefer

from config.settings import REGIONS, ROLES
from engine.errors import Forbidden, NotFound
from engine.runtime import Actor
from engine.storage.tables import Case, CaseTeamMember, ModelVersion, Task


@dataclass(frozen=True)
class Rule:
    roles: tuple[str, ...]  # any of these roles in the region (or, for system-wide acts, anywhere)
    refusal: str  # the Dutch message of the Forbidden


# ---- the policy table ------------------------------------------------------------------------
POLICY: dict[str, Rule] = {
    "start_case": Rule(
        ("aanmelder", "veilig_thuis", "procesregisseur", "coordinator", "beheerder"),
        "U heeft geen rol in deze regio waarmee u zaken aanmeldt.",
    ),
    "oversee": Rule(("coordinator", "beheerder"), "Alleen de coördinator of beheerder van de regio mag dit."),
    "assign_tasks": Rule(("coordinator",), "Alleen de coördinator of de procesregisseur wijst taken toe."),
    "send_message": Rule(
        # Veilig Thuis too: acute danger during monitoring, escalation in Zeeland's Civil Care window.
        ("procesregisseur", "casusregisseur", "coordinator", "veilig_thuis"),
        "Alleen de regisseurs, Veilig Thuis en de coördinator sturen een zaak een bericht.",
    ),
    "migrate_case": Rule(
        ("coordinator", "procesontwerper", "beheerder"),
        "Alleen coördinator, procesontwerper of beheerder zet een zaak over.",
    ),
    "design_models": Rule(
        ("procesontwerper", "beheerder"),
        "Alleen procesontwerpers en beheerders van deze regio beheren modellen.",
    ),
    "read_models": Rule(ROLES, "U heeft geen rol in deze regio."),
    "move_clock": Rule(("beheerder",), "Alleen een beheerder mag dit."),  # system-wide
    # coordinator monitoring (issue 12): the region's figures and lists; acting on stuck cases
    "monitor": Rule(
        ("coordinator", "beheerder"), "Alleen de coördinator of beheerder van de regio ziet de monitoring."
    ),
    "act_on_stuck": Rule(
        ("coordinator",), "Alleen de coördinator van de regio handelt vastgelopen zaken af."
    ),
}
OVERSEERS = POLICY["oversee"].roles


def may(actor: Actor, action: str, region: str) -> bool:
    return actor.is_system or actor.has_role(region, *POLICY[action].roles)


def require(actor: Actor, action: str, region: str) -> str:
    """The role in which the actor may do `action` in the region. Raises Forbidden."""
    rule = POLICY[action]
    for role in rule.roles:
        if actor.is_system or actor.has_role(region, role):
            return "systeem" if actor.is_system else role
    raise Forbidden(rule.refusal, code="wrong_role")


def require_anywhere(actor: Actor, action: str) -> None:
    """For system-wide acts (the simulated clock): the rule's role in any region. Raises Forbidden."""
    rule = POLICY[action]
    if actor.is_system or any(role in rule.roles for _, role in actor.roles):
        return
    raise Forbidden(rule.refusal, code="wrong_role")


def require_region(region: str) -> None:
    """Raises NotFound for a region key that does not exist."""
    if region not in REGIONS:
        raise NotFound(f"Onbekende regio '{region}'.", code="unknown_region")


# ---- the claimable clause --------------------------------------------------------------------


def claimable(actor: Actor, pool: tuple[str, str] | None = None) -> ColumnElement[bool]:
    """Task rows the actor may claim: open, unassigned, in a role the actor holds in the task's
    region, and not reserved for another member of the case's team holding that role. `pool`, a
    (region, role) of the actor, narrows it to that one pool: a list walks each pool on its own
    index, in its own order. The reservation is the task row's own `reserved_for` (kept there
    from the case team), so a pool is walked and counted from its index alone."""
    pools = [p for p in actor.roles if pool is None or p == pool]
    return and_(
        Task.status == "open",
        Task.assignee_id.is_(None),
        or_(false(), *[and_(Task.region == region, Task.role == role) for region, role in pools]),
        or_(Task.reserved_for.is_(None), Task.reserved_for == actor.user_id),
    )


def pools(actor: Actor) -> list[tuple[str, str]]:
    """The actor's (region, role) pools, each once, in a stable order."""
    return sorted(set(actor.roles))


def workable(actor: Actor) -> ColumnElement[bool]:
    """Task rows the actor may work on now: open and assigned to them, or claimable by them."""
    return or_(and_(Task.status == "open", Task.assignee_id == actor.user_id), claimable(actor))


def is_claimable(session: Session, actor: Actor, task: Task) -> bool:
    """The claimable clause, asked of one task (the very same SQL as the inbox)."""
    return bool(session.scalar(select(exists().where(Task.id == task.id, claimable(actor)))))


# ---- visibility ------------------------------------------------------------------------------
CASE_NOT_FOUND = "Deze zaak bestaat niet of u heeft er geen toegang toe."
TASK_NOT_FOUND = "Deze taak bestaat niet of u heeft er geen toegang toe."


def case_not_found() -> NotFound:
    return NotFound(CASE_NOT_FOUND, code="case_not_found")


def task_not_found() -> NotFound:
    return NotFound(TASK_NOT_FOUND, code="task_not_found")


def visible_case(session: Session, actor: Actor, case: Case | int | None) -> tuple[Case, str]:
    """The case (a row or an id) with the role in which the actor reads it. Raises NotFound, the
    same for an unknown case and one the actor may not see."""
    if isinstance(case, int):
        row, role, _ = visible_case_and_version(session, actor, case)
        return row, role
    found = viewing_roles(session, actor, [case]).get(case.id) if case is not None else None
    if case is None or found is None:
        raise case_not_found()
    return case, found


def visible_case_and_version(session: Session, actor: Actor, case_id: int) -> tuple[Case, str, int]:
    """`visible_case` for a case id, with the number of the case's model version, in one
    statement. Raises NotFound."""
    found = session.execute(_case_query(actor), {"case_id": case_id}).one_or_none()
    if found is None:
        raise case_not_found()
    row, version, team_role, work_role = found
    role = _roles(actor, [row], [(row.id, team_role)] if team_role else [], [(row.id, work_role)]).get(row.id)
    if role is None:
        raise case_not_found()
    return row, role, version


def visible_task(session: Session, actor: Actor, task_id: object) -> tuple[Task, Case, str]:
    """The task, its case and the role in which the actor sees it. Raises NotFound (unknown, or
    its case is not visible to the actor)."""
    task = session.get(Task, task_id) if isinstance(task_id, str) and len(task_id) <= 36 else None
    if task is None:
        raise task_not_found()
    try:
        case, role = visible_case(session, actor, task.case_id)
    except NotFound as error:
        raise task_not_found() from error
    return task, case, role


def viewing_role(session: Session, actor: Actor, case: Case) -> str:
    """The role in which the actor may read this case. Raises NotFound when they may not."""
    return visible_case(session, actor, case)[1]


def viewing_roles(session: Session, actor: Actor, cases: Sequence[Case]) -> dict[int, str]:
    """For each case the actor may read, the role in which they read it (team role first, then the
    role of open work they hold or may claim, then coordinator/beheerder). One query per call."""
    if actor.is_system:
        return {case.id: "systeem" for case in cases}
    found = list(session.execute(_viewing_query(actor), {"ids": [case.id for case in cases]}))
    return _roles(
        actor,
        cases,
        [(case_id, role) for case_id, role, _ in found if role],
        [(case_id, role) for case_id, _, role in found],
    )


@lru_cache(maxsize=512)
def _viewing_query(actor: Actor) -> Select[int, str | None, str | None]:
    """`viewing_roles`' query for the actor, on the case ids `ids`. Built once per actor and
    process (as `_case_tasks`), since building the workable clause costs more than running it."""
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    return select(Case.id, *_role_lookups(actor)).where(Case.id.in_(ids))


@lru_cache(maxsize=512)
def _case_query(actor: Actor) -> Select[Case, int, str | None, str | None]:
    """`visible_case_and_version`'s query for the actor, on the case id `case_id`."""
    version = select(ModelVersion.version).where(ModelVersion.id == Case.model_version_id).scalar_subquery()
    return select(Case, version, *_role_lookups(actor)).where(Case.id == bindparam("case_id"))


def _role_lookups(actor: Actor) -> tuple[ColumnElement[str | None], ColumnElement[str | None]]:
    """Per case, the actor's first team role and the role of the first task they may work on,
    each asked as a lookup by that case's id (as one query over all shown cases, SQLite walked the
    actor's whole work and pools instead)."""
    first_team_role = (
        select(CaseTeamMember.role)
        .where(CaseTeamMember.case_id == Case.id, CaseTeamMember.user_id == actor.user_id)
        .order_by(CaseTeamMember.id)
        .limit(1)
        .scalar_subquery()
    )
    first_work_role = (
        select(Task.role)
        .where(Task.case_id == Case.id, Task.role.is_not(None), workable(actor))
        .order_by(Task.created_at, Task.id)
        .limit(1)
        .scalar_subquery()
    )
    return first_team_role, first_work_role


def _roles(
    actor: Actor, cases: Sequence[Case], team: list[tuple[int, str]], work: list[tuple[int, str | None]]
) -> dict[int, str]:
    """`viewing_roles` from the actor's team places and the cases' workable tasks (both in order)."""
    if actor.is_system:
        return {case.id: "systeem" for case in cases}
    roles: dict[int, str] = {}
    for case_id, team_role in team:
        roles.setdefault(case_id, team_role)
    for case_id, task_role in work:
        if task_role:
            roles.setdefault(case_id, task_role)
    for case in cases:
        overseer = next((role for role in OVERSEERS if actor.has_role(case.region, role)), None)
        if case.id not in roles and overseer:
            roles[case.id] = overseer
    return roles


@dataclass(frozen=True)
class TeamPlace:
    """A role on a case's team and the user who holds it."""

    role: str
    user_id: int


@dataclass(frozen=True)
class CaseRows:
    """What a writer of one case reads anyway, right after locking it: its team and its open
    tasks, each task with the workable clause's answer for the actor (the same SQL, asked in the
    same statement), and the task asked for when it is no longer open. With it, the checks below
    need no query of their own."""

    team: list[TeamPlace]  # in the order the places were made
    open_tasks: list[tuple[Task, bool]]  # (task, workable by the actor), oldest first
    closed_task: Task | None = None  # the task asked for, when it is closed


_TEAM_OF_CASE = (
    select(CaseTeamMember.role, CaseTeamMember.user_id)
    .where(CaseTeamMember.case_id == bindparam("case_id"))
    .order_by(CaseTeamMember.id)
)


# The case's team as one text ("id:role:user_id,..."), asked in the statement of its tasks: one
# round trip less for every writer of a case (for a parameter PostgreSQL evaluates it once; for
# the locked case's id once per task row, a handful).
def _team_places_of(case_id: Any) -> Any:
    return (
        select(
            func.aggregate_strings(
                cast(CaseTeamMember.id, String) + ":" + CaseTeamMember.role + ":"
                + cast(CaseTeamMember.user_id, String),
                ",",
            )
        )
        .where(CaseTeamMember.case_id == case_id)
        .scalar_subquery()
    )  # fmt: skip


_TEAM_PLACES = _team_places_of(bindparam("case_id"))
# A case's tasks that a writer reads: the open ones, and the one asked for even when closed.
_OPEN_OR_ASKED = or_(Task.status == "open", Task.id == bindparam("task_id"))


@lru_cache(maxsize=512)
def _case_tasks(actor: Actor) -> Select[Task, bool, str | None]:
    """A case's open tasks and one asked-for task, each with the workable clause's answer for the
    actor, and the case's team. Built once per actor and process: building the clause costs more
    than running it."""
    return (
        select(Task, workable(actor), _TEAM_PLACES)
        .where(
            Task.case_id == bindparam("case_id"),
            _OPEN_OR_ASKED,
        )
        .order_by(Task.created_at, Task.id)
    )


def case_rows(session: Session, actor: Actor, case: Case, task_id: str | None = None) -> CaseRows:
    """`CaseRows` of a case (and of the task `task_id`, open or not) in one statement (two when
    the case has no such task: its team is then read on its own)."""
    work = session.execute(_case_tasks(actor), {"case_id": case.id, "task_id": task_id})
    return _rows_of(session, case.id, [(task, ok, places) for task, ok, places in work])


def _rows_of(session: Session, case_id: int, work: list[tuple[Task | None, Any, str | None]]) -> CaseRows:
    open_tasks: list[tuple[Task, bool]] = []
    closed: Task | None = None
    places: str | None = None  # the same on every row
    for task, ok, team_places in work:
        places = team_places
        if task is None:
            continue
        if task.status == "open":
            open_tasks.append((task, bool(ok)))
        else:
            closed = task
    if open_tasks or closed is not None:
        team = _team_places(places)
    else:
        team = [TeamPlace(*row) for row in session.execute(_TEAM_OF_CASE, {"case_id": case_id})]
    return CaseRows(team, open_tasks, closed)


@lru_cache(maxsize=512)
def _locked_case_with_tasks(actor: Actor) -> Select[Any]:
    """`_case_tasks` of the case of a task, joined to that case's row locked (FOR UPDATE, with its
    state), and the case's version as the statement's snapshot saw it: one statement where a
    writer used to send two."""
    of_task = select(Task.case_id).where(Task.id == bindparam("task_id")).scalar_subquery()
    locked = (
        select(Case.__table__)
        .where(Case.__table__.c.id == of_task)
        .with_for_update()
        .cte("locked_case")
        .prefix_with("MATERIALIZED", dialect="postgresql")  # locked once, before the join
    )
    case = aliased(Case, locked)
    seen = aliased(Case)
    seen_version = select(seen.version).where(seen.id == case.id).scalar_subquery()
    asked = and_(Task.case_id == case.id, _OPEN_OR_ASKED)
    return (
        select(case, seen_version, Task, workable(actor), _team_places_of(case.id))
        .options(undefer(case.state))
        .outerjoin(Task, asked)
        .order_by(Task.created_at, Task.id)
    )


def locked_case_rows(session: Session, actor: Actor, task_id: str) -> tuple[Case, CaseRows] | None:
    """The case of a task, its row locked (with state), and its `CaseRows`; None when there is no
    such task. Locking and reading in one statement is safe because the rows are checked against
    the lock: under READ COMMITTED the statement reads with the snapshot of its start, while the
    lock, once a writer before us commits, hands out the case row as that writer left it. When the
    two versions differ, the writer's changes are not in the rows read, and they are read again
    (after the lock, so they show them)."""
    found = session.execute(_locked_case_with_tasks(actor), {"task_id": task_id}).all()
    if not found:
        return None
    case, seen_version = found[0][0], found[0][1]
    if seen_version != case.version:  # a writer committed while this one waited for the lock
        for stale in {task for _, _, task, _, _ in found if task is not None}:
            session.expunge(stale)  # else the session would hand out these objects again, unchanged
        return case, case_rows(session, actor, case, task_id)
    return case, _rows_of(session, case.id, [(task, ok, places) for _, _, task, ok, places in found])


def _team_places(places: str | None) -> list[TeamPlace]:
    """The team from `_TEAM_PLACES`'s text, in the order the places were made (role keys hold
    neither ':' nor ',')."""
    found = []
    for place in places.split(",") if places else []:
        place_id, _, rest = place.partition(":")
        role, _, user_id = rest.rpartition(":")
        found.append((int(place_id), TeamPlace(role, int(user_id))))
    return [team_place for _, team_place in sorted(found, key=lambda found_place: found_place[0])]


def viewing_role_in(actor: Actor, case: Case, rows: CaseRows) -> str:
    """`viewing_role` answered from the rows read with the case. Raises NotFound."""
    role = _roles(
        actor,
        [case],
        [(case.id, m.role) for m in rows.team if m.user_id == actor.user_id],
        [(t.case_id, t.role) for t, ok in rows.open_tasks if ok and t.role],
    ).get(case.id)
    if role is None:
        raise case_not_found()
    return role


def visible_cases_filter(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting exactly the cases `viewing_roles` would allow."""
    return or_(*[branch.where for branch in visible_case_branches(actor)])


@dataclass(frozen=True)
class CaseBranch:
    """One part of the cases an actor may see. `where` selects it on `cases`. A personal part
    (team places, assigned work) also has `ids`, the same case ids from the table that drives it:
    a person's own cases are few, so a list looks each one up rather than walking all cases to
    find them. The other parts are walked on `cases` in activity order."""

    where: ColumnElement[bool]
    ids: Select[Any] | None = None


def visible_case_branches(actor: Actor) -> list[CaseBranch]:
    """The cases `viewing_roles` allows, as branches whose union is that set, each answerable from
    one index: the cases of the actor's team places and of open work assigned to them (personal,
    first), per region of their pools the cases with work they may claim, and each overseen
    region's cases. A list pages each and merges them (an OR of them would defeat every index).
    Apart from the personal parts, no two branches share a case (each is one region).
    A page of a claimable branch walks the region's cases by activity and asks each case for
    claimable work (a task's region is its case's region), so it reads about a page's worth of the
    region however large the pool; regions the actor oversees are covered whole already."""
    if actor.is_system:
        return [CaseBranch(Case.id.is_not(None))]
    team = select(CaseTeamMember.case_id).where(CaseTeamMember.user_id == actor.user_id)
    assigned = select(Task.case_id).where(
        Task.role.is_not(None), Task.status == "open", Task.assignee_id == actor.user_id
    )
    branches = [CaseBranch(Case.id.in_(team), team), CaseBranch(Case.id.in_(assigned), assigned)]
    overseen = sorted({region for region, role in actor.roles if role in OVERSEERS})
    for region in sorted({region for region, _ in actor.roles} - set(overseen)):
        work = select(Task.case_id).where(
            Task.case_id == Case.id, Task.region == region, Task.role.is_not(None), claimable(actor)
        )
        # PostgreSQL: ask per case (a probe), or it would hash the whole pool before the first row.
        # Only indexed columns are asked for, so SQLite probes the case's own open work
        # (ix_tasks_case_open) instead of scanning the pool index for the case.
        branches.append(CaseBranch(and_(Case.region == region, exists(work.offset(0)))))
    return branches + [CaseBranch(Case.region == region) for region in overseen]


# ---- working on tasks ------------------------------------------------------------------------


def team_member(session: Session, case_id: int, role: str | None) -> int | None:
    if role is None:
        return None
    return session.scalar(
        select(CaseTeamMember.user_id).where(CaseTeamMember.case_id == case_id, CaseTeamMember.role == role)
    )


def require_can_work(session: Session, actor: Actor, task: Task, rows: CaseRows | None = None) -> None:
    """May this person claim or complete the (open) task? Yes when it is theirs or the claimable
    clause says so (`rows`: as read with the case). Raises NotFound (not theirs to know) or
    Forbidden (saying why)."""
    if actor.is_system or task.assignee_id == actor.user_id:
        return
    if rows is not None:
        if any(ok for open_task, ok in rows.open_tasks if open_task.id == task.id):
            return
    elif is_claimable(session, actor, task):
        return
    if not task.role or not actor.has_role(task.region, task.role):
        if not actor.has_role(task.region, *OVERSEERS):
            raise task_not_found()
        raise Forbidden("Deze taak hoort bij een andere rol.", code="wrong_role")
    if task.assignee_id is not None:
        raise Forbidden("Deze taak is aan iemand anders toegewezen.", code="task_assigned_to_other")
    raise Forbidden("Deze taak hoort bij de toegewezen regisseur van de zaak.", code="task_for_team_member")


def knows_task(actor: Actor, task: Task) -> bool:
    """May the actor be told that a task is closed or taken (a conflict) rather than not found?
    Only those who could have had it: its role in its region, or who held or completed it."""
    if actor.is_system or actor.user_id in (task.assignee_id, task.completed_by):
        return True
    return bool(task.role) and actor.has_role(task.region, task.role or "")


def can_assign(session: Session, actor: Actor, task: Task) -> bool:
    """Coordinators of the region and the case's procesregisseur hand tasks out."""
    return task.case_id in assigning_cases(session, actor, [(task.case_id, task.region)])


def assigning_cases(session: Session, actor: Actor, cases: Sequence[tuple[int, str]]) -> set[int]:
    """Of these (case id, region) pairs, the cases whose tasks the actor hands out: each case of a
    region they coordinate, and those whose procesregisseur they are (one query for all of them)."""
    allowed = {case_id for case_id, region in cases if may(actor, "assign_tasks", region)}
    others = {case_id for case_id, _ in cases} - allowed
    if others:
        allowed |= set(
            session.scalars(
                select(CaseTeamMember.case_id).where(
                    CaseTeamMember.case_id.in_(others),
                    CaseTeamMember.role == "procesregisseur",
                    CaseTeamMember.user_id == actor.user_id,
                )
            )
        )
    return allowed


def require_can_assign(session: Session, actor: Actor, task: Task) -> None:
    """Coordinators of the region and the case's procesregisseur hand tasks out. Raises NotFound
    (the case is not visible), Forbidden."""
    if can_assign(session, actor, task):
        return
    visible_case(session, actor, task.case_id)
    require(actor, "assign_tasks", task.region)


# ---- coordinator monitoring (issue 12) ---------------------------------------------------------


def monitor_regions(actor: Actor) -> list[str]:
    """The regions whose monitoring the actor may see (never across regions)."""
    return [region for region in REGIONS if may(actor, "monitor", region)]


def require_monitor_region(actor: Actor, region: str, action: str = "monitor") -> str:
    """The role in which the actor watches (or, with 'act_on_stuck', acts on) the region.
    Raises NotFound (no such region), Forbidden."""
    require_region(region)
    return require(actor, action, region)


def require_coordinates_case(actor: Actor, case: Case | None) -> Case:
    """A coordinator acts on cases of their own region; any other case answers the same 404 as an
    unknown one. Raises NotFound."""
    if case is None or not may(actor, "act_on_stuck", case.region):
        raise case_not_found()
    return case
