"""The process designer's API over real HTTP (issue 11): drafts saved with problems, checks,
publishing with a note, history and download, outline, comparison, a trial run, and batch
migration; only the region's designers, and each action an audit event."""

from __future__ import annotations

from sqlalchemy import func, select

from engine import cases
from engine.accounts import actor_by_username
from engine.storage.tables import Case, Event, Task
from tests.api.conftest import Api, assert_error
from tests.conftest import FIXTURES
from tests.factories import complete_open, start_test_case
from tests.integration import designer_models

SOURCE = (FIXTURES / "workflows" / "regions" / "utrecht" / "test_flow.bpmn").read_text(encoding="utf-8")
XML = {"Content-Type": "application/xml"}
RENAMED = SOURCE.replace('name="Plan van aanpak maken"', 'name="Plan opstellen"').replace('"P5D"', '"P7D"')
BAD_LANE = RENAMED.replace(
    '<bpmn:lane id="lane_cr" name="casusregisseur">', '<bpmn:lane id="lane_cr" name="kok">'
)


def test_a_draft_with_problems_is_saved_checked_and_refused_for_publication(api: Api) -> None:
    designer = api.as_role("utrecht", "procesontwerper")
    checked = designer.post("/regions/utrecht/check", data=BAD_LANE.encode(), headers=XML)
    assert checked.status_code == 200
    assert [p["element_id"] for p in checked.json()["items"]] == ["lane_cr"]
    saved = designer.post(
        "/regions/utrecht/drafts?file_name=test_flow.bpmn", data=BAD_LANE.encode(), headers=XML
    )
    assert saved.status_code == 200, saved.text
    draft = saved.json()
    assert draft["status"] == "draft" and draft["origin"] == "designer" and len(draft["problems"]) == 1
    refused = assert_error(
        designer.post(f"/regions/utrecht/models/{draft['id']}/publish", json={"note": "x"}), 422
    )
    assert refused["details"][0]["element_id"] == "lane_cr"

    fixed = designer.post(
        f"/regions/utrecht/drafts?file_name=test_flow.bpmn&base={draft['id']}",
        data=RENAMED.encode(),
        headers=XML,
    )
    assert fixed.json()["id"] == draft["id"] and fixed.json()["problems"] == []
    published = designer.post(
        f"/regions/utrecht/models/{draft['id']}/publish", json={"note": "Plan opstellen"}
    )
    assert published.status_code == 200 and published.json()["note"] == "Plan opstellen"

    history = designer.get("/regions/utrecht/history?process_id=test_flow").json()["items"]
    assert [(h["version"], h["status"], h["note"]) for h in history] == [
        (2, "published", "Plan opstellen"),
        (1, "retired", None),
    ]
    assert history[0]["author"] == history[0]["publisher"] == "utrecht.procesontwerper"
    download = designer.get(f"/regions/utrecht/models/{draft['id']}/download")
    assert download.text == RENAMED and "test_flow-v2.bpmn" in download.headers["Content-Disposition"]
    with api.rt.uow() as uow:
        kinds = uow.session.scalars(
            select(Event.kind).where(Event.case_id.is_(None)).order_by(Event.id)
        ).all()
    assert kinds == ["model_draft_saved", "model_draft_saved", "model_published"]


def test_outline_and_comparison_show_what_the_diagram_hides(api: Api) -> None:
    designer = api.as_role("utrecht", "procesontwerper")
    draft = designer.post("/regions/utrecht/drafts", data=RENAMED.encode(), headers=XML).json()
    live = next(h for h in designer.get("/regions/utrecht/history").json()["items"]
                if h["process_id"] == "test_flow" and h["status"] == "published")  # fmt: skip
    outline = designer.get(f"/regions/utrecht/models/{draft['id']}/outline").json()
    assert "gebruikerstaak: Plan opstellen" in outline["text"] and 'timeDuration: "P7D"' in outline["text"]
    comparison = designer.get(f"/regions/utrecht/compare?left={live['id']}&right={draft['id']}").json()
    fields = {c["id"]: {f["field"]: f["after"] for f in c["fields"]} for c in comparison["changes"]}
    assert fields == {"plan": {"name": "Plan opstellen"}, "plan_termijn": {"timer": 'timeDuration: "P7D"'}}
    assert_error(designer.get("/regions/utrecht/compare?left=1"), 400)
    assert_error(
        designer.get(f"/regions/utrecht/compare?left={live['id']}&right={draft['id']}&left_region=zeeland"),
        404,
    )


def test_a_trial_over_http_touches_no_real_case(api: Api) -> None:
    designer = api.as_role("utrecht", "procesontwerper")
    draft = designer.post("/regions/utrecht/drafts", data=RENAMED.encode(), headers=XML).json()
    trial = designer.post(f"/regions/utrecht/models/{draft['id']}/trials")
    assert trial.status_code == 201, trial.text
    state = trial.json()
    for step in ("triage", "analyse", "check_a", "check_b"):
        task = next(t for t in state["tasks"] if t["spec_id"] == step)
        state = designer.post(f"/regions/utrecht/trials/{state['id']}/tasks/{task['id']}/complete").json()
    assert [t["name"] for t in state["tasks"]] == ["Plan opstellen"]
    moved = designer.post(f"/regions/utrecht/trials/{state['id']}/clock", json={"advance": "P7D"}).json()
    assert "plan_termijn" in moved["path"] and {t["spec_id"] for t in moved["tasks"]} == {
        "plan",
        "herinnering",
    }
    assert_error(
        designer.post(f"/regions/utrecht/trials/{state['id']}/clock", json={"advance": "morgen"}), 422
    )
    assert_error(api.as_role("zeeland", "procesontwerper").get(f"/regions/zeeland/trials/{state['id']}"), 404)
    assert_error(api.as_role("utrecht", "teamlid").get(f"/regions/utrecht/trials/{state['id']}"), 403)
    with api.rt.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Case)) == 0
        assert uow.session.scalar(select(func.count()).select_from(Task)) == 0
    assert api.as_role("utrecht", "coordinator").get("/cases").json()["total"] == 0


def test_batch_migration_over_http_reports_refused_cases_and_moves_the_rest(api: Api) -> None:
    designer = api.as_role("utrecht", "procesontwerper")
    for text, name in ((designer_models.SUB, "batch_sub.bpmn"), (designer_models.main(), "batch_flow.bpmn")):
        draft = designer.post(
            f"/regions/utrecht/drafts?file_name={name}", data=text.encode(), headers=XML
        ).json()
        assert designer.post(f"/regions/utrecht/models/{draft['id']}/publish").status_code == 200
    aanmelder = actor_by_username(api.rt, "utrecht.aanmelder")
    waiting = cases.start_case(api.rt, aanmelder, "utrecht", {}, process_id="batch_flow").id
    inside = cases.start_case(api.rt, aanmelder, "utrecht", {}, process_id="batch_flow").id
    complete_open(api.rt, inside, "a")
    other_process = start_test_case(api.rt).id
    without_call = designer_models.main(with_call=False)
    v2 = designer.post("/regions/utrecht/drafts", data=without_call.encode(), headers=XML).json()
    assert (
        designer.post(
            f"/regions/utrecht/models/{v2['id']}/publish", json={"note": "geen deelproces meer"}
        ).status_code
        == 200
    )

    plans = designer.get(f"/regions/utrecht/models/{v2['id']}/migration").json()["items"]
    assert {p["case_id"]: p["blocking"] for p in plans} == {waiting: [], inside: ["batch_sub", "deel"]}
    results = designer.post(
        f"/regions/utrecht/models/{v2['id']}/migration", json={"case_ids": [waiting, inside, other_process]}
    ).json()["items"]
    outcome = {r["case_id"]: (r["migrated"], bool(r["error"])) for r in results}
    assert outcome == {waiting: (True, False), inside: (False, True), other_process: (False, True)}
    coordinator = api.as_role("utrecht", "coordinator")
    assert coordinator.get(f"/cases/{waiting}").json()["model_version"] == 2
    assert coordinator.get(f"/cases/{inside}").json()["model_version"] == 1  # left as it was
    assert [t["name"] for t in coordinator.get(f"/cases/{inside}").json()["open_tasks"]] == [
        "Taak B in deelproces"
    ]
    assert_error(
        api.as_role("utrecht", "coordinator").get(f"/regions/utrecht/models/{v2['id']}/migration"), 403
    )
    assert_error(designer.post(f"/regions/utrecht/models/{v2['id']}/migration", json={"case_ids": []}), 400)


def test_other_regions_and_roles_get_nothing_of_the_designer(api: Api) -> None:
    text = RENAMED.encode()
    outsiders = [(api.as_role("zeeland", "procesontwerper"), 403), (api.as_role("utrecht", "teamlid"), 403)]
    for client, status in [*outsiders, (api.anonymous(), 401)]:
        assert_error(client.post("/regions/utrecht/drafts", data=text, headers=XML), status)
        assert_error(client.post("/regions/utrecht/check", data=text, headers=XML), status)
        assert_error(client.get("/regions/utrecht/history"), status)
    assert_error(
        api.as_role("utrecht", "procesontwerper").post("/regions/utrecht/drafts", data=b"<x", headers=XML),
        422,
    )
    forms = api.as_role("utrecht", "procesontwerper").get("/forms").json()["items"]
    assert {"key": "test_check", "title": "Controle"} in forms
