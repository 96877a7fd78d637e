"""What a coordinator does with a stuck case: acknowledge its escalation (the ladder stops), hand
its open work to someone else (one case or many at once), or put it on the consultatieteam's
agenda. Each is a case event; the people concerned are notified."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import access, audit, tasks
from engine.accounts import find_user_with_role
from engine.errors import Conflict, Invalid, NotFound
from engine.monitoring.notifications import notify
from engine.runtime import Actor, Runtime
from engine.storage.tables import Case, Escalation, Task, User, UserRole

MAX_CASES = 200


def can_act(actor: Actor, region: str) -> bool:
    """Whether the actor may act on the region's stuck cases (its coordinator)."""
    return access.may(actor, "act_on_stuck", region)


def _coordinated_case(session: Session, actor: Actor, case_id: int) -> Case:
    """The case, if the actor coordinates its region; otherwise the same 404 as an unknown case."""
    return access.require_coordinates_case(actor, session.get(Case, case_id))


def _active_escalation(session: Session, case_id: int) -> Escalation | None:
    return session.scalar(
        select(Escalation).where(
            Escalation.case_id == case_id, Escalation.status.in_(("open", "acknowledged"))
        )
    )


def acknowledge(rt: Runtime, actor: Actor, escalation_id: int) -> None:
    """Stop the ladder of an escalation: the coordinator has seen it. Raises NotFound, Conflict."""
    now = rt.clock.now()
    with rt.uow() as uow:
        row = uow.session.get(Escalation, escalation_id, with_for_update=True)
        if row is None:
            raise NotFound("Deze escalatie bestaat niet.", code="escalation_not_found")
        _coordinated_case(uow.session, actor, row.case_id)
        if row.status != "open":
            raise Conflict("Deze escalatie is al bevestigd of opgelost.", code="escalation_not_open")
        row.status, row.acknowledged_by, row.acknowledged_at, row.next_step_at = (
            "acknowledged",
            actor.user_id,
            now,
            None,
        )
        audit.record(uow.session, now, actor, row.case_id, "escalation_acknowledged",
                     data={"escalation": row.id, "level": row.level})  # fmt: skip
        uow.commit()


@dataclass(frozen=True)
class Handover:
    case_id: int
    tasks_assigned: int


def hand_over(rt: Runtime, actor: Actor, case_ids: list[int], username: str) -> list[Handover]:
    """Give the open work of one or more cases to `username`: every open task whose role that person
    holds in the case's region. Raises NotFound (a case), Invalid (no work that person can take)."""
    if not case_ids or len(case_ids) > MAX_CASES:
        raise Invalid("Kies één tot 200 zaken.", code="invalid_cases", details={"case_ids": ["1 tot 200."]})
    with rt.uow() as uow:
        plan: list[tuple[int, list[str]]] = []
        for case_id in dict.fromkeys(case_ids):
            case = _coordinated_case(uow.session, actor, case_id)
            open_tasks = uow.session.scalars(
                select(Task).where(Task.case_id == case_id, Task.status == "open").order_by(Task.created_at)
            ).all()
            ids = [
                t.id
                for t in open_tasks
                if t.role and find_user_with_role(uow.session, username, case.region, t.role)
            ]
            plan.append((case_id, ids))
        target = uow.session.scalar(select(User.id).where(User.username == username))
    if target is None or not any(ids for _, ids in plan):
        raise Invalid(
            f"'{username}' kan geen van de openstaande taken van deze zaak/zaken overnemen.",
            code="invalid_assignee", details={"username": ["Geen passende rol in de regio."]},
        )  # fmt: skip
    done = []
    for case_id, ids in plan:
        for task_id in ids:
            tasks.assign(rt, actor, task_id, username)
        now = rt.clock.now()
        with rt.uow() as uow:
            audit.record(uow.session, now, actor, case_id, "work_handed_over",
                         data={"username": username, "tasks": len(ids)})  # fmt: skip
            if ids:
                notify(uow.session, now, [target], key=f"handover:{case_id}:{now.isoformat()}",
                       kind="handover", text=f"Zaak {case_id}: er is werk aan u overgedragen",
                       link=f"/cases/{case_id}", case_id=case_id)  # fmt: skip
            uow.commit()
        done.append(Handover(case_id, len(ids)))
    return done


def put_on_agenda(rt: Runtime, actor: Actor, case_id: int) -> None:
    """Put the case on the consultatieteam's agenda (opschaling, domain P6 step 3): a case event,
    and the region's procesregisseurs, who prepare that agenda, are told. Raises NotFound, Conflict."""
    now = rt.clock.now()
    with rt.uow() as uow:
        case = _coordinated_case(uow.session, actor, case_id)
        if case.status != "open":
            raise Conflict("Deze zaak is afgesloten.", code="case_closed")
        escalation = _active_escalation(uow.session, case_id)
        if escalation is not None:
            escalation.on_agenda_at = now
        audit.record(uow.session, now, actor, case_id, "consultatieteam_agenda",
                     data={"escalation": escalation.id if escalation else None})  # fmt: skip
        chairs = uow.session.scalars(
            select(UserRole.user_id).where(UserRole.region == case.region, UserRole.role == "procesregisseur")
        )
        notify(uow.session, now, chairs, key=f"agenda:{case_id}:{now.isoformat()}", kind="agenda",
               text=f"Zaak {case_id} staat op de agenda van het consultatieteam", link=f"/cases/{case_id}",
               case_id=case_id)  # fmt: skip
        uow.commit()


@dataclass(frozen=True)
class Colleague:
    username: str
    display_name: str
    roles: tuple[str, ...]


def colleagues(rt: Runtime, actor: Actor, region: str) -> list[Colleague]:
    """The active people of the region with their roles: whom a coordinator can hand work to.
    Raises Forbidden (not the region's coordinator)."""
    access.require_monitor_region(actor, region, "act_on_stuck")
    with rt.uow() as uow:
        rows = uow.session.execute(
            select(User.username, User.display_name, UserRole.role)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.region == region, User.is_active.is_(True))
            .order_by(User.username, UserRole.role)
        ).all()
    people: dict[str, Colleague] = {}
    for username, name, role in rows:
        known = people.get(username)
        people[username] = Colleague(username, name, (*known.roles, role) if known else (role,))
    return list(people.values())
