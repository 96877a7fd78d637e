"""The claim-and-complete path with the keyboard alone (issue 9, Must show): log in, claim a pool
task in the inbox, open it, fill its form and complete it, pressing only Tab, Space, arrow keys,
Enter and typing. This module owns region Rotterdam on the shared server."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from engine import cases
from engine.accounts import actor_by_username
from tests.web.conftest import LiveServer

REGION = "rotterdam"
FOCUSED = """() => { const e = document.activeElement;
  return {tag: e.tagName, type: e.type || "", name: e.name || "", value: e.value || "",
          text: (e.innerText || "").trim(), href: e.getAttribute("href") || ""}; }"""


def tab_to(page: Page, wanted: Any, limit: int = 300) -> dict[str, str]:
    """Press Tab until the focused element satisfies `wanted`; fails after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused: dict[str, str] = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
    raise AssertionError("met Tab niet bereikbaar")


def fill_by_keyboard(page: Page, fields: list[dict[str, Any]], values: dict[str, Any]) -> None:
    """Tab through the form and answer each field from the keyboard, until the submit button."""
    by_name = {f["name"]: f for f in fields}
    answered: set[str] = set()
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "BUTTON" and focused["text"] == "Afronden":
            return
        field = by_name.get(focused["name"])
        if field is None or focused["name"] in answered and field["type"] != "multichoice":
            continue
        want = values[field["name"]]
        if field["type"] == "multichoice":
            if focused["value"] in want:
                page.keyboard.press("Space")
            continue
        if focused["type"] == "radio":
            target = ("ja" if want else "nee") if field["type"] == "boolean" else want
            for _ in range(10):  # arrow keys move to (and select) the next option of the group
                if page.evaluate("() => document.activeElement.value") == target:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        else:
            page.keyboard.type(str(want))
        answered.add(field["name"])
    raise AssertionError("de knop Afronden is met Tab niet bereikt")


def test_claim_and_complete_a_task_with_the_keyboard_alone(page: Page, live_server: LiveServer) -> None:
    rt = live_server.rt
    start = rt.forms[cases.start_form_key(rt, REGION) or ""]
    case = cases.start_case(rt, actor_by_username(rt, f"{REGION}.aanmelder"), REGION, start.examples(REGION))

    page.goto("/login")
    tab_to(page, lambda f: f["name"] == "username")
    page.keyboard.type(f"{REGION}.veilig_thuis")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/inbox$"))

    page.keyboard.press("Tab")  # the first stop is the skip link, which jumps past the menu
    assert page.evaluate(FOCUSED)["text"] == "Direct naar de inhoud"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(
        page, lambda f: f["tag"] == "BUTTON" and f"zaak {case.id}" in f["text"] and "Oppakken" in f["text"]
    )
    page.keyboard.press("Enter")
    expect(page.locator(".utrecht-alert")).to_contain_text("U heeft de taak opgepakt")

    mine = page.locator("#mijn-kop ~ * a.utrecht-link").first
    href = mine.get_attribute("href")
    tab_to(page, lambda f: f["tag"] == "A" and f["href"] == href)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tasks/"))

    triage = rt.forms["triage_rotterdam"]
    fill_by_keyboard(page, triage.as_dict(REGION)["fields"], triage.examples(REGION))
    page.keyboard.press("Enter")
    expect(page.locator(".utrecht-alert")).to_contain_text("is afgerond")
    expect(page.locator("#mijn-kop .mda-badge")).to_have_text("0")

    history = cases.get_case(rt, actor_by_username(rt, f"{REGION}.coordinator"), case.id).history
    completed = [e for e in history if e.kind == "task_completed"]
    assert [(e.actor, e.data["form"]) for e in completed] == [(f"{REGION}.veilig_thuis", "triage_rotterdam")]
    assert completed[0].data["data"] == triage.examples(REGION)
