"""Browser tests: the web app served over real HTTP (create_app in a thread on a free port) on the
real process library, on SQLite and, with TEST_DATABASE_URL, PostgreSQL; Debian's chromium driven
by Playwright (one browser per test session, a fresh context per test); axe-core for WCAG 2.1 A/AA.

The browser is never downloaded: Debian's /usr/bin/chromium is used, installed with apt-get when it
is missing. A browser that cannot be found or started fails the run; these tests never skip."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from config.settings import PROJECT_ROOT
from engine.runtime import Runtime, build_runtime
from tests.api.conftest import serving
from tests.conftest import PROCESS_LIBRARY, Databases, database_kinds, fresh_database, settings_for
from web import create_app

CHROMIUM = Path(os.environ.get("MDA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Written by the tests for people to look at; never committed (.gitignore).
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_PASSWORD = "demo"


def ensure_chromium() -> Path:
    """Debian's chromium; installed with apt-get when missing. Fails (never skips) without it."""
    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=False, timeout=900)
    if not CHROMIUM.exists():
        pytest.fail(f"chromium ontbreekt op {CHROMIUM}: installeer het met 'apt-get install -y chromium'")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = ensure_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@dataclass
class LiveServer:
    """The app served over HTTP on a database of its own with the real process library."""

    rt: Runtime
    url: str
    kind: str

    def __call__(self, path: str) -> str:
        return f"{self.url}{path}"


@pytest.fixture(scope="session", params=database_kinds())
def live_server(
    request: pytest.FixtureRequest, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One server per database kind for the whole session: tests share it, so each test makes the
    cases it needs and asserts on those (counts are taken per region a test owns)."""
    url = fresh_database(databases, request.param, PROCESS_LIBRARY, tmp_path_factory.mktemp("web"))
    rt = build_runtime(settings_for(url, PROCESS_LIBRARY))
    with serving(create_app(rt)) as base:
        yield LiveServer(rt, base, request.param)
    rt.db.dispose()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, with a Dutch locale and a laptop screen."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"JavaScript-fouten op de pagina: {errors}"


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login page and land in the inbox."""
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/inbox"))


# axe-core from the npm registry (package.json), the same version the project pins.
_AXE = Axe.from_file(PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js")


def assert_accessible(page: Page, *, exclude: tuple[str, ...] = ()) -> None:
    """Zero axe-core violations of WCAG 2.1 A and AA on the current page. `exclude` takes CSS
    selectors left out of the check, e.g. the bpmn-js canvas ('#diagram'), which the text route
    next to it covers."""
    context: dict[str, Any] = {"include": [["html"]]}
    if exclude:
        context["exclude"] = [[selector] for selector in exclude]
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = _AXE.run(page, context=context, options=options)
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe-core vond {len(violations)} WCAG-schendingen op {page.url}:\n{report}"


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot into test-artifacts/screenshots/ (not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fill_form(
    page: Page, form: dict[str, Any], values: dict[str, Any], *, skip: tuple[str, ...] = ()
) -> None:
    """Fill a rendered form (fields from forms/definitions) with these values, as a person would
    with the mouse: check boxes and radios, pick options, type text."""
    for field in form["fields"]:
        name, kind, value = field["name"], field["type"], values.get(field["name"])
        if name in skip or value is None:
            continue
        if kind == "boolean":
            page.locator(f'input[name="{name}"][value="{"ja" if value else "nee"}"]').check()
        elif kind == "multichoice":
            for choice in value:
                page.locator(f'input[name="{name}"][value="{choice}"]').check()
        elif kind == "choice" and page.locator(f'input[type="radio"][name="{name}"]').count():
            page.locator(f'input[name="{name}"][value="{value}"]').check()
        elif kind in ("choice", "person"):
            page.locator(f"#veld-{name}").select_option(str(value))
        else:
            page.locator(f"#veld-{name}").fill(str(value))


def case_id_from(page: Page) -> int:
    found = re.search(r"/cases/(\d+)", page.url)
    assert found, page.url
    return int(found.group(1))
