"""Start, login and logout pages in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from engine import cases
from engine.accounts import actor_by_username
from tests.web.conftest import LiveServer, assert_accessible, login


def test_start_sends_an_anonymous_visitor_to_a_login_page_naming_the_demo_users(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="Inloggen", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Demogebruikers"))).to_contain_text(
        "utrecht.procesregisseur"
    )
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page)


def test_wrong_password_shows_a_focused_error_and_keeps_the_username(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill("utrecht.teamlid")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    summary = page.locator(".mda-error-summary")
    expect(summary).to_contain_text("Onjuiste gebruikersnaam of wachtwoord")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("utrecht.teamlid")
    assert_accessible(page)


def test_logout_ends_the_session_and_the_inbox_is_refused(page: Page, live_server: LiveServer) -> None:
    login(page, "zeeland.veilig_thuis")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    signed_in_cookies = page.context.cookies()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/inbox")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Finbox$"))
    page.context.clear_cookies()
    page.context.add_cookies(signed_in_cookies)  # the cookie of before the logout, replayed
    page.goto("/inbox")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Finbox$"))


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(page: Page) -> None:
    page.goto("/cases")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcases$"))
    page.get_by_label("Gebruikersnaam").fill("zeeland.coordinator")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/cases$"))
    page.context.clear_cookies()
    page.goto("/login?next=//evil.example/")
    page.get_by_label("Gebruikersnaam").fill("zeeland.coordinator")
    page.get_by_label("Wachtwoord").fill("demo")
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/inbox$"))


def test_pages_fit_a_phone_screen_without_sideways_scrolling(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="nl-NL"
    )
    phone = context.new_page()
    rt = live_server.rt
    start = rt.forms[cases.start_form_key(rt, "haaglanden") or ""]
    case = cases.start_case(
        rt, actor_by_username(rt, "haaglanden.aanmelder"), "haaglanden", start.examples("haaglanden")
    )
    try:
        for path in ("/login", "/toegankelijkheidsverklaring"):
            phone.goto(path)
            assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        login(phone, "haaglanden.coordinator")
        for path in ("/inbox", "/cases", "/cases/new", f"/cases/{case.id}"):
            phone.goto(path)
            assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            expect(phone.get_by_role("button", name="Uitloggen")).to_be_in_viewport()
        expect(phone.locator('#diagram[data-drawn="true"] svg').first).to_be_visible()
    finally:
        context.close()


def test_a_case_one_may_not_see_is_a_dutch_404_page_in_the_layout(page: Page) -> None:
    login(page, "zeeland.teamlid")
    response = page.goto("/cases/2147483000")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    expect(page.get_by_text("Deze zaak bestaat niet of u heeft er geen toegang toe.")).to_be_visible()
    assert_accessible(page)
