"""Case lists and inboxes page by keyset (each page continues after the last row of the one
before, whatever was added meanwhile), count exactly up to a cap, and a list page's access-log
rows are written together."""

from __future__ import annotations

from sqlalchemy import func, select

from engine import access, accounts, cases, tasks
from engine.accounts import actor_by_username
from engine.runtime import Runtime
from engine.storage.queries import capped_total
from engine.storage.tables import AccessLog, Case
from tests.factories import TEST_PROCESS, complete_open, open_tasks, start_test_case


def test_case_list_pages_by_keyset_through_every_visible_case(rt: Runtime, actor) -> None:
    started = [start_test_case(rt).id for _ in range(5)]
    coordinator = actor("utrecht", "coordinator")
    everything, total = cases.list_cases(rt, coordinator, cases.CaseFilter(limit=50))
    seen: list[int] = []
    page = cases.case_page(rt, coordinator, cases.CaseFilter(limit=2))
    while True:
        seen += [c.id for c in page.items]
        if page.next_after is None:
            break
        start_test_case(rt)  # newer activity never shifts the pages still to come
        page = cases.case_page(rt, coordinator, cases.CaseFilter(limit=2, after=page.next_after))
    assert seen == [c.id for c in everything] and set(started) <= set(seen)
    assert total == len(everything)


def test_inbox_pages_by_keyset_in_due_order(rt: Runtime, actor) -> None:
    for _ in range(5):
        start_test_case(rt)  # each opens a triage task for veilig_thuis
    triage = actor("utrecht", "veilig_thuis")
    everything, total = tasks.inbox(rt, triage, tasks.TaskFilter(limit=50))
    assert total == len(everything) >= 5
    seen: list[str] = []
    page = tasks.inbox_page(rt, triage, tasks.TaskFilter(limit=2))
    while True:
        seen += [t.id for t in page.items]
        if page.next_after is None:
            break
        page = tasks.inbox_page(rt, triage, tasks.TaskFilter(limit=2, after=page.next_after))
    assert seen == [t.id for t in everything]


def test_totals_are_exact_up_to_the_cap_and_say_more_beyond(rt: Runtime) -> None:
    for _ in range(4):
        start_test_case(rt)
    with rt.uow() as uow:
        session = uow.session
        all_cases = session.scalar(select(func.count()).select_from(Case))
        parts = [
            select(Case.id).where(Case.region == "utrecht"),
            select(Case.id).where(Case.region != "utrecht"),
        ]
        assert capped_total(session, parts, cap=100) == all_cases  # parts that share no row
        assert capped_total(session, parts, cap=2) == 3  # cap + 1: "more than 2"
        assert capped_total(session, [parts[1], parts[0]], cap=2) == 3  # whichever part fills it


def test_a_list_page_logs_one_read_per_case_shown(rt: Runtime, actor) -> None:
    for _ in range(3):
        start_test_case(rt)
    coordinator = actor("utrecht", "coordinator")
    with rt.uow() as uow:
        last = uow.session.scalar(select(func.max(AccessLog.id)))
    shown, _ = cases.list_cases(rt, coordinator, cases.CaseFilter(limit=2))
    with rt.uow() as uow:
        logged = uow.session.execute(
            select(AccessLog.case_id, AccessLog.role, AccessLog.kind).where(AccessLog.id > (last or 0))
        ).all()
    assert sorted(logged) == sorted((c.id, "coordinator", "case_list") for c in shown)


def test_a_case_in_several_parts_of_the_visible_set_is_listed_and_counted_once(rt: Runtime, actor) -> None:
    """An aanmelder who also works Veilig Thuis's pool: on the team of the cases they started,
    able to claim every open triage, and assigned one triage of a colleague's case."""
    for username in ("utrecht.melder", "utrecht.collega"):
        accounts.add_user(rt, username, role="aanmelder", region="utrecht")
    accounts.add_user(rt, "utrecht.melder", role="veilig_thuis", region="utrecht")
    data = rt.forms["test_aanmelding"].examples("utrecht")
    by_person, by_colleague = (actor_by_username(rt, f"utrecht.{name}") for name in ("melder", "collega"))
    own = [cases.start_case(rt, by_person, "utrecht", data, process_id=TEST_PROCESS).id for _ in range(3)]
    others = [
        cases.start_case(rt, by_colleague, "utrecht", data, process_id=TEST_PROCESS).id for _ in range(3)
    ]
    complete_open(rt, others[0], "triage")  # no open work left for them: not visible
    tasks.assign(rt, actor("utrecht", "coordinator"), open_tasks(rt, others[1])[0].id, "utrecht.melder")
    person = actor_by_username(rt, "utrecht.melder")
    with rt.uow() as uow:
        everything = list(uow.session.scalars(select(Case)))
        visible = set(access.viewing_roles(uow.session, person, everything))
    assert visible == {*own, others[1], others[2]}
    first = cases.case_page(rt, person, cases.CaseFilter(limit=50))
    assert first.total == len(visible) and {c.id for c in first.items} == visible
    seen: list[int] = []
    page = cases.case_page(rt, person, cases.CaseFilter(limit=1))
    while True:
        seen += [c.id for c in page.items]
        assert page.total == len(visible)
        if page.next_after is None:
            break
        page = cases.case_page(rt, person, cases.CaseFilter(limit=1, after=page.next_after))
    assert seen == [c.id for c in first.items]
    open_ones = cases.case_page(rt, person, cases.CaseFilter(status="open", limit=50))
    assert open_ones.total == len(visible) and [c.id for c in open_ones.items] == seen
