"""A case from registration to its first evaluation using only the API and the simulated clock:
each role works its inbox with the forms' examples until the case waits on a timer; the beheerder
moves the clock past it; the next task appears in the inbox."""

from __future__ import annotations

from engine import timers
from tests.api.conftest import Api, Client

ROLES = ("veilig_thuis", "procesregisseur", "casusregisseur")


def work_inboxes(clients: dict[str, Client], case_id: int) -> list[str]:
    """Complete every open task of the case, role by role, with its form's examples, until none
    is left. Returns the names of the completed tasks in order."""
    done: list[str] = []
    while True:
        progressed = False
        for client in clients.values():
            for item in client.get("/tasks").json()["items"]:
                if item["case_id"] != case_id:
                    continue
                task = client.get(f"/tasks/{item['id']}").json()
                examples = {
                    field["name"]: field["example"] for field in (task["form"] or {}).get("fields", [])
                }
                response = client.post(f"/tasks/{item['id']}/complete", json={"data": examples})
                assert response.status_code == 200, response.text
                done.append(task["name"])
                progressed = True
        if not progressed:
            return done


def test_a_case_walks_to_its_first_evaluation_through_the_api(api: Api) -> None:
    aanmelder = api.as_role("utrecht", "aanmelder")
    form = aanmelder.get("/regions/utrecht/start-form", params={"process_id": "test_flow"}).json()
    data = {field["name"]: field["example"] for field in form["fields"]}
    created = aanmelder.post("/cases", json={"region": "utrecht", "process_id": "test_flow", "data": data})
    assert created.status_code == 201
    case_id = created.json()["id"]
    clients = {role: api.as_role("utrecht", role) for role in ROLES}

    done = work_inboxes(clients, case_id)
    assert done[:2] == ["Triage uitvoeren", "Analyse en regie"] and done[-1] == "Plan van aanpak maken"
    assert sorted(done[2:4]) == ["Netwerk in kaart brengen", "Veiligheid controleren"]
    coordinator = api.as_role("utrecht", "coordinator")
    waiting = coordinator.get(f"/cases/{case_id}").json()
    assert waiting["open_tasks"] == [] and waiting["phase"] == "plan"
    [timer] = waiting["timers"]
    assert timer["name"] == "Wachten op evaluatiemoment" and timer["due_at"] == "2026-04-05T09:00:00+00:00"

    beheerder = api.as_role("utrecht", "beheerder")
    moved = beheerder.post("/clock", json={"set": timer["due_at"]}).json()
    assert moved["now"] == timer["due_at"] and moved["cases_advanced"] == 1  # the move sweeps due timers
    assert timers.run_due(api.rt).cases_advanced == 0  # ... exactly once

    inbox = clients["casusregisseur"].get("/tasks").json()["items"]
    assert [(t["case_id"], t["name"], t["assignee"]) for t in inbox] == [
        (case_id, "Evaluatie", "utrecht.casusregisseur")
    ]
    case = coordinator.get(f"/cases/{case_id}").json()
    assert case["phase"] == "monitoring" and case["timers"] == []
    assert [e["kind"] for e in case["history"]].count("timer_fired") == 1
