"""The cases list over real HTTP beyond the total's cap (every configured database): with more than
1,000 visible cases the page says so instead of a number, and "Volgende pagina" (a keyset cursor)
keeps leading on past the thousandth case until the last one, showing each case once; a broken
position shows the first page with a message."""

from __future__ import annotations

import html
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

    first = coordinator.get(f"{site}/cases", params={"region": "utrecht"}, timeout=30).text
    assert "Meer dan 1.000 zaken binnen dit filter." in first and "Eerste pagina" not in first
    seen: list[str] = []
    page, pages = first, 1
    while True:
        seen += shown(page)
        following = re.search(r'<a [^>]*rel="next" href="([^"]+)">Volgende pagina<', page)
        if following is None:
            break
        address = html.unescape(following.group(1))
        assert "region=utrecht" in address and "na=" in address
        page, pages = coordinator.get(f"{site}{address}", timeout=30).text, pages + 1
        assert "Eerste pagina" in page
    assert len(seen) == len(set(seen)) == utrecht and pages == last_page

    broken = coordinator.get(
        f"{site}/cases", params={"region": "utrecht", "na": "x", "pagina": 3}, timeout=30
    )
    assert broken.status_code == 200 and "klopt niet (meer). U ziet de eerste pagina." in broken.text
    assert shown(broken.text) == shown(first) and "Eerste pagina" not in broken.text


def shown(page: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a class="utrecht-link" href="/cases/(\d+)"', page)
