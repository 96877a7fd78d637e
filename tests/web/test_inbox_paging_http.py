"""The inbox over real HTTP (every configured database; issue 13): each group pages by keyset
through "Volgende pagina" links that keep the filters and the other group's position, showing
every task once, in order, even when work is added meanwhile; a link with a broken position
shows the first page with a message; past 1,000 tasks the numbers say "1.000+"."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import func, select, update

from engine import access, accounts, inbox
from engine.inbox import PAGE_SIZE
from engine.model_checks import PHASES
from engine.runtime import Runtime
from engine.storage.tables import Task
from tests.factories import pool_cases
from tests.web.test_case_file_http import signed_in, site  # noqa: F401 (site is a fixture)
from web.pages import BAD_POSITION

INBOX_ORDER = (Task.due_at.is_(None), Task.due_at, Task.created_at, Task.id)


def groups(page: str) -> dict[str, str]:
    """The HTML of each group's section: 'mine' and 'pool'."""
    mine = page.index('<section aria-labelledby="mijn-kop">')
    pool = page.index('<section aria-labelledby="pool-kop">')
    return {"mine": page[mine:pool], "pool": page[pool:]}


def task_ids(section: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a class="utrecht-link" href="/tasks/([0-9a-f-]+)"', section)


def link(section: str, text: str) -> str | None:
    found = re.search(rf'<a [^>]*href="([^"]+)">{text}<', section)
    return html.unescape(found.group(1)) if found else None


def in_inbox_order(rt: Runtime, where: Any) -> list[str]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(Task.id).where(where).order_by(*INBOX_ORDER)))


def walk(session: requests.Session, base: str, start: str, group: str) -> tuple[list[str], list[str]]:
    """Follow one group's 'Volgende pagina' links from `start`: the tasks it showed in order,
    and each page's address."""
    seen: list[str] = []
    addresses = [start]
    while True:
        answer = session.get(f"{base}{addresses[-1]}", timeout=30)
        assert answer.status_code == 200, (addresses[-1], answer.status_code)
        section = groups(answer.text)[group]
        seen += task_ids(section)
        following = link(section, "Volgende pagina")
        if following is None:
            return seen, addresses
        addresses.append(following)


def test_each_group_pages_through_every_task_once_in_order(rt: Runtime, site: str) -> None:  # noqa: F811
    for role in ("veilig_thuis", "procesregisseur"):
        accounts.add_user(rt, "haaglanden.breed", role=role, region="haaglanden", password="demo")
    me = accounts.actor_by_username(rt, "haaglanden.breed")
    pool_cases(rt, "haaglanden", "veilig_thuis", 70)
    mine = pool_cases(rt, "haaglanden", "procesregisseur", 60, first_id=3_000_000)
    with rt.uow() as uow:  # 60 tasks of mine, the others of my pools
        uow.session.execute(update(Task).where(Task.id.in_(mine)).values(assignee_id=me.user_id))
        uow.commit()
    expected_mine = in_inbox_order(rt, (Task.status == "open") & (Task.assignee_id == me.user_id))
    expected_pool = in_inbox_order(rt, access.claimable(me))
    assert len(expected_mine) == 60 and len(expected_pool) == 70
    session, _ = signed_in(site, "haaglanden.breed")

    first = groups(session.get(f"{site}/inbox", timeout=30).text)
    assert link(first["mine"], "Eerste pagina") is None
    # Work added meanwhile, due before everything shown: a page count would shift the pages
    # still to come (a task twice); a keyset does not.
    pool_cases(rt, "haaglanden", "veilig_thuis", 1, first_id=4_000_000)
    with rt.uow() as uow:
        uow.session.execute(
            update(Task).where(Task.case_id == 4_000_000).values(due_at=rt.clock.now() - timedelta(days=30))
        )
        uow.commit()
    seen_mine, mine_pages = walk(session, site, "/inbox", "mine")
    assert seen_mine == expected_mine and len(mine_pages) == 3
    # The pool stayed on its first page meanwhile; from the last page of mine it walks on its own.
    last_mine = mine_pages[-1]
    seen_pool, pool_pages = walk(session, site, last_mine, "pool")
    assert seen_pool[:PAGE_SIZE] != expected_pool[:PAGE_SIZE]  # the added task leads a fresh page 1
    assert seen_pool[1:] == expected_pool and len(pool_pages) == 3
    for address in pool_pages[1:]:
        page = groups(session.get(f"{site}{address}", timeout=30).text)
        assert task_ids(page["mine"]) == expected_mine[2 * PAGE_SIZE :]  # mine's position is kept
        back = link(page["pool"], "Eerste pagina")
        assert back is not None and "pool=" not in back and "mijn=" in back

    # A filter is kept by every link, and pages through its own tasks only.
    filtered, filtered_pages = walk(session, site, "/inbox?phase=triage", "pool")
    with rt.uow() as uow:
        triage = set(uow.session.scalars(select(Task.id).where(Task.phase == "triage")))
    assert filtered == [t for t in [*seen_pool[:1], *expected_pool] if t in triage]
    assert all("phase=triage" in address for address in filtered_pages)


def test_a_broken_position_shows_the_first_page_with_a_message(rt: Runtime, site: str) -> None:  # noqa: F811
    pool_cases(rt, "utrecht", "veilig_thuis", 30)
    session, _ = signed_in(site, "utrecht.veilig_thuis")
    first = session.get(f"{site}/inbox", timeout=30).text
    following = link(groups(first)["pool"], "Volgende pagina")
    assert following is not None
    cursor = re.search(r"pool=([^&]+)", following)
    assert cursor is not None
    for broken in ("2", "0", cursor.group(1)[:-3], cursor.group(1) + "x", "W10", "WzEsMiwzXQ", "%00" * 5):
        answer = session.get(f"{site}/inbox?pool={broken}&termijn=geen", timeout=30)
        assert answer.status_code == 200, (broken, answer.status_code)
        assert html.escape(BAD_POSITION, quote=False) in answer.text.replace("&#39;", "'")
        pool = groups(answer.text)["pool"]
        assert link(pool, "Eerste pagina") is None and task_ids(pool)  # the first page, filter kept
        assert 'aria-current="true"' in answer.text and "Zonder termijn" in answer.text
    assert BAD_POSITION not in session.get(f"{site}{following}", timeout=30).text


def shown_count(page: str, facet: str, value: str) -> tuple[str, str]:
    """(text, spoken label) of the badge of a filter link."""
    found = re.search(
        rf'href="/inbox\?{facet}={value}"[^>]*>[^<]*<span class="mda-badge" aria-label="([^"]+)">([^<]+)<',
        page,
    )
    assert found is not None, (facet, value)
    return found.group(2), found.group(1)


def as_shown(count: int) -> str:
    return "1.000+" if count > 1000 else f"{count:,}".replace(",", ".")


# 1,050: the first 1,051 tasks, grouped, already put the pool, its role and region past the cap;
# only the other values are counted one by one
@pytest.mark.parametrize(
    "grouped_up_to", [5_000, 500, 1_050], ids=["grouped", "per-value", "per-value-past-cap-in-part"]
)
def test_numbers_past_the_cap_say_1000_plus_and_exact_ones_below_it(
    rt: Runtime,
    site: str,  # noqa: F811
    grouped_up_to: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every way of counting (one grouped pass; a capped count per filter value, or only for the
    values a partial grouped pass leaves under the cap) shows the same."""
    monkeypatch.setattr(inbox, "GROUPED_UP_TO", grouped_up_to)
    pool_cases(rt, "utrecht", "veilig_thuis", 1_100)
    session, _ = signed_in(site, "utrecht.veilig_thuis")
    page = session.get(f"{site}/inbox", timeout=30).text
    badge = re.search(
        r'id="pool-kop">Op te pakken <span class="mda-badge" aria-label="([^"]+)">([^<]+)<', page
    )
    assert badge is not None and badge.groups() == ("meer dan 1.000 taken", "1.000+")
    assert len(task_ids(groups(page)["pool"])) == PAGE_SIZE
    assert shown_count(page, "role", "veilig_thuis") == ("1.000+", "meer dan 1.000 taken")
    assert shown_count(page, "region", "utrecht")[0] == "1.000+"
    with rt.uow() as uow:
        per_phase = dict(
            uow.session.execute(
                select(Task.phase, func.count()).where(Task.status == "open").group_by(Task.phase)
            ).all()
        )
        undated = uow.session.scalar(select(func.count()).where(Task.status == "open", Task.due_at.is_(None)))
        overdue = uow.session.scalar(
            select(func.count()).where(Task.status == "open", Task.due_at < rt.clock.now())
        )
    for phase in PHASES:
        if per_phase.get(phase):
            assert shown_count(page, "phase", phase)[0] == as_shown(per_phase[phase]), phase
    assert shown_count(page, "termijn", "geen") == (str(undated), f"{undated} taken")
    assert shown_count(page, "termijn", "verlopen")[0] == as_shown(overdue or 0)
    for narrowing, expected in (("phase=triage", per_phase["triage"]), ("region=haaglanden", 0)):
        narrowed = session.get(f"{site}/inbox?{narrowing}", timeout=30).text
        assert re.search(rf'id="pool-kop">Op te pakken <span [^>]*>{expected}<', narrowed), narrowing
