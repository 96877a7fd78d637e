"""Issue 10 over real HTTP on the real process library: a returning household's earlier case shows
in the case (only to those who may see it), and the crisis message during monitoring."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.runtime import Runtime
from tests.api.conftest import Api, assert_error, serving
from tests.scenarios import walker as w
from web import create_app


@pytest.fixture
def library_api(library_rt: Runtime) -> Iterator[Api]:
    with serving(create_app(library_rt)) as base:
        yield Api(library_rt, base)


def register(api: Api, region: str, **data: Any) -> int:
    aanmelder = api.as_role(region, "aanmelder")
    form = aanmelder.get(f"/regions/{region}/start-form").json()
    examples = {field["name"]: field["example"] for field in form["fields"]}
    created = aanmelder.post("/cases", json={"region": region, "data": examples | data})
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def test_a_returning_household_shows_its_earlier_case_to_those_who_may_see_it(library_api: Api) -> None:
    earlier = register(library_api, "drenthe", huishouden_kenmerk="VT 2023-117")
    later = register(library_api, "drenthe", huishouden_kenmerk="vt 2023-117")
    unrelated = register(library_api, "drenthe", huishouden_kenmerk="VT 2023-999")
    coordinator = library_api.as_role("drenthe", "coordinator")
    body = coordinator.get(f"/cases/{later}").json()
    assert [(c["id"], c["relation"], c["status"]) for c in body["linked_cases"]] == [
        (earlier, "eerder", "open")
    ]
    assert [c["id"] for c in coordinator.get(f"/cases/{earlier}").json()["linked_cases"]] == [later]
    assert coordinator.get(f"/cases/{unrelated}").json()["linked_cases"] == []
    log = coordinator.get(f"/cases/{earlier}/access-log").json()["items"]
    assert "linked_case_shown" in [entry["kind"] for entry in log]
    # the aanmelder registered both and is on both teams; another region sees neither
    assert_error(library_api.as_role("utrecht", "coordinator").get(f"/cases/{earlier}"), 404)


def test_acute_danger_during_monitoring_over_http(library_api: Api) -> None:
    """In triage the case does not wait for the crisis message (409); in monitoring the casusregisseur
    sends it and the crisis task lands in Veilig Thuis's inbox."""
    run = w.start(library_api.rt, "utrecht")
    casusregisseur = library_api.as_role("utrecht", "casusregisseur")
    coordinator = library_api.as_role("utrecht", "coordinator")
    assert_error(coordinator.post(f"/cases/{run.id}/messages", json={"name": "acuut_onveilig"}), 409)
    run.complete_all()
    assert "acuut_onveilig" in coordinator.get(f"/cases/{run.id}/messages").json()["items"]
    sent = casusregisseur.post(f"/cases/{run.id}/messages", json={"name": "acuut_onveilig"})
    assert sent.status_code == 200, sent.text
    inbox = library_api.as_role("utrecht", "veilig_thuis").get("/tasks").json()["items"]
    assert [(t["case_id"], t["name"]) for t in inbox] == [(run.id, "Crisisinterventie: crisispartijen eerst")]
    assert coordinator.get(f"/cases/{run.id}").json()["phase"] == "opschaling"
