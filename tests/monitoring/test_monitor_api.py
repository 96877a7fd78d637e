"""GET/POST /api/v1/monitor/* over real HTTP: the same numbers as the engine's views, scoped to
the coordinator's own region (another region's coordinator sees none of it), every listed case
access-logged, bad input a clear 4xx."""

from __future__ import annotations

from sqlalchemy import select

from engine import accounts, timers
from engine.monitoring import metrics
from engine.monitoring.escalation import run_escalations
from engine.runtime import Runtime
from engine.storage.tables import AccessLog
from tests.api.conftest import Api, assert_error
from tests.factories import complete_open, start_test_case


def stuck_case(rt: Runtime) -> int:
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")
    rt.clock.advance("P31D")  # type: ignore[attr-defined]
    timers.run_due(rt)
    run_escalations(rt)
    return case.id


def test_coordinator_reads_stuck_overdue_escalations_and_metrics_of_their_region(api: Api) -> None:
    case_id = stuck_case(api.rt)
    client = api.as_role("utrecht", "coordinator")
    stuck = client.get("/monitor/stuck").json()
    assert stuck["region"] == "utrecht"
    assert [(s["case_id"], [r["kind"] for r in s["rules"]]) for s in stuck["items"]] == [(case_id, ["idle"])]
    assert stuck["items"][0]["waiting_for"][0]["who"] == "pool procesregisseur"
    assert stuck["items"][0]["escalation"]["level"] == 1
    escalations = client.get("/monitor/escalations", params={"region": "utrecht"}).json()["items"]
    assert [(e["case_id"], e["status"]) for e in escalations] == [(case_id, "open")]
    assert client.get("/monitor/overdue").json() == {"region": "utrecht", "items": [], "per_role": {}}
    served = client.get("/monitor/metrics", params={"process_id": "test_flow"}).json()
    coordinator = accounts.actor_by_username(api.rt, "utrecht.coordinator")
    computed = metrics.region_metrics(api.rt, coordinator, "utrecht", "test_flow")
    assert served["stuck"] == computed.stuck == 1
    assert served["open_per_phase"] == computed.open_per_phase == {"analyse": 1}
    assert (
        [h["element_id"] for h in served["heatmap"]]
        == [h.element_id for h in computed.heatmap]
        == ["analyse"]
    )
    cases_there = client.get("/monitor/heatmap/analyse", params={"process_id": "test_flow"}).json()["items"]
    assert [c["case_id"] for c in cases_there] == [case_id]
    with api.rt.uow() as uow:
        kinds = set(uow.session.scalars(select(AccessLog.kind).where(AccessLog.case_id == case_id)))
    assert {"monitor_stuck", "monitor_escalations", "monitor_heatmap"} <= kinds


def test_another_regions_coordinator_sees_none_of_it(api: Api) -> None:
    case_id = stuck_case(api.rt)
    other = api.as_role("nml", "coordinator")
    assert other.get("/monitor/stuck").json() == {"region": "nml", "items": []}
    assert_error(other.get("/monitor/stuck", params={"region": "utrecht"}), 403, "wrong_role")
    assert_error(other.get("/monitor/metrics", params={"region": "utrecht"}), 403)
    escalation_id = api.as_role("utrecht", "coordinator").get("/monitor/escalations").json()["items"][0]["id"]
    assert_error(other.post(f"/monitor/escalations/{escalation_id}/acknowledge"), 404)
    assert_error(other.post(f"/monitor/cases/{case_id}/agenda"), 404, "case_not_found")
    assert_error(
        other.post("/monitor/handover", json={"case_ids": [case_id], "username": "nml.teamlid"}), 404
    )
    assert_error(api.as_role("utrecht", "teamlid").get("/monitor/stuck", params={"region": "utrecht"}), 403)


def test_coordinator_acts_and_bad_input_gets_a_clear_error(api: Api) -> None:
    case_id = stuck_case(api.rt)
    accounts.add_user(api.rt, "utrecht.procesregisseur2", role="procesregisseur", region="utrecht")
    client = api.as_role("utrecht", "coordinator")
    handed = client.post(
        "/monitor/handover", json={"case_ids": [case_id], "username": "utrecht.procesregisseur2"}
    )
    assert handed.json() == {"items": [{"case_id": case_id, "tasks_assigned": 1}]}
    assert_error(client.post("/monitor/handover", json={"case_ids": [], "username": "x"}), 400)
    assert_error(
        client.post("/monitor/handover", json={"case_ids": [case_id], "username": "utrecht.teamlid"}), 422
    )
    escalation_id = client.get("/monitor/escalations").json()["items"][0]["id"]
    assert client.post(f"/monitor/escalations/{escalation_id}/acknowledge").status_code == 204
    assert_error(client.post(f"/monitor/escalations/{escalation_id}/acknowledge"), 409, "escalation_not_open")
    assert client.post(f"/monitor/cases/{case_id}/agenda").status_code == 204
    saved = client.put("/monitor/rules", json={"kind": "element_wait", "subject": "analyse", "days": 5})
    assert saved.json()["label"] == "Te lang wachtend bij één processtap: analyse"
    assert_error(
        client.put("/monitor/rules", json={"kind": "phase_too_long", "subject": "x", "days": 5}), 422
    )
    assert_error(client.put("/monitor/rules", json={"kind": "idle", "days": -1}), 400)
    rules = client.get("/monitor/rules").json()["items"]
    assert {"kind": "element_wait", "subject": "analyse", "days": 5} in [
        {k: r[k] for k in ("kind", "subject", "days")} for r in rules
    ]
    colleague = api.as_user("utrecht.procesregisseur2")
    notices = colleague.get("/notifications").json()
    assert notices["unread"] == len(notices["items"]) >= 1
    first = notices["items"][0]["id"]
    assert colleague.post(f"/notifications/{first}/read").status_code == 204
    assert colleague.get("/notifications").json()["unread"] == notices["unread"] - 1
    assert_error(client.post(f"/notifications/{first}/read"), 404)  # not the coordinator's notice
