"""Regions and process models over HTTP: list, read the XML, upload drafts, publish."""

from __future__ import annotations

from sqlalchemy import select

from engine.storage.tables import ModelVersion
from tests.api.conftest import Api, assert_error
from tests.conftest import FIXTURES
from tests.factories import start_test_case

SOURCE = (FIXTURES / "workflows" / "regions" / "utrecht" / "test_flow.bpmn").read_text(encoding="utf-8")
XML = {"Content-Type": "application/xml"}


def flow_version_id(api: Api, status: str = "published") -> int:
    with api.rt.uow() as uow:
        return uow.session.scalars(
            select(ModelVersion.id).where(
                ModelVersion.region == "utrecht",
                ModelVersion.process_id == "test_flow",
                ModelVersion.status == status,
            )
        ).one()


def test_regions_list_every_region_with_its_published_versions(api: Api) -> None:
    body = api.as_role("nml", "teamlid").get("/regions").json()
    by_key = {region["key"]: region for region in body["items"]}
    assert len(by_key) == 9 and by_key["utrecht"]["name"] == "Utrecht"
    published = {(m["process_id"], m["version"], m["status"]) for m in by_key["utrecht"]["published"]}
    assert ("test_flow", 1, "published") in published
    assert_error(api.anonymous().get("/regions"), 401)


def test_region_models_are_listed_for_people_of_that_region(api: Api) -> None:
    items = api.as_role("utrecht", "teamlid").get("/regions/utrecht/models").json()["items"]
    flow = next(m for m in items if m["process_id"] == "test_flow")
    assert set(flow) >= {"id", "process_id", "version", "status", "created_by", "created_at", "published_at"}
    assert flow["version"] == 1 and flow["status"] == "published"
    assert_error(api.as_role("nml", "beheerder").get("/regions/utrecht/models"), 403, "wrong_role")
    assert_error(api.anonymous().get("/regions/utrecht/models"), 401)
    assert_error(api.as_role("utrecht", "teamlid").get("/regions/atlantis/models"), 404, "unknown_region")


def test_bpmn_xml_is_for_the_designers_of_the_region(api: Api) -> None:
    version_id = flow_version_id(api)
    response = api.as_role("utrecht", "procesontwerper").get(f"/regions/utrecht/models/{version_id}/bpmn")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/xml")
    assert response.text == SOURCE
    assert_error(api.as_role("utrecht", "teamlid").get(f"/regions/utrecht/models/{version_id}/bpmn"), 403)
    assert_error(api.as_role("nml", "procesontwerper").get(f"/regions/utrecht/models/{version_id}/bpmn"), 403)
    assert_error(api.anonymous().get(f"/regions/utrecht/models/{version_id}/bpmn"), 401)
    assert_error(api.as_role("nml", "procesontwerper").get(f"/regions/nml/models/{version_id}/bpmn"), 404)
    assert_error(api.as_role("utrecht", "beheerder").get("/regions/utrecht/models/99999999999/bpmn"), 404)


def test_uploading_a_valid_model_stores_a_draft(api: Api) -> None:
    designer = api.as_role("utrecht", "procesontwerper")
    text = SOURCE.replace('name="Testproces" isExecutable', 'name="Testproces 2" isExecutable')
    response = designer.post(
        "/regions/utrecht/models?file_name=test_flow.bpmn", data=text.encode(), headers=XML
    )
    assert response.status_code == 201, response.text
    draft = response.json()
    assert (draft["process_id"], draft["version"], draft["status"]) == ("test_flow", 2, "draft")
    with api.rt.uow() as uow:
        row = uow.session.get_one(ModelVersion, draft["id"])
        assert (row.status, row.name, row.file_name, row.source) == (
            "draft",
            "Testproces 2",
            "test_flow.bpmn",
            text,
        )


def test_an_invalid_model_is_422_with_a_problem_per_element(api: Api) -> None:
    text = SOURCE.replace('name="casusregisseur"', 'name="tovenaar"').replace('"test_plan"', '"bestaat_niet"')
    response = api.as_role("utrecht", "beheerder").post(
        "/regions/utrecht/models", data=text.encode(), headers=XML
    )
    problems = assert_error(response, 422, "invalid_model")["details"]
    assert {p["element_id"] for p in problems} == {"lane_cr", "plan"}
    assert all(set(p) == {"element_id", "message"} for p in problems)


def test_upload_refuses_bad_xml_external_entities_and_other_media(api: Api) -> None:
    designer = api.as_role("utrecht", "procesontwerper")
    broken = designer.post("/regions/utrecht/models", data=b"<bpmn:definitions", headers=XML)
    assert assert_error(broken, 422, "bad_xml")["details"][0]["element_id"] is None
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>'
    )
    refused = designer.post("/regions/utrecht/models", data=xxe.encode(), headers=XML)
    assert refused.status_code == 422 and "root:" not in refused.text
    assert_error(designer.post("/regions/utrecht/models", json={"xml": SOURCE}), 415)
    assert_error(designer.post("/regions/utrecht/models", data=SOURCE.encode("utf-16"), headers=XML), 400)
    assert_error(designer.post("/regions/utrecht/models?file_name=../x.exe", data=b"<a/>", headers=XML), 400)


def test_a_20_mb_upload_is_a_clean_413(api: Api) -> None:
    padding = b"<!--" + b"x" * (20 * 1024 * 1024) + b"-->"
    response = api.as_role("utrecht", "procesontwerper").post(
        "/regions/utrecht/models", data=SOURCE.encode() + padding, headers=XML
    )
    assert_error(response, 413, "too_large")


def test_upload_is_for_the_designers_of_the_region(api: Api) -> None:
    for client in (api.as_role("utrecht", "coordinator"), api.as_role("nml", "procesontwerper")):
        assert_error(client.post("/regions/utrecht/models", data=SOURCE.encode(), headers=XML), 403)
    assert_error(api.anonymous().post("/regions/utrecht/models", data=SOURCE.encode(), headers=XML), 401)
    with api.rt.uow() as uow:
        assert uow.session.scalars(select(ModelVersion).where(ModelVersion.status == "draft")).all() == []


def test_publishing_a_draft_starts_new_cases_on_it_and_keeps_running_ones(api: Api) -> None:
    running = start_test_case(api.rt)
    designer = api.as_role("utrecht", "procesontwerper")
    text = SOURCE.replace('name="Testproces" isExecutable', 'name="Testproces 2" isExecutable')
    draft = designer.post("/regions/utrecht/models", data=text.encode(), headers=XML).json()
    assert_error(
        api.as_role("nml", "procesontwerper").post(f"/regions/utrecht/models/{draft['id']}/publish"), 403
    )
    assert_error(
        api.as_role("utrecht", "teamlid").post(f"/regions/utrecht/models/{draft['id']}/publish"), 403
    )
    assert_error(api.anonymous().post(f"/regions/utrecht/models/{draft['id']}/publish"), 401)
    published = designer.post(f"/regions/utrecht/models/{draft['id']}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert_error(designer.post(f"/regions/utrecht/models/{draft['id']}/publish"), 409, "not_a_draft")
    assert_error(designer.post("/regions/utrecht/models/99999/publish"), 404, "unknown_model")
    new_case = start_test_case(api.rt)
    coordinator = api.as_role("utrecht", "coordinator")
    assert coordinator.get(f"/cases/{new_case.id}").json()["model_version"] == 2
    assert coordinator.get(f"/cases/{running.id}").json()["model_version"] == 1
