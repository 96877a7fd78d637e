"""The process designer in a real browser (issue 11): edit a region's process in bpmn-js, see a
problem on its element and in the list, save the draft anyway, fix it, try it with data on a
throw-away case, publish with a note and compare with the previous version; axe-core on every
designer page (the canvas excluded, its text twin is the outline)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from engine import accounts, cases, process_models
from engine.runtime import SYSTEM
from tests.web.conftest import LiveServer, assert_accessible, login, screenshot
from tests.web.designer_model import MODEL, PROCESS_ID

REGION = "friesland"
NOTE = "Consultatie hernoemd; wachten nu zeven dagen"


def published_model(live_server: LiveServer) -> int:
    """The test process, published once per live server (the server is shared by the session)."""
    with live_server.rt.uow() as uow:
        versions = process_models.list_versions(uow.session, REGION)
    existing = [v for v in versions if v.process_id == PROCESS_ID and v.status == "published"]
    if existing:
        return existing[-1].id
    draft = process_models.add_draft(live_server.rt, SYSTEM, REGION, MODEL, f"{PROCESS_ID}.bpmn")
    return process_models.publish(live_server.rt, SYSTEM, REGION, draft.id, "eerste versie").id


def choose(page: Page, element_id: str) -> None:
    """Select an element the way a keyboard user does: the element chooser beside the canvas."""
    page.select_option("#element-kiezen", element_id)
    expect(page.locator(f"g.djs-element.selected[data-element-id='{element_id}']")).to_have_count(1)


def set_panel_field(page: Page, group: str, field_id: str, value: str) -> None:
    """Fill a field of bpmn-js-properties-panel, opening its group first when it is closed."""
    field = page.locator(f"#{field_id}")
    if not field.is_visible():
        page.locator("#properties .bio-properties-panel-group-header", has_text=group).first.click()
    field.fill(value)
    field.press("Tab")  # the panel commits on input; leaving the field makes it certain


def test_a_designer_edits_checks_tries_publishes_and_compares(page: Page, live_server: LiveServer) -> None:
    version_id = published_model(live_server)
    login(page, f"{REGION}.procesontwerper")
    page.get_by_role("link", name="Procesontwerp").click()
    expect(page).to_have_url(re.compile(rf"/regions/{REGION}/designer$"))
    assert_accessible(page)

    page.goto(f"/regions/{REGION}/designer/{version_id}")
    expect(page.locator("#designer[data-ready=true]")).to_have_count(1)
    expect(page.locator("#probleem-aantal")).to_have_text("(0)")
    assert_accessible(page, exclude=("#diagram",))

    choose(page, "consult")  # rename a task
    set_panel_field(page, "General", "bio-properties-panel-name", "Consultatie en advies geven")
    choose(page, "wacht")  # change a timer
    set_panel_field(page, "Timer", "bio-properties-panel-timerEventDefinitionValue", '"P7D"')
    choose(page, "lane_vt")  # a lane with an unknown role
    set_panel_field(page, "General", "bio-properties-panel-name", "kok")

    badge = page.locator(".djs-overlays[data-container-id='lane_vt'] .mda-problem-badge")
    expect(badge).to_be_visible()
    problem = page.get_by_role("button", name=re.compile("lane 'kok' is geen bekende rol"))
    expect(problem).to_be_visible()
    expect(page.locator("#probleem-aantal")).to_have_text("(1)")

    page.get_by_role("button", name="Concept opslaan").click()  # saving works with a problem
    expect(page.locator("#melding")).to_contain_text("Concept opgeslagen als versie 2, met 1 probleem")
    expect(page).to_have_url(re.compile(rf"/regions/{REGION}/designer/\d+$"))
    choose(page, "consult")
    problem.click()  # the list selects the element with the problem
    expect(page.locator("g.djs-element.selected[data-element-id='lane_vt']")).to_have_count(1)
    screenshot(page, "designer-probleem")

    page.select_option("#rol", "veilig_thuis")  # fix it with the role chooser
    expect(page.locator("#probleem-aantal")).to_have_text("(0)")
    expect(badge).to_have_count(0)

    page.get_by_role("button", name="Proefzaak starten").click()  # try it with data
    page.get_by_role("button", name="Afronden: Consultatie en advies geven").click()
    expect(page.locator("#proef-timers")).to_contain_text("Vijf dagen wachten")
    expect(page.locator("g[data-element-id='consult'].mda-path")).to_have_count(1)
    page.get_by_role("button", name="Klok verzetten").click()  # empty: to the next timer
    page.get_by_role("button", name="Afronden: Advies aan aanmelder").click()
    expect(page.locator("#proef-stand")).to_contain_text("De proefzaak is afgerond")
    expect(page.locator("#proef-pad")).to_contain_text("Vijf dagen wachten (wacht)")
    screenshot(page, "designer-proefzaak")

    page.get_by_label("Toelichting bij deze versie (optioneel)").fill(NOTE)
    page.get_by_role("button", name="Opslaan en publiceren").click()
    expect(page).to_have_url(re.compile(rf"/regions/{REGION}/designer$"))
    history = page.get_by_role("table", name=f"Geschiedenis van {PROCESS_ID}")
    newest = history.locator("tbody tr").first
    expect(newest).to_contain_text("gepubliceerd")
    expect(newest).to_contain_text(NOTE)
    expect(newest).to_contain_text(f"{REGION}.procesontwerper")

    page.get_by_role("group", name=f"Twee versies van {PROCESS_ID} vergelijken").get_by_role(
        "button", name="Vergelijken"
    ).click()
    changes = page.locator(".mda-changes")
    renamed = changes.locator("li.mda-change--changed", has_text="Consultatie en advies geven").first
    expect(renamed).to_contain_text("naam: Consultatie geven → Consultatie en advies geven")
    timer = changes.locator("li.mda-change--changed", has_text="Vijf dagen wachten").first
    expect(timer).to_contain_text('timer: timeDuration: "P5D" → timeDuration: "P7D"')
    expect(page.locator("#diagram[data-ready=true]")).to_have_count(1)
    expect(page.locator("#diagram-nieuw[data-ready=true]")).to_have_count(1)
    expect(page.locator("#diagram g[data-element-id='consult'].mda-changed")).to_have_count(1)
    expect(page.locator("#diagram-nieuw g[data-element-id='wacht'].mda-changed")).to_have_count(1)
    assert_accessible(page, exclude=("#diagram", "#diagram-nieuw"))
    screenshot(page, "designer-vergelijking")


def test_the_outline_history_and_migration_pages_are_accessible(page: Page, live_server: LiveServer) -> None:
    version_id = published_model(live_server)
    login(page, f"{REGION}.beheerder")
    page.goto(f"/regions/{REGION}/designer/{version_id}/outline")
    expect(page.get_by_role("heading", name=re.compile("lane procesregisseur"))).to_be_visible()
    expect(page.locator("main")).to_contain_text('timer: timeDuration: "P')
    assert_accessible(page)
    page.goto(f"/regions/{REGION}/designer/{version_id}/migration")
    expect(page.get_by_role("heading", name="Proefmigratie per zaak")).to_be_visible()
    assert_accessible(page)


def test_another_regions_designer_and_other_roles_see_nothing(page: Page, live_server: LiveServer) -> None:
    version_id = published_model(live_server)
    login(page, "zeeland.procesontwerper")
    for path in (f"/regions/{REGION}/designer", f"/regions/{REGION}/designer/{version_id}"):
        response = page.goto(path)
        assert response is not None and response.status == 403
        expect(page.locator("main")).not_to_contain_text(PROCESS_ID)
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_contain_text("Procesontwerp")
    page.get_by_role("button", name="Uitloggen").click()
    login(page, f"{REGION}.casusregisseur")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).not_to_contain_text("Procesontwerp")
    response = page.goto(f"/regions/{REGION}/designer")
    assert response is not None and response.status == 403


def test_problems_outside_the_visible_area_are_counted(page: Page, live_server: LiveServer) -> None:
    version_id = published_model(live_server)
    login(page, f"{REGION}.procesontwerper")
    page.goto(f"/regions/{REGION}/designer/{version_id}")
    expect(page.locator("#designer[data-ready=true]")).to_have_count(1)
    choose(page, "consult")
    page.select_option("#formulier", "")  # a user task without a form
    expect(page.get_by_role("button", name=re.compile("camunda:formKey ontbreekt"))).to_be_visible()
    expect(page.locator("#buiten-beeld")).to_have_text("")
    page.locator("#diagram").hover()
    page.mouse.wheel(3000, 0)  # scroll the canvas far to the right
    expect(page.locator("#buiten-beeld")).to_have_text("1 probleem/problemen buiten beeld")
    page.get_by_role("button", name=re.compile("camunda:formKey ontbreekt")).click()
    expect(page.locator("#buiten-beeld")).to_have_text("")  # the click brought it into view


def test_a_decision_table_opens_in_dmn_js(page: Page, live_server: LiveServer) -> None:
    with live_server.rt.uow() as uow:
        versions = process_models.list_versions(uow.session, REGION)
    decision = next(v for v in versions if v.kind == "dmn" and v.status == "published")
    login(page, f"{REGION}.procesontwerper")
    page.goto(f"/regions/{REGION}/designer/{decision.id}")
    expect(page.locator("#designer[data-ready=true]")).to_have_count(1)
    expect(page.locator("#diagram .tjs-table")).to_be_visible()
    expect(page.locator("#probleem-aantal")).to_have_text("(0)")
    assert_accessible(page, exclude=("#diagram",))


def test_the_designer_picks_cases_to_migrate_and_sees_each_result(
    page: Page, live_server: LiveServer
) -> None:
    rt = live_server.rt
    old_version = published_model(live_server)
    aanmelder = accounts.actor_by_username(rt, f"{REGION}.aanmelder")
    case = cases.start_case(rt, aanmelder, REGION, {}, process_id=PROCESS_ID)
    renamed = MODEL.replace('name="Advies aan aanmelder"', 'name="Advies aan de aanmelder"')
    draft = process_models.save_draft(rt, SYSTEM, REGION, renamed, f"{PROCESS_ID}.bpmn")
    new_version = process_models.publish(rt, SYSTEM, REGION, draft.id, "advies hernoemd")
    assert new_version.id != old_version

    login(page, f"{REGION}.procesontwerper")
    page.goto(f"/regions/{REGION}/designer/{new_version.id}/migration")
    row = page.get_by_role("row", name=re.compile(rf"^Zaak {case.id} migreren"))
    expect(row).to_contain_text("Consultatie")  # where it waits (its name depends on the version)
    expect(row).to_contain_text("Ja")
    expect(page.get_by_label(f"Zaak {case.id} migreren")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Gekozen zaken migreren").click()
    expect(page.locator("#migratie-resultaat")).to_contain_text(
        f"Zaak {case.id}: gemigreerd van versie {new_version.version - 1} naar {new_version.version}"
    )
    detail = cases.get_case(rt, accounts.actor_by_username(rt, f"{REGION}.coordinator"), case.id)
    assert detail.model_version == new_version.version and detail.history[-1].kind == "case_migrated"
    assert_accessible(page)
