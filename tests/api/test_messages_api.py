"""Messages to a case over HTTP: which messages it waits for, and bringing an evaluation forward."""

from __future__ import annotations

from tests.api.conftest import Api, assert_error


def start_waiting_case(api: Api) -> int:
    data = api.rt.forms["test_aanmelding"].examples("utrecht")
    body = {"region": "utrecht", "process_id": "test_bericht", "data": data}
    response = api.as_role("utrecht", "aanmelder").post("/cases", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_coordinator_brings_the_evaluation_forward(api: Api) -> None:
    case_id = start_waiting_case(api)
    coordinator = api.as_role("utrecht", "coordinator")
    assert coordinator.get(f"/cases/{case_id}/messages").json() == {"items": ["evaluatie_vervroegen"]}
    sent = coordinator.post(f"/cases/{case_id}/messages", json={"name": "evaluatie_vervroegen"})
    assert sent.status_code == 200, sent.text
    assert sent.json() == {"items": []}
    case = coordinator.get(f"/cases/{case_id}").json()
    assert [t["name"] for t in case["open_tasks"]] == ["Evaluatie"]
    assert case["timers"] == []
    again = coordinator.post(f"/cases/{case_id}/messages", json={"name": "evaluatie_vervroegen"})
    assert_error(again, 409, "message_not_expected")


def test_messages_are_refused_to_outsiders_and_bad_bodies(api: Api) -> None:
    case_id = start_waiting_case(api)
    path = f"/cases/{case_id}/messages"
    assert_error(api.anonymous().post(path, json={"name": "evaluatie_vervroegen"}), 401)
    assert_error(api.as_role("nml", "coordinator").get(path), 404)
    assert_error(api.as_role("utrecht", "aanmelder").post(path, json={"name": "evaluatie_vervroegen"}), 403)
    assert_error(api.as_role("utrecht", "coordinator").post(path, json={"name": 3}), 400)
    assert_error(api.as_role("utrecht", "coordinator").post(path, json={}), 400)
    assert api.as_role("utrecht", "coordinator").get(path).json() == {"items": ["evaluatie_vervroegen"]}
