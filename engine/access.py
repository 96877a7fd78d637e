"""Need-to-know access, decided here and nowhere else (CONTRACT §3). A person sees a case when
assigned to it (team member or task assignee), when a role they hold in the case's region is
needed by the case's open work, or as coordinator/beheerder of that region. Never across regions.
A case one may not see is reported as not found, so its existence does not leak."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from engine.errors import Forbidden, NotFound
from engine.runtime import Actor
from engine.storage.tables import Case, CaseTeamMember, Task

OVERSEERS = ("coordinator", "beheerder")


def viewing_role(
    session: Session,
    actor: Actor,
    case: Case,
    rows: tuple[Sequence[CaseTeamMember], Sequence[Task]] | None = None,
) -> str:
    """The role in which the actor may read this case. Raises NotFound when they may not.
    `rows`: the case's team and open tasks when the caller read them already (no query then)."""
    if rows is None:
        role = viewing_roles(session, actor, [case]).get(case.id)
    else:
        team, open_tasks = rows
        role = _roles(
            actor,
            [case],
            [(m.case_id, m.role) for m in team if m.user_id == actor.user_id],
            [(t.case_id, t.role, t.assignee_id) for t in open_tasks],
        ).get(case.id)
    if role is None:
        raise NotFound("Deze zaak bestaat niet of u heeft er geen toegang toe.", code="case_not_found")
    return role


def viewing_roles(session: Session, actor: Actor, cases: Sequence[Case]) -> dict[int, str]:
    """For each case the actor may read, the role in which they read it (team role first, then the
    role of open work they hold or may claim, then coordinator/beheerder). Two queries per call."""
    if actor.is_system:
        return {case.id: "systeem" for case in cases}
    ids = [case.id for case in cases]
    team = select(CaseTeamMember.case_id, CaseTeamMember.role).where(
        CaseTeamMember.case_id.in_(ids), CaseTeamMember.user_id == actor.user_id
    )
    work = select(Task.case_id, Task.role, Task.assignee_id).where(
        Task.case_id.in_(ids), Task.status == "open"
    )
    return _roles(
        actor,
        cases,
        [(case_id, role) for case_id, role in session.execute(team.order_by(CaseTeamMember.id))],
        [(c, r, a) for c, r, a in session.execute(work.order_by(Task.created_at, Task.id))],
    )


def _roles(
    actor: Actor,
    cases: Sequence[Case],
    team: list[tuple[int, str]],
    work: list[tuple[int, str | None, int | None]],
) -> dict[int, str]:
    """`viewing_roles` from the actor's team places and the cases' open work (both in order)."""
    if actor.is_system:
        return {case.id: "systeem" for case in cases}
    region_of = {case.id: case.region for case in cases}
    roles: dict[int, str] = {}
    for case_id, team_role in team:
        roles.setdefault(case_id, team_role)
    for case_id, task_role, assignee_id in work:
        if case_id in roles or not task_role:
            continue
        claimable = assignee_id is None and actor.has_role(region_of[case_id], task_role)
        if assignee_id == actor.user_id or claimable:
            roles[case_id] = task_role
    for case in cases:
        overseer = next((role for role in OVERSEERS if actor.has_role(case.region, role)), None)
        if case.id not in roles and overseer:
            roles[case.id] = overseer
    return roles


def visible_cases_filter(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting exactly the cases `viewing_role` would allow."""
    return or_(*visible_case_branches(actor))


def visible_case_branches(actor: Actor) -> list[ColumnElement[bool]]:
    """The cases `viewing_role` allows, as WHERE clauses on `cases` whose union is that set, each
    answerable from one index: the overseen regions' cases, the cases of the actor's team places,
    of open work assigned to them, of pool work they may claim. A list queries each and merges
    (an OR of them would defeat every index)."""
    if actor.is_system:
        return [Case.id.is_not(None)]
    branches: list[ColumnElement[bool]] = []
    overseen = [region for region, role in actor.roles if role in OVERSEERS]
    if overseen:
        branches.append(Case.region.in_(overseen))
    branches.append(
        Case.id.in_(select(CaseTeamMember.case_id).where(CaseTeamMember.user_id == actor.user_id))
    )
    branches.append(
        Case.id.in_(select(Task.case_id).where(Task.status == "open", Task.assignee_id == actor.user_id))
    )
    pool = pool_clause(actor)
    if pool is not None:
        branches.append(Case.id.in_(select(Task.case_id).where(Task.status == "open", pool)))
    return branches


def pool_clause(actor: Actor) -> ColumnElement[bool] | None:
    """Unassigned open work of a (region, role) the actor holds (for `tasks`); None without roles."""
    pairs = [and_(Task.region == region, Task.role == role) for region, role in actor.roles]
    return and_(Task.assignee_id.is_(None), or_(*pairs)) if pairs else None


def team_member(session: Session, case_id: int, role: str | None) -> int | None:
    if role is None:
        return None
    return session.scalar(
        select(CaseTeamMember.user_id).where(CaseTeamMember.case_id == case_id, CaseTeamMember.role == role)
    )


def require_can_work(
    session: Session, actor: Actor, task: Task, team: Sequence[CaseTeamMember] | None = None
) -> None:
    """May this person claim or complete the task? Raises NotFound (not visible) or Forbidden.
    `team`: the case's team when the caller read it already (no query then)."""
    if actor.is_system:
        return
    if task.assignee_id == actor.user_id:
        return
    if not task.role or not actor.has_role(task.region, task.role):
        if not actor.has_role(task.region, *OVERSEERS):
            raise NotFound("Deze taak bestaat niet of u heeft er geen toegang toe.", code="task_not_found")
        raise Forbidden("Deze taak hoort bij een andere rol.", code="wrong_role")
    if task.assignee_id is not None:
        raise Forbidden("Deze taak is aan iemand anders toegewezen.", code="task_assigned_to_other")
    if team is None:
        owner = team_member(session, task.case_id, task.role)
    else:
        owner = next((m.user_id for m in team if m.role == task.role), None)
    if owner is not None and owner != actor.user_id:
        raise Forbidden(
            "Deze taak hoort bij de toegewezen regisseur van de zaak.", code="task_for_team_member"
        )


def knows_task(actor: Actor, task: Task) -> bool:
    """May the actor be told that a task is closed or taken (a conflict) rather than not found?
    Only those who could have had it: its role in its region, or who held or completed it."""
    if actor.is_system or actor.user_id in (task.assignee_id, task.completed_by):
        return True
    return bool(task.role) and actor.has_role(task.region, task.role or "")


def require_can_assign(session: Session, actor: Actor, task: Task) -> None:
    """Coordinators of the region and the case's procesregisseur hand tasks out. Raises Forbidden."""
    if actor.is_system or actor.has_role(task.region, "coordinator"):
        return
    if team_member(session, task.case_id, "procesregisseur") == actor.user_id:
        return
    viewing_role(session, actor, session.get_one(Case, task.case_id))  # NotFound when not visible
    raise Forbidden("Alleen de coördinator of de procesregisseur wijst taken toe.", code="cannot_assign")


def require_role_anywhere(actor: Actor, *roles: str) -> None:
    """For system-wide acts (the simulated clock): one of `roles` in any region. Raises Forbidden."""
    if actor.is_system or any(role in roles for _, role in actor.roles):
        return
    raise Forbidden("Alleen een beheerder mag dit.", code="wrong_role")


def require_region_role(actor: Actor, region: str, *roles: str) -> str:
    """The first of `roles` the actor holds in the region. Raises Forbidden."""
    for role in roles:
        if actor.is_system or actor.has_role(region, role):
            return role
    raise Forbidden("U heeft geen rol in deze regio die dit toestaat.", code="wrong_role")
