"""The engine services behind the web pages (issue 9): the inbox's groups, order, paging, filters
and counts; saved filters; the case file's diagrams and markers; the task page's context. On
every configured database, arranged through engine calls."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import accounts, case_file, saved_filters, tasks
from engine.errors import Invalid, NotFound
from engine.inbox import InboxFilter, inbox_view
from engine.runtime import Runtime
from engine.storage.tables import AccessLog
from tests.factories import complete_open, open_tasks, start_test_case


def walk_to_plan(rt: Runtime, case_id: int, casusregisseur: str = "utrecht.casusregisseur") -> None:
    """triage → analysis (appoints the casusregisseur) → both checks: the plan is open, due in 5 days."""
    complete_open(rt, case_id, "triage")
    complete_open(rt, case_id, "analyse", casusregisseur=casusregisseur)
    for task in open_tasks(rt, case_id):  # both checks; check_b is the appointed casusregisseur's
        who = casusregisseur if task.role == "casusregisseur" else f"utrecht.{task.role}"
        tasks.complete(
            rt,
            accounts.actor_by_username(rt, who),
            task.id,
            rt.forms[task.form_key or ""].examples("utrecht"),
        )


def test_inbox_shows_my_tasks_least_time_left_first_and_without_due_date_last(rt: Runtime, actor) -> None:
    # A casusregisseur who also works Veilig Thuis' pool (a user of this test only; demo users stay).
    accounts.add_user(rt, "utrecht.cr2", role="casusregisseur", region="utrecht")
    accounts.add_user(rt, "utrecht.cr2", role="veilig_thuis", region="utrecht")
    first = start_test_case(rt).id
    walk_to_plan(rt, first, "utrecht.cr2")
    rt.clock.advance("P1D")
    second = start_test_case(rt).id
    walk_to_plan(rt, second, "utrecht.cr2")
    third = start_test_case(rt).id
    regisseur = accounts.actor_by_username(rt, "utrecht.cr2")
    tasks.claim(rt, regisseur, open_tasks(rt, third)[0].id)

    view = inbox_view(rt, regisseur, InboxFilter())
    assert [r.task.case_id for r in view.mine.rows] == [first, second, third]
    assert [r.task.due_at is None for r in view.mine.rows] == [False, False, True]
    assert view.mine.total == 3 and view.pool.total == 0
    assert all(r.is_mine and not r.can_assign for r in view.mine.rows)
    assert view.mine.rows[0].case_title == "Familie Jansen"


def test_inbox_pages_filters_and_counts(rt: Runtime, actor) -> None:
    ids = [start_test_case(rt).id for _ in range(28)]
    planned = ids[0]
    walk_to_plan(rt, planned)  # its plan goes to the appointed casusregisseur, not to the pool
    rt.clock.advance("P6D")  # the plan is overdue now
    vt = actor("utrecht", "veilig_thuis")

    pages = [inbox_view(rt, vt, InboxFilter(page_size=10))]
    while pages[-1].pool.next_after is not None:
        pages.append(inbox_view(rt, vt, InboxFilter(page_size=10, after_pool=pages[-1].pool.next_after)))
    assert [(p.pool.total, len(p.pool.rows), p.pool.is_first_page) for p in pages] == [
        (27, 10, True),
        (27, 10, False),
        (27, 7, False),
    ]
    seen = [r.task.id for p in pages for r in p.pool.rows]
    assert len(set(seen)) == 27
    view = pages[0]
    assert view.counts["role"] == {"veilig_thuis": 27}
    assert view.counts["termijn"] == {"verlopen": 0, "geen": 27}
    assert view.counts["groep"] == {"pool": 27}

    coordinator_view = inbox_view(rt, actor("utrecht", "casusregisseur"), InboxFilter(termijn="verlopen"))
    assert [r.task.case_id for r in coordinator_view.mine.rows] == [planned]
    assert coordinator_view.mine.rows[0].is_overdue
    assert inbox_view(rt, actor("utrecht", "casusregisseur"), InboxFilter(termijn="geen")).mine.total == 0
    assert inbox_view(rt, vt, InboxFilter(phase="monitoring")).pool.total == 0
    assert inbox_view(rt, vt, InboxFilter(region="haaglanden")).pool.total == 0


def test_inbox_logs_a_read_of_each_case_it_shows_and_shows_nothing_across_regions(rt: Runtime, actor) -> None:
    case_id = start_test_case(rt).id
    vt = actor("utrecht", "veilig_thuis")
    inbox_view(rt, vt, InboxFilter())
    with rt.uow() as uow:
        rows = uow.session.scalars(
            select(AccessLog).where(AccessLog.case_id == case_id, AccessLog.kind == "inbox")
        )
        assert [(r.user_id, r.role) for r in rows] == [(vt.user_id, "veilig_thuis")]
    outsider = inbox_view(rt, actor("haaglanden", "veilig_thuis"), InboxFilter())
    assert outsider.total == 0 and outsider.counts["role"] == {} and outsider.pool.rows == []


def test_coordinator_may_hand_pool_tasks_to_colleagues_of_the_role(rt: Runtime, actor) -> None:
    start_test_case(rt)
    accounts.add_user(rt, "utrecht.vt2", role="veilig_thuis", region="utrecht", display_name="Tweede VT")
    accounts.add_user(rt, "haaglanden.vt2", role="veilig_thuis", region="haaglanden")
    accounts.add_user(rt, "utrecht.coord2", role="coordinator", region="utrecht")
    accounts.add_user(rt, "utrecht.coord2", role="veilig_thuis", region="utrecht")  # so the pool shows
    row = inbox_view(rt, accounts.actor_by_username(rt, "utrecht.coord2"), InboxFilter()).pool.rows[0]
    assert row.can_assign
    assert {p.username for p in row.colleagues} == {"utrecht.veilig_thuis", "utrecht.vt2", "utrecht.coord2"}
    assert not inbox_view(rt, actor("utrecht", "veilig_thuis"), InboxFilter()).pool.rows[0].can_assign


def test_saved_filters_are_personal_named_and_keep_only_filter_fields(rt: Runtime, actor) -> None:
    vt, other = actor("utrecht", "veilig_thuis"), actor("utrecht", "procesregisseur")
    saved = saved_filters.save_filter(rt, vt, " Verlopen ", {"termijn": "verlopen", "evil": "x", "role": ""})
    assert (saved.name, saved.query) == ("Verlopen", {"termijn": "verlopen"})
    again = saved_filters.save_filter(rt, vt, "Verlopen", {"phase": "triage"})
    assert again.id == saved.id and again.query == {"phase": "triage"}
    assert [f.name for f in saved_filters.list_filters(rt, vt)] == ["Verlopen"]
    assert saved_filters.list_filters(rt, other) == []
    with pytest.raises(NotFound):
        saved_filters.delete_filter(rt, other, saved.id)
    for bad in ("", "   ", "x" * 81, None, 42):
        with pytest.raises(Invalid):
            saved_filters.save_filter(rt, vt, bad, {})
    saved_filters.delete_filter(rt, vt, saved.id)
    assert saved_filters.list_filters(rt, vt) == []


def test_case_file_marks_open_and_done_elements_per_diagram_and_logs_the_read(rt: Runtime, actor) -> None:
    case_id = start_test_case(rt).id
    walk_to_plan(rt, case_id)
    coordinator = actor("utrecht", "coordinator")
    found = case_file.case_file(rt, coordinator, case_id)
    main = found.diagrams[0]
    assert main.process_id == "test_flow" and "<bpmn:definitions" in main.xml
    assert main.open_ids == ["plan"]
    assert {"triage", "analyse", "check_a", "check_b"} <= set(main.done_ids)
    assert "test_interval" in [d.process_id for d in found.diagrams]  # the called process
    assert found.household.data["gezinsnaam"] == "Familie Jansen"
    assert found.household.form is not None and found.household.form["key"] == "test_aanmelding"
    with rt.uow() as uow:
        kinds = uow.session.scalars(
            select(AccessLog.kind).where(
                AccessLog.case_id == case_id, AccessLog.user_id == coordinator.user_id
            )
        ).all()
    assert kinds == ["case_read"]
    with pytest.raises(NotFound):
        case_file.case_file(rt, actor("haaglanden", "coordinator"), case_id)


def test_task_page_offers_only_people_of_the_role_in_the_region(rt: Runtime, actor) -> None:
    case_id = start_test_case(rt).id
    complete_open(rt, case_id, "triage")
    accounts.add_user(rt, "haaglanden.cr2", role="casusregisseur", region="haaglanden")
    analyse = open_tasks(rt, case_id)[0]
    page = case_file.task_page(rt, actor("utrecht", "procesregisseur"), analyse.id)
    assert [p.username for p in page.people["casusregisseur"]] == ["utrecht.casusregisseur"]
    assert page.household.data["gezinsnaam"] == "Familie Jansen" and page.plan is None
    assert not page.can_assign
    assert case_file.task_page(rt, actor("utrecht", "coordinator"), analyse.id).can_assign
    with pytest.raises(NotFound):
        case_file.task_page(rt, actor("haaglanden", "procesregisseur"), analyse.id)
