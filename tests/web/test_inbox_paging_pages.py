"""The inbox's keyset paging in a real browser (issue 13): on to the next page of the pool and back
to its first page with the keyboard alone, a broken position answered with a message and the
first page, and axe-core on each. This module owns region West-Brabant on the shared server."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from engine.inbox import PAGE_SIZE
from tests.factories import pool_cases
from tests.web.conftest import LiveServer, assert_accessible, login
from tests.web.test_keyboard import tab_to

REGION = "west-brabant"


def test_the_pool_pages_on_and_back_by_keyboard(page: Page, live_server: LiveServer) -> None:
    pool_cases(live_server.rt, REGION, "veilig_thuis", PAGE_SIZE + 5, first_id=5_000_000)
    login(page, f"{REGION}.veilig_thuis")
    expect(page.locator("#pool-kop .mda-badge")).to_have_text(str(PAGE_SIZE + 5))
    pool_rows = page.locator('section[aria-labelledby="pool-kop"] tbody tr')
    expect(pool_rows).to_have_count(PAGE_SIZE)
    first_task = pool_rows.first.locator("th").inner_text()

    tab_to(
        page,
        lambda focused: focused["text"].lower().startswith("volgende pagina") and "pool=" in focused["href"],
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/inbox\?pool="))
    expect(pool_rows).to_have_count(5)
    expect(page.get_by_role("link", name="Volgende pagina van Op te pakken taken")).to_have_count(0)
    assert_accessible(page)

    tab_to(page, lambda focused: focused["text"].lower().startswith("eerste pagina"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(pool_rows).to_have_count(PAGE_SIZE)
    expect(pool_rows.first.locator("th")).to_have_text(first_task)


def test_a_broken_position_says_so_and_shows_the_first_page(page: Page, live_server: LiveServer) -> None:
    pool_cases(live_server.rt, REGION, "veilig_thuis", 3, first_id=5_100_000)
    login(page, f"{REGION}.veilig_thuis")
    page.goto("/inbox?pool=bestaat-niet&termijn=geen")
    expect(page.locator(".utrecht-alert")).to_contain_text("klopt niet (meer). U ziet de eerste pagina.")
    expect(page.get_by_role("link", name=re.compile(r"^Zonder termijn"))).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.get_by_role("link", name="Eerste pagina van Op te pakken taken")).to_have_count(0)
    assert_accessible(page)
