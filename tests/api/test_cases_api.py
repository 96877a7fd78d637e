"""Cases over HTTP: the start form, starting, listing, reading, the access log and migration."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from engine import process_models
from engine.runtime import SYSTEM
from engine.storage.tables import AccessLog, Case, User
from tests.api.conftest import Api, assert_error
from tests.conftest import FIXTURES
from tests.factories import complete_open, start_test_case, walk_to_monitoring

START_FORM = "/regions/utrecht/start-form?process_id=test_flow"


def examples(api: Api) -> dict[str, Any]:
    return api.rt.forms["test_aanmelding"].examples("utrecht")


def case_count(api: Api) -> int:
    with api.rt.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Case)) or 0


def test_start_form_has_the_fields_and_examples_for_the_region(api: Api) -> None:
    form = api.as_role("utrecht", "aanmelder").get(START_FORM).json()
    assert form["key"] == "test_aanmelding" and form["title"]
    assert {f["name"]: f["example"] for f in form["fields"]} == examples(api)
    assert_error(api.as_role("nml", "aanmelder").get(START_FORM), 403)
    assert_error(api.as_role("utrecht", "teamlid").get(START_FORM), 403)
    assert_error(api.anonymous().get(START_FORM), 401)
    assert_error(
        api.as_role("utrecht", "aanmelder").get("/regions/utrecht/start-form"), 404, "no_published_model"
    )
    assert_error(api.as_role("utrecht", "aanmelder").get("/regions/utrecht/start-form?process_id="), 400)


def test_starting_a_case_answers_201_with_the_case(api: Api) -> None:
    body = {"region": "utrecht", "process_id": "test_flow", "data": examples(api)}
    response = api.as_role("utrecht", "aanmelder").post("/cases", json=body)
    assert response.status_code == 201, response.text
    case = response.json()
    assert (case["region"], case["process_id"], case["status"], case["phase"]) == (
        "utrecht",
        "test_flow",
        "open",
        "triage",
    )
    assert response.headers["Location"].endswith(f"/api/v1/cases/{case['id']}")
    with api.rt.uow() as uow:
        assert uow.session.get_one(Case, case["id"]).title == "Familie Jansen"


def test_invalid_registration_data_is_422_per_field_and_starts_nothing(api: Api) -> None:
    data = examples(api) | {"ernst": "enorm", "onbekend": 1}
    del data["gezinsnaam"]
    response = api.as_role("utrecht", "aanmelder").post(
        "/cases", json={"region": "utrecht", "process_id": "test_flow", "data": data}
    )
    details = assert_error(response, 422, "invalid_form")["details"]
    assert set(details) == {"ernst", "onbekend", "gezinsnaam"}
    assert case_count(api) == 0


def test_starting_a_case_needs_a_starter_role_in_that_region(api: Api) -> None:
    body = {"region": "utrecht", "process_id": "test_flow", "data": examples(api)}
    assert_error(api.as_role("nml", "aanmelder").post("/cases", json=body), 403, "wrong_role")
    assert_error(api.as_role("utrecht", "teamlid").post("/cases", json=body), 403, "wrong_role")
    assert_error(api.anonymous().post("/cases", json=body), 401)
    assert case_count(api) == 0


def test_a_malformed_start_request_is_400(api: Api) -> None:
    client = api.as_role("utrecht", "aanmelder")
    assert "region" in assert_error(client.post("/cases", json={"data": {}}), 400)["details"]
    assert_error(client.post("/cases", json={"region": "atlantis", "data": {}}), 400)
    assert_error(client.post("/cases", json={"region": "utrecht", "data": "tekst"}), 400)
    assert_error(client.post("/cases", data=b"{niet json", headers={"Content-Type": "application/json"}), 400)
    assert_error(client.post("/cases", json={"region": "utrecht", "data": {"gezinsnaam": "a\x00b"}}), 400)
    assert_error(client.post("/cases", json={"region": "utrecht", "process_id": "bestaat_niet"}), 404)


def test_case_list_filters_and_pages_the_visible_cases(api: Api) -> None:
    first, second, third = (start_test_case(api.rt) for _ in range(3))
    walk_to_monitoring(api.rt, third.id)  # waits on its evaluation timer
    coordinator = api.as_role("utrecht", "coordinator")
    everything = coordinator.get("/cases").json()
    assert everything["total"] == 3 and everything["limit"] == 50 and everything["offset"] == 0
    assert [c["id"] for c in everything["items"]] == [third.id, second.id, first.id]
    paged = coordinator.get("/cases?limit=2&offset=2").json()
    assert paged["total"] == 3 and [c["id"] for c in paged["items"]] == [first.id]
    assert [c["id"] for c in coordinator.get("/cases?phase=plan").json()["items"]] == [third.id]
    assert coordinator.get("/cases?status=closed").json()["total"] == 0
    assert coordinator.get("/cases?region=utrecht&status=open").json()["total"] == 3
    assert coordinator.get("/cases?stuck=true").json()["total"] == 0
    api.rt.clock.advance("P31D")  # a triage without a timer is stuck after 30 days; a waiting case is not
    assert {c["id"] for c in coordinator.get("/cases?stuck=true").json()["items"]} == {first.id, second.id}


def test_case_list_hides_cases_of_other_regions_and_of_uninvolved_people(api: Api) -> None:
    start_test_case(api.rt)
    assert api.as_role("nml", "coordinator").get("/cases").json() == {
        "items": [],
        "total": 0,
        "limit": 50,
        "offset": 0,
        "next_after": None,
    }
    assert api.as_role("utrecht", "teamlid").get("/cases").json()["total"] == 0
    assert api.as_role("utrecht", "veilig_thuis").get("/cases").json()["total"] == 1  # its triage is open
    assert_error(api.anonymous().get("/cases"), 401)


def test_case_list_rejects_bad_query_parameters(api: Api) -> None:
    client = api.as_role("utrecht", "coordinator")
    for query in ("limit=0", "limit=abc", "limit=100000", "offset=-1", "offset=99999999999", "status=weg",
                  "phase=x", "stuck=misschien", "region=atlantis", "region=utrecht%00"):  # fmt: skip
        assert_error(client.get(f"/cases?{query}"), 400)


def test_case_detail_has_tasks_timers_team_and_history_and_is_logged(api: Api) -> None:
    case = start_test_case(api.rt)
    for spec_id in ("triage", "analyse", "check_a", "check_b"):
        complete_open(api.rt, case.id, spec_id)
    detail = api.as_role("utrecht", "casusregisseur").get(f"/cases/{case.id}").json()
    assert (detail["id"], detail["region"], detail["status"], detail["phase"]) == (
        case.id,
        "utrecht",
        "open",
        "plan",
    )
    assert (detail["process_id"], detail["model_version"]) == ("test_flow", 1)
    assert [t["name"] for t in detail["open_tasks"]] == ["Plan van aanpak maken"]
    assert [(t["name"], t["due_at"]) for t in detail["timers"]] == [
        ("Plan binnen 5 dagen", "2026-01-10T09:00:00+00:00")
    ]
    assert {(m["role"], m["username"]) for m in detail["team"]} >= {
        ("casusregisseur", "utrecht.casusregisseur")
    }
    kinds = [e["kind"] for e in detail["history"]]
    assert kinds[0] == "case_started" and kinds.count("task_completed") == 4
    assert [e["id"] for e in detail["history"]] == sorted(e["id"] for e in detail["history"])
    with api.rt.uow() as uow:
        logged = uow.session.execute(
            select(User.username, AccessLog.role, AccessLog.kind).join(User, User.id == AccessLog.user_id)
        ).all()
    assert logged == [("utrecht.casusregisseur", "casusregisseur", "case_read")]


def test_case_detail_is_404_for_other_regions_and_uninvolved_people(api: Api) -> None:
    case = start_test_case(api.rt)
    assert_error(api.as_role("nml", "coordinator").get(f"/cases/{case.id}"), 404, "case_not_found")
    assert_error(api.as_role("utrecht", "teamlid").get(f"/cases/{case.id}"), 404, "case_not_found")
    assert_error(api.anonymous().get(f"/cases/{case.id}"), 401)
    coordinator = api.as_role("utrecht", "coordinator")
    assert_error(coordinator.get("/cases/999999"), 404, "case_not_found")
    assert_error(coordinator.get("/cases/abc"), 404, "not_found")
    assert_error(coordinator.get("/cases/99999999999999999999"), 404, "not_found")


def test_access_log_shows_who_read_the_case_to_its_overseers(api: Api) -> None:
    case = start_test_case(api.rt)
    api.as_role("utrecht", "veilig_thuis").get(f"/cases/{case.id}")
    items = api.as_role("utrecht", "coordinator").get(f"/cases/{case.id}/access-log").json()["items"]
    assert [(e["username"], e["role"], e["kind"]) for e in items] == [
        ("utrecht.veilig_thuis", "veilig_thuis", "case_read")
    ]
    assert_error(api.as_role("utrecht", "aanmelder").get(f"/cases/{case.id}/access-log"), 403, "wrong_role")
    assert_error(api.as_role("nml", "coordinator").get(f"/cases/{case.id}/access-log"), 404)
    assert_error(api.anonymous().get(f"/cases/{case.id}/access-log"), 401)
    assert_error(api.as_role("utrecht", "coordinator").get("/cases/424242/access-log"), 404)


def test_migrating_a_case_with_a_dry_run_first(api: Api) -> None:
    case = start_test_case(api.rt)
    source = (FIXTURES / "workflows" / "regions" / "utrecht" / "test_flow.bpmn").read_text(encoding="utf-8")
    draft = process_models.add_draft(
        api.rt, SYSTEM, "utrecht", source.replace('"Testproces"', '"Testproces 2"')
    )
    target = process_models.publish(api.rt, SYSTEM, "utrecht", draft.id)
    coordinator = api.as_role("utrecht", "coordinator")
    dry = coordinator.post(
        f"/cases/{case.id}/migrate", json={"version_id": target.id, "dry_run": True}
    ).json()
    assert (dry["from_version"], dry["to_version"], dry["dry_run"], dry["migrated"]) == (1, 2, True, False)
    assert coordinator.get(f"/cases/{case.id}").json()["model_version"] == 1
    done = coordinator.post(f"/cases/{case.id}/migrate", json={"version_id": target.id})
    assert done.status_code == 200 and done.json()["migrated"] is True
    assert coordinator.get(f"/cases/{case.id}").json()["model_version"] == 2
    assert_error(
        api.as_role("utrecht", "veilig_thuis").post(f"/cases/{case.id}/migrate", json={"version_id": 1}), 403
    )
    assert_error(
        api.as_role("nml", "coordinator").post(f"/cases/{case.id}/migrate", json={"version_id": 1}), 404
    )
    assert_error(api.anonymous().post(f"/cases/{case.id}/migrate", json={"version_id": 1}), 401)
    assert_error(coordinator.post(f"/cases/{case.id}/migrate", json={"dry_run": True}), 400)
    assert_error(coordinator.post(f"/cases/{case.id}/migrate", json={"version_id": "2"}), 400)
    versions = process_models.region_versions(api.rt, SYSTEM, "utrecht")
    other_process = next(v for v in versions if v.process_id != "test_flow")
    assert_error(coordinator.post(f"/cases/{case.id}/migrate", json={"version_id": other_process.id}), 422)
