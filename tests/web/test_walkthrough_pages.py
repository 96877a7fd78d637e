"""The professionals' day in a real browser (issue 9, Must show): register an aanmelding, see the
inbox with its counts, filter and save the filter, claim a task, submit its form with an error
first and then correctly, open the case file with the diagram drawn and the route as text, hand
a task to a colleague, log out. Axe-core checks every page on the way; screenshots are written
to test-artifacts/screenshots/. This module owns region Utrecht on the shared server."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from engine import accounts
from tests.web.conftest import LiveServer, assert_accessible, case_id_from, fill_form, login, screenshot

REGION = "utrecht"


def logout(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_a_case_from_aanmelding_to_a_task_handed_to_a_colleague(page: Page, live_server: LiveServer) -> None:
    rt = live_server.rt
    accounts.add_user(
        rt,
        "utrecht.procesregisseur2",
        role="procesregisseur",
        region=REGION,
        password="demo",
        display_name="Tweede procesregisseur",
    )

    # 1. A new aanmelding: refused while incomplete, registered once complete.
    login(page, f"{REGION}.aanmelder")
    page.get_by_role("link", name="Nieuwe aanmelding").click()
    start_form = rt.forms["aanmelding"].as_dict(REGION)
    expect(page.get_by_role("heading", level=2)).to_contain_text(start_form["title"])
    assert_accessible(page)
    page.get_by_role("button", name="Aanmelding registreren").click()
    expect(page.locator(".mda-error-summary")).to_be_focused()
    fill_form(page, start_form, rt.forms["aanmelding"].examples(REGION))
    page.get_by_role("button", name="Aanmelding registreren").click()
    expect(page.locator(".utrecht-alert")).to_contain_text("geregistreerd als zaak")
    case_id = case_id_from(page)
    expect(page.locator(".mda-route-list")).to_contain_text("Aanmelding geregistreerd")
    logout(page)

    # 2. The inbox with its counts; filter on the phase and save the filter.
    login(page, f"{REGION}.procesregisseur")
    expect(page.locator("#pool-kop .mda-badge")).to_have_text("1")
    expect(page.locator("#mijn-kop .mda-badge")).to_have_text("0")
    phase_filter = page.get_by_role("link", name=re.compile(r"^Triage"))
    expect(phase_filter.locator(".mda-badge")).to_have_text("1")
    expect(page.get_by_role("link", name=re.compile(r"^Verlopen")).locator(".mda-badge")).to_have_text("0")
    assert_accessible(page)
    phase_filter.click()
    expect(page).to_have_url(re.compile(r"phase=triage"))
    page.get_by_label("Naam voor dit filter").fill("Mijn triage")
    page.get_by_role("button", name="Filter bewaren").click()
    expect(page.locator(".utrecht-alert")).to_contain_text("Filter 'Mijn triage' is bewaard")
    logout(page)
    login(page, f"{REGION}.procesregisseur")
    page.get_by_role("link", name="Mijn triage").click()
    expect(page).to_have_url(re.compile(r"phase=triage"))

    # 3. Claim the triage: it moves from the pool to my tasks.
    row = page.locator("tr", has_text=f"Zaak {case_id}")
    row.get_by_role("button", name=re.compile("^Oppakken")).click()
    expect(page.locator(".utrecht-alert")).to_contain_text("U heeft de taak opgepakt")
    expect(page.locator("#mijn-kop .mda-badge")).to_have_text("1")
    expect(page.locator("#pool-kop .mda-badge")).to_have_text("0")
    screenshot(page, "inbox")

    # 4. The task's form: an error first (focused summary, values kept), then complete.
    page.locator("#mijn-kop ~ * a", has_text="Gezamenlijke triage").first.click()
    triage = rt.forms["triage_utrecht"]
    form = triage.as_dict(REGION)
    examples = triage.examples(REGION)
    fill_form(page, form, examples, skip=("onderbouwing",))
    page.get_by_role("button", name="Afronden").click()
    summary = page.locator(".mda-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("Onderbouwing van het triagebesluit"))).to_be_visible()
    expect(page.locator("#veld-onderbouwing")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#veld-vt_informatie")).to_have_value(examples["vt_informatie"])
    expect(page.locator('input[name="veelvuldig_geweld"][value="ja"]')).to_be_checked()
    expect(page).to_have_title(re.compile("^Fout: "))
    assert_accessible(page)
    screenshot(page, "task-with-errors")
    summary.get_by_role("link", name=re.compile("Onderbouwing")).click()
    expect(page.locator("#veld-onderbouwing")).to_be_in_viewport()
    page.locator("#veld-onderbouwing").fill(examples["onderbouwing"])
    page.get_by_role("button", name="Afronden").click()
    expect(page.locator(".utrecht-alert")).to_contain_text("is afgerond")

    # 5. The case file: the diagram drawn with the open task marked; the route as text.
    page.goto(f"/cases/{case_id}")
    expect(page.locator('#diagram[data-drawn="true"] svg').first).to_be_visible()
    expect(page.locator("#diagram .djs-element.mda-open").first).to_be_attached()
    assert page.locator("#diagram .djs-element.mda-done").count() >= 1
    route = page.locator(".mda-route-list li")
    expect(route.nth(0)).to_contain_text("Aanmelding geregistreerd")
    expect(route.nth(1)).to_contain_text("Stap afgerond: Gezamenlijke triage")
    expect(route.nth(1)).to_contain_text(f"{REGION}.procesregisseur")
    expect(page.locator(".mda-open-steps")).to_contain_text("Informatie veredelen en casus agenderen")
    assert_accessible(page, exclude=("#diagram",))
    screenshot(page, "case-file")
    logout(page)

    # 6. The coordinator hands the next task to a named colleague.
    login(page, f"{REGION}.coordinator")
    page.goto(f"/cases/{case_id}")
    page.locator(".mda-open-steps").get_by_role("link", name=re.compile("Informatie veredelen")).click()
    page.get_by_label(re.compile("Toewijzen aan collega")).select_option("utrecht.procesregisseur2")
    page.get_by_role("button", name=re.compile("^Toewijzen")).click()
    expect(page.locator(".utrecht-alert")).to_contain_text("toegewezen aan utrecht.procesregisseur2")
    page.goto(f"/cases/{case_id}")
    expect(page.locator(".mda-open-steps")).to_contain_text("bij utrecht.procesregisseur2")

    # 7. Logging out really ends it.
    logout(page)
    page.goto("/inbox")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_cases_list_filters_and_pages_are_accessible(page: Page, live_server: LiveServer) -> None:
    login(page, f"{REGION}.coordinator")
    page.get_by_role("link", name="Zaken").click()
    expect(page.get_by_role("heading", name="Zaken", level=1)).to_be_visible()
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"status=closed"))
    expect(page.get_by_role("status")).to_contain_text("0 zaken binnen dit filter")
    assert_accessible(page)
    page.goto("/toegankelijkheidsverklaring")
    expect(page.get_by_role("heading", name="Toegankelijkheidsverklaring")).to_be_visible()
    assert_accessible(page)
