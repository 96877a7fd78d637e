"""Need-to-know access, decided here and nowhere else (CONTRACT §3). A person sees a case when
assigned to it (team member or task assignee), when a role they hold in the case's region is
needed by the case's open work, or as coordinator/beheerder of that region. Never across regions.
A case one may not see is reported as not found, so its existence does not leak."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from engine.errors import Forbidden, NotFound
from engine.runtime import Actor
from engine.storage.tables import Case, CaseTeamMember, Task

OVERSEERS = ("coordinator", "beheerder")


def viewing_role(session: Session, actor: Actor, case: Case) -> str:
    """The role in which the actor may read this case. Raises NotFound when they may not."""
    if actor.is_system:
        return "systeem"
    team_role = session.scalar(
        select(CaseTeamMember.role).where(
            CaseTeamMember.case_id == case.id, CaseTeamMember.user_id == actor.user_id
        )
    )
    if team_role:
        return team_role
    for task in session.scalars(select(Task).where(Task.case_id == case.id, Task.status == "open")):
        if task.assignee_id == actor.user_id and task.role:
            return task.role
        if task.assignee_id is None and task.role and actor.has_role(case.region, task.role):
            return task.role
    for role in OVERSEERS:
        if actor.has_role(case.region, role):
            return role
    raise NotFound("Deze zaak bestaat niet of u heeft er geen toegang toe.", code="case_not_found")


def visible_cases_filter(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting exactly the cases `viewing_role` would allow."""
    if actor.is_system:
        return Case.id.is_not(None)
    overseen = [region for region, role in actor.roles if role in OVERSEERS]
    pool_roles = [and_(Task.region == region, Task.role == role) for region, role in actor.roles]
    open_work = exists().where(
        Task.case_id == Case.id,
        Task.status == "open",
        or_(Task.assignee_id == actor.user_id, and_(Task.assignee_id.is_(None), or_(false(), *pool_roles))),
    )
    on_team = exists().where(CaseTeamMember.case_id == Case.id, CaseTeamMember.user_id == actor.user_id)
    return or_(Case.region.in_(overseen), on_team, open_work)


def team_member(session: Session, case_id: int, role: str | None) -> int | None:
    if role is None:
        return None
    return session.scalar(
        select(CaseTeamMember.user_id).where(CaseTeamMember.case_id == case_id, CaseTeamMember.role == role)
    )


def require_can_work(session: Session, actor: Actor, task: Task) -> None:
    """May this person claim or complete the task? Raises NotFound (not visible) or Forbidden."""
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
    owner = team_member(session, task.case_id, task.role)
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
