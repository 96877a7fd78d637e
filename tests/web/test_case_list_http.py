"""The cases list over real HTTP beyond the total's cap (every configured database): with more than
1,000 visible cases the page says so instead of a number, and "Volgende pagina" keeps leading on
past the thousandth case until the last one."""

from __future__ import annotations

import re
from math import ceil

from sqlalchemy import func, select

from bench import bulk
from engine.accounts import actor_by_username
from engine.runtime import Runtime
from engine.storage.tables import Case, ModelVersion
from tests.web.test_case_file_http import signed_in, site  # noqa: F401 (site is a fixture)
from web.cases.views import PAGE_SIZE


def test_a_list_past_the_cap_says_more_than_1000_and_pages_on_to_the_end(rt: Runtime, site: str) -> None:  # noqa: F811
    coordinator_id = actor_by_username(rt, "utrecht.coordinator").user_id
    assert coordinator_id is not None
    with rt.uow() as uow:
        version = uow.session.scalar(
            select(func.max(ModelVersion.id)).where(ModelVersion.process_id == "test_flow")
        )
    assert version is not None
    # 9,900 bulk cases over the nine regions: 1,100 in Utrecht, all visible to its coordinator
    bulk.fill_list_cases(rt, 1_000_000, 1_009_899, version, rt.clock.now(), coordinator_id)
    with rt.uow() as uow:
        utrecht = uow.session.scalar(select(func.count()).where(Case.region == "utrecht")) or 0
    last_page = ceil(utrecht / PAGE_SIZE)
    assert utrecht > 1_000 and last_page * PAGE_SIZE - utrecht < PAGE_SIZE
    coordinator, _ = signed_in(site, "utrecht.coordinator")

    def page(number: int) -> str:
        params: dict[str, str | int] = {"region": "utrecht", "pagina": number}
        return coordinator.get(f"{site}/cases", params=params, timeout=30).text

    first = page(1)
    assert "Meer dan 1.000 zaken binnen dit filter." in first
    assert re.search(r"Pagina 1\s*<", first) and "Volgende pagina" in first
    beyond = 1_000 // PAGE_SIZE + 1  # the page after the thousandth case
    past_cap = page(beyond)
    assert re.search(rf"Pagina {beyond}\s*<", past_cap) and "Volgende pagina" in past_cap
    last = page(last_page)
    assert last.count('href="/cases/') >= 1 and "Volgende pagina" not in last
