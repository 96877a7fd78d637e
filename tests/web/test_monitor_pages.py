"""The coordinator's pages in a real browser (Debian chromium): the dashboard with its Chart.js
charts drawn and the heatmap on the region's bpmn-js diagram, a click on a hot element lists the
case, the stuck list where the coordinator hands the work to a colleague and acknowledges the
escalation; a coordinator of another region sees none of it. axe-core: zero WCAG 2.1 A/AA
violations (the diagram and chart canvases excluded; the tables beside them carry the numbers)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from engine import accounts, cases
from engine.monitoring import metrics, rules
from engine.monitoring.escalation import run_escalations
from engine.runtime import SYSTEM
from tests.factories import open_tasks
from tests.web.conftest import LiveServer, assert_accessible, login, screenshot

REGION = "drenthe"  # no other browser test works in this region
CANVASES = ("#diagram", "canvas")


def stuck_case(live_server: LiveServer) -> tuple[int, str, str]:
    """A registration in the region, caught at once by a zero-day threshold on the element where
    it waits; the escalation sweep opens its ladder. Returns (case id, element id, task role)."""
    rt = live_server.rt
    form = rt.forms[cases.start_form_key(rt, REGION) or ""]
    registrant = accounts.actor_by_username(rt, f"{REGION}.aanmelder")
    case = cases.start_case(rt, registrant, REGION, form.examples(REGION))
    on_diagram = {w.element_id for w in metrics.heatmap(rt, SYSTEM, REGION)}
    task = next(t for t in open_tasks(rt, case.id) if t.spec_id in on_diagram)  # not inside a call
    coordinator = accounts.actor_by_username(rt, f"{REGION}.coordinator")
    rules.save_rule(rt, coordinator, REGION, {"kind": "element_wait", "subject": task.spec_id, "days": 0})
    run_escalations(rt, regions=(REGION,))
    element = task.spec_id
    return case.id, element, task.role or ""


def test_coordinator_sees_dashboard_heatmap_and_acts_on_a_stuck_case(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    case_id, element, role = stuck_case(live_server)
    colleague = f"{REGION}.{role}.collega"
    accounts.add_user(live_server.rt, colleague, role=role, region=REGION, password="collega-wachtwoord-1")

    login(page, f"{REGION}.coordinator")
    page.get_by_role("link", name="Monitoring", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/monitor/{REGION}$"))
    expect(page.locator("canvas[data-drawn]")).to_have_count(5)  # every chart drawn by Chart.js
    expect(page.locator("#diagram")).to_have_attribute("data-ready", re.compile(r"^[1-9]"))
    badge = page.locator(f'.mda-heat-badge[data-element="{element}"]')
    expect(badge).to_be_visible()
    expect(page.locator("#table-heatmap")).to_contain_text(element)
    expect(page.get_by_role("link", name=re.compile(r"Meldingen"))).to_be_visible()
    assert_accessible(page, exclude=CANVASES)
    screenshot(page, "monitor-dashboard")

    page.locator(f'#diagram [data-element-id="{element}"]').first.click()
    expect(page).to_have_url(re.compile(rf"/monitor/{REGION}/elements/{element}$"))
    expect(page.get_by_role("link", name=re.compile(rf"Zaak {case_id}\b"))).to_be_visible()
    assert_accessible(page)

    for link, heading in (("Te late taken", "Taken over de termijn"), ("Escalaties", "Escalaties"),
                          ("Regels", "Regels voor vastgelopen zaken")):  # fmt: skip
        page.locator(".mda-subnav").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)
    page.get_by_label("Id van de processtap (BPMN-element)").fill("plan")
    page.get_by_label("Hoogstens dagen wachten").fill("12")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("De regel is opgeslagen.")
    new_rule = page.get_by_role("cell", name="Te lang wachtend bij één processtap: plan", exact=True)
    expect(new_rule).to_be_visible()

    page.locator(".mda-subnav").get_by_role("link", name="Vastgelopen zaken").click()
    row = page.locator(f"#stuck-{case_id}")
    expect(row).to_contain_text("Te lang wachtend bij één processtap")
    expect(row).to_contain_text("Stap 1 van 3")
    assert_accessible(page)
    row.get_by_label(f"Kies zaak {case_id}").check()
    page.get_by_label("Aan collega").select_option(colleague)
    page.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_role("status")).to_contain_text("Het werk is overgedragen.")
    expect(page.locator(f"#stuck-{case_id}")).to_contain_text(colleague)
    page.locator(f"#stuck-{case_id}").get_by_role("button", name=re.compile("Bevestigen")).click()
    expect(page.get_by_role("status")).to_contain_text("De escalatie is bevestigd")
    expect(page.locator(f"#stuck-{case_id}")).to_contain_text(f"bevestigd door {REGION}.coordinator")
    screenshot(page, "monitor-stuck")
    export = page.request.get(f"/monitor/{REGION}/stuck.csv")
    assert export.ok and export.headers["content-type"].startswith("text/csv")
    assert f"\n{case_id};" in export.text()

    helper = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    login(helper, colleague, "collega-wachtwoord-1")
    helper.get_by_role("link", name=re.compile(r"Meldingen \(1 ongelezen\)")).click()
    notice = helper.get_by_role("link", name=f"Zaak {case_id}: er is werk aan u overgedragen")
    expect(notice).to_be_visible()
    assert_accessible(helper)
    helper.get_by_role("button", name=re.compile("Markeer als gelezen")).first.click()
    expect(helper.locator("#notification-count")).to_have_text("Meldingen")
    helper.context.close()

    other = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    login(other, "nml.coordinator")
    assert other.goto(f"/monitor/{REGION}").status == 403
    assert other.goto(f"/monitor/{REGION}/stuck").status == 403
    assert other.goto(f"/monitor/{REGION}/elements/{element}").status == 403
    assert other.request.get(f"/monitor/{REGION}/stuck.csv").status == 403
    other.goto("/monitor")
    expect(other).to_have_url(re.compile(r"/monitor/nml$"))
    other.goto("/monitor/nml/stuck")
    expect(other.locator(f"#stuck-{case_id}")).to_have_count(0)
    other.context.close()
