"""The case file over real HTTP on the test model set (every configured database): the messages a
case accepts are buttons for those allowed to send them, and pressing one advances the case."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests

from engine import cases
from engine.accounts import actor_by_username
from engine.runtime import Runtime
from tests.api.conftest import serving
from tests.factories import open_tasks
from web import create_app


@pytest.fixture
def site(rt: Runtime) -> Iterator[str]:
    with serving(create_app(rt)) as base:
        yield base


def signed_in(base: str, username: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(f"{base}/login", timeout=30).text)
    assert token is not None
    answer = session.post(
        f"{base}/login",
        data={"csrf_token": token.group(1), "username": username, "password": "demo"},
        timeout=30,
    )
    assert answer.url.endswith("/inbox")
    return session, token.group(1)


def waiting_case(rt: Runtime) -> int:
    """A case of test_bericht: it waits for its evaluation timer or the message evaluatie_vervroegen."""
    data = rt.forms["test_aanmelding"].examples("utrecht")
    return cases.start_case(
        rt, actor_by_username(rt, "utrecht.aanmelder"), "utrecht", data, process_id="test_bericht"
    ).id


def test_the_evaluation_is_brought_forward_with_one_button(rt: Runtime, site: str) -> None:
    case_id = waiting_case(rt)
    overseer, _ = signed_in(site, "utrecht.beheerder")
    page = overseer.get(f"{site}/cases/{case_id}", timeout=30).text
    assert "Evaluatie naar voren halen" in page and 'name="name" value="evaluatie_vervroegen"' not in page

    coordinator, _ = signed_in(site, "utrecht.coordinator")
    page = coordinator.get(f"{site}/cases/{case_id}", timeout=30).text
    assert "Wachtende termijnen" in page and "5 april 2026" in page  # the evaluation timer, in 3 months
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None and 'name="name" value="evaluatie_vervroegen"' in page
    answer = coordinator.post(
        f"{site}/cases/{case_id}/messages",
        data={"csrf_token": token.group(1), "name": "evaluatie_vervroegen"},
        timeout=30,
    )
    assert answer.status_code == 200 and "Het bericht is aan de zaak gegeven." in answer.text
    assert "Bericht ontvangen: Evaluatie naar voren halen" in answer.text
    assert [t.spec_id for t in open_tasks(rt, case_id)] == ["evaluatie"]

    again = coordinator.post(
        f"{site}/cases/{case_id}/messages",
        data={"csrf_token": token.group(1), "name": "evaluatie_vervroegen"},
        timeout=30,
    )
    assert "De zaak wacht nu niet op bericht" in again.text  # the engine's refusal, shown on the page
