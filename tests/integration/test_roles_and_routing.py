"""Roles and routing (CONTRACT §3): a lane's tasks go to the role pool of the case's region until a
person is appointed in that role, then to that person; claims, unclaims and assignments follow the
rules; nothing crosses regions; every read of a case or task by a person is access-logged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import accounts, cases, tasks
from engine.errors import Conflict, Forbidden, Invalid, NotFound
from engine.runtime import Actor, Runtime
from engine.storage.tables import AccessLog, Case, CaseTeamMember, Task, User
from forms.validation import Form
from tests.factories import complete_open, open_tasks, start_test_case
from tests.integration.case_rows import row_counts, tasks_of


def inbox_ids(rt: Runtime, who: Actor) -> set[str]:
    found, total = tasks.inbox(rt, who, tasks.TaskFilter(limit=500))
    assert total == len(found)
    return {t.id for t in found}


def second_user(rt: Runtime, role: str, region: str = "utrecht") -> Actor:
    accounts.add_user(rt, f"{region}.{role}.twee", role=role, region=region)
    return accounts.actor_by_username(rt, f"{region}.{role}.twee")


def test_lane_task_goes_to_the_role_pool_of_the_cases_region(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    assert (triage.role, triage.region, triage.assignee_id) == ("veilig_thuis", "utrecht", None)

    assert triage.id in inbox_ids(rt, actor("utrecht", "veilig_thuis"))
    assert triage.id in inbox_ids(rt, second_user(rt, "veilig_thuis"))  # the whole pool sees it
    assert triage.id not in inbox_ids(rt, actor("utrecht", "procesregisseur"))  # another lane's role
    assert triage.id not in inbox_ids(rt, actor("haaglanden", "veilig_thuis"))  # another region


def test_appointed_casusregisseur_gets_the_tasks_of_that_lane(rt: Runtime, actor) -> None:
    other = second_user(rt, "casusregisseur")
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")
    complete_open(rt, case.id, "analyse", casusregisseur="utrecht.casusregisseur")
    appointed = actor("utrecht", "casusregisseur")

    by_spec = {t.spec_id: t for t in open_tasks(rt, case.id)}
    assert by_spec["check_b"].assignee_id == appointed.user_id  # casusregisseur lane: to the person
    assert by_spec["check_a"].assignee_id is None  # procesregisseur lane: still the pool
    assert by_spec["check_b"].id in inbox_ids(rt, appointed)
    assert by_spec["check_b"].id not in inbox_ids(rt, other)
    with pytest.raises(Conflict) as taken:
        tasks.complete(rt, other, by_spec["check_b"].id, {})
    assert taken.value.code == "task_already_claimed"
    with pytest.raises(NotFound):  # need to know: not on this case
        cases.get_case(rt, other, case.id)

    complete_open(rt, case.id, "check_a")
    complete_open(rt, case.id, "check_b")
    (plan,) = open_tasks(rt, case.id)  # later tasks of the lane go straight to the person too
    assert plan.assignee_id == appointed.user_id
    assert "casusregisseur" in {m.role for m in cases.get_case(rt, appointed, case.id).team}


def test_a_task_reserved_for_the_team_member_is_hidden_alike_from_inbox_case_and_completion(
    rt: Runtime, actor
) -> None:
    """One claimable rule (engine/access.py) answers the inbox, case visibility and completion: a
    role holder who is not the case's appointed casusregisseur neither sees the case through its
    reserved task nor finds the task in the inbox, and is not told it exists when completing it.
    (Before, the case was visible, the task missing from the inbox, and completing it refused.)"""
    other = second_user(rt, "casusregisseur")
    appointed = actor("utrecht", "casusregisseur")
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")
    complete_open(rt, case.id, "analyse", casusregisseur="utrecht.casusregisseur")
    check_b = next(t for t in open_tasks(rt, case.id) if t.spec_id == "check_b")
    tasks.unclaim(rt, appointed, check_b.id)  # back to the pool, but still reserved for the team member

    assert check_b.id not in inbox_ids(rt, other)
    with pytest.raises(NotFound):
        cases.get_case(rt, other, case.id)
    assert case.id not in {c.id for c in cases.list_cases(rt, other, cases.CaseFilter(limit=200))[0]}
    for attempt in (tasks.get_task, tasks.claim):
        with pytest.raises(NotFound):
            attempt(rt, other, check_b.id)
    with pytest.raises(NotFound):
        tasks.complete(rt, other, check_b.id, {})

    assert check_b.id in inbox_ids(rt, appointed)  # the team member still has it, and may finish it
    assert cases.get_case(rt, appointed, case.id).case.id == case.id
    tasks.complete(rt, appointed, check_b.id, rt.forms["test_check"].examples("utrecht"))


def test_appointing_someone_without_the_role_in_the_region_is_refused(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")
    for username in ("utrecht.teamlid", "haaglanden.casusregisseur"):
        with pytest.raises(Invalid):
            complete_open(rt, case.id, "analyse", casusregisseur=username)
    assert [t.spec_id for t in open_tasks(rt, case.id)] == ["analyse"]


def test_user_of_another_region_sees_nothing_of_the_case(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    before = row_counts(rt)
    for role in ("veilig_thuis", "coordinator", "beheerder", "procesregisseur"):
        stranger = actor("haaglanden", role)
        with pytest.raises(NotFound):
            cases.get_case(rt, stranger, case.id)
        with pytest.raises(NotFound):
            tasks.get_task(rt, stranger, triage.id)
        with pytest.raises(NotFound):
            tasks.claim(rt, stranger, triage.id)
        with pytest.raises(NotFound):
            tasks.complete(rt, stranger, triage.id, {"structureel": True})
        with pytest.raises(NotFound):
            tasks.assign(rt, stranger, triage.id, "utrecht.veilig_thuis")
        assert cases.list_cases(rt, stranger, cases.CaseFilter())[1] == 0
        assert inbox_ids(rt, stranger) == set()
    assert row_counts(rt) == before  # and nobody's refused read was logged as a read


def test_a_claimed_task_is_taken_from_the_pool_until_it_is_given_back(rt: Runtime, actor) -> None:
    first, second = actor("utrecht", "veilig_thuis"), second_user(rt, "veilig_thuis")
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)

    assert tasks.claim(rt, first, triage.id).assignee == first.username
    assert tasks.claim(rt, first, triage.id).assignee == first.username  # claiming again is harmless
    with pytest.raises(Conflict) as taken:
        tasks.claim(rt, second, triage.id)
    assert taken.value.code == "task_already_claimed"
    assert triage.id not in inbox_ids(rt, second)
    with pytest.raises(Conflict):
        tasks.complete(rt, second, triage.id, {"structureel": True})

    assert tasks.unclaim(rt, first, triage.id).assignee is None
    assert triage.id in inbox_ids(rt, second)
    tasks.claim(rt, second, triage.id)
    tasks.complete(rt, second, triage.id, {"structureel": True})
    (done,) = tasks_of(rt, case.id, "triage")
    assert (done.status, done.completed_by) == ("completed", second.user_id)
    with pytest.raises(Conflict) as closed:
        tasks.claim(rt, first, triage.id)
    assert closed.value.code == "task_not_open"


def test_another_pool_member_cannot_give_a_claimed_task_back_but_the_coordinator_can(
    rt: Runtime, actor
) -> None:
    first, second = actor("utrecht", "veilig_thuis"), second_user(rt, "veilig_thuis")
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    tasks.claim(rt, first, triage.id)
    with pytest.raises((Forbidden, NotFound)):
        tasks.unclaim(rt, second, triage.id)
    assert tasks.unclaim(rt, actor("utrecht", "coordinator"), triage.id).assignee is None


def test_a_role_pool_member_cannot_work_on_another_roles_task(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    with pytest.raises(NotFound):
        tasks.claim(rt, actor("utrecht", "procesregisseur"), triage.id)
    with pytest.raises(Forbidden):  # the coordinator oversees the case but does not do the triage
        tasks.claim(rt, actor("utrecht", "coordinator"), triage.id)


def test_coordinator_assigns_a_task_to_someone_holding_its_role(rt: Runtime, actor) -> None:
    second = second_user(rt, "veilig_thuis")
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    coordinator = actor("utrecht", "coordinator")
    with pytest.raises(Forbidden):  # the pool sees the task, but does not hand it out
        tasks.assign(rt, actor("utrecht", "veilig_thuis"), triage.id, "utrecht.veilig_thuis")

    assert tasks.assign(rt, coordinator, triage.id, second.username).assignee == second.username
    assert triage.id in inbox_ids(rt, second)
    assert triage.id not in inbox_ids(rt, actor("utrecht", "veilig_thuis"))
    for wrong in ("utrecht.procesregisseur", "haaglanden.veilig_thuis", "niemand", None, 5):
        with pytest.raises(Invalid):
            tasks.assign(rt, coordinator, triage.id, wrong)
    with pytest.raises(NotFound):  # once it is someone else's, the rest of the pool no longer sees it
        tasks.get_task(rt, actor("utrecht", "veilig_thuis"), triage.id)


def access_rows(rt: Runtime, case_id: int) -> list[tuple[str, str, int, str]]:
    with rt.uow() as uow:
        rows = uow.session.execute(
            select(User.username, AccessLog.role, AccessLog.case_id, AccessLog.kind)
            .join(User, User.id == AccessLog.user_id)
            .where(AccessLog.case_id == case_id)
            .order_by(AccessLog.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_every_read_of_a_case_or_task_is_access_logged(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    assert access_rows(rt, case.id) == []

    cases.get_case(rt, actor("utrecht", "coordinator"), case.id)
    tasks.get_task(rt, actor("utrecht", "veilig_thuis"), triage.id)
    cases.get_case(rt, actor("utrecht", "veilig_thuis"), case.id)
    cases.get_case(rt, actor("utrecht", "aanmelder"), case.id)
    with pytest.raises(NotFound):
        cases.get_case(rt, actor("haaglanden", "coordinator"), case.id)

    assert access_rows(rt, case.id) == [
        ("utrecht.coordinator", "coordinator", case.id, "case_read"),
        ("utrecht.veilig_thuis", "veilig_thuis", case.id, "task_read"),
        ("utrecht.veilig_thuis", "veilig_thuis", case.id, "case_read"),
        ("utrecht.aanmelder", "aanmelder", case.id, "case_read"),
    ]
    log = cases.access_log(rt, actor("utrecht", "coordinator"), case.id)
    assert [(e.username, e.role, e.kind) for e in log][:4] == [
        (u, r, k) for u, r, _, k in access_rows(rt, case.id)
    ][:4]
    assert all(e.at == rt.clock.now() for e in log)
    with pytest.raises(Forbidden):  # the access log itself is for the region's overseers
        cases.access_log(rt, actor("utrecht", "veilig_thuis"), case.id)


def appoint(rt: Runtime, case_id: int, role: str, username: str) -> None:
    """What a form's person field named after the role does (`tasks.apply_person_fields`)."""
    appointing = Form("aanstelling", "Aanstelling", [{"name": role, "label": role, "type": "person"}])
    coordinator, now = accounts.actor_by_username(rt, "utrecht.coordinator"), rt.clock.now()
    with rt.uow() as uow:
        case = uow.session.get(Case, case_id)
        assert case is not None
        tasks.apply_person_fields(uow.session, now, coordinator, case, appointing, {role: username})
        uow.commit()


def test_an_appointment_keeps_the_roles_open_work_for_the_member_also_when_someone_holds_it(
    rt: Runtime, actor
) -> None:
    """The reservation is kept on the task row (`reserved_for`, read by the pool lists from their
    index): an appointment sets it on the role's open tasks, a claimed one stays with whoever
    holds it, and once given back only the appointed member finds it; a new appointment moves it."""
    holder, first = second_user(rt, "procesregisseur"), actor("utrecht", "procesregisseur")
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")
    (analyse,) = open_tasks(rt, case.id)
    assert (analyse.role, analyse.reserved_for) == ("procesregisseur", None)
    tasks.claim(rt, holder, analyse.id)

    appoint(rt, case.id, "procesregisseur", first.username)
    (held,) = open_tasks(rt, case.id)
    assert (held.assignee_id, held.reserved_for) == (holder.user_id, first.user_id)
    tasks.unclaim(rt, holder, analyse.id)
    assert analyse.id not in inbox_ids(rt, holder)
    assert analyse.id in inbox_ids(rt, first)

    appoint(rt, case.id, "procesregisseur", holder.username)  # the place goes to the other one
    (moved,) = open_tasks(rt, case.id)
    assert (moved.assignee_id, moved.reserved_for) == (holder.user_id, holder.user_id)
    assert analyse.id not in inbox_ids(rt, first)


def test_every_task_row_names_the_member_its_role_is_kept_for(rt: Runtime, actor) -> None:
    """The invariant the pool lists rely on: a task's `reserved_for` is the case team's member
    in the task's role, for the tasks a case's steps made before and after the appointments."""
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")
    complete_open(rt, case.id, "analyse", casusregisseur="utrecht.casusregisseur")
    complete_open(rt, case.id, "check_a")
    with rt.uow() as uow:
        team = dict(
            uow.session.execute(
                select(CaseTeamMember.role, CaseTeamMember.user_id).where(CaseTeamMember.case_id == case.id)
            ).all()
        )
        rows = uow.session.execute(
            select(Task.spec_id, Task.role, Task.reserved_for).where(Task.case_id == case.id)
        ).all()
    assert "casusregisseur" in team and len(rows) == 4
    assert [(spec, team.get(role)) for spec, role, _ in rows] == [(spec, kept) for spec, _, kept in rows]
    assert any(kept is not None for _, _, kept in rows)
