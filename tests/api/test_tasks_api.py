"""Tasks over HTTP: the inbox, one task, claim, unclaim, assign and complete."""

from __future__ import annotations

from sqlalchemy import select

from engine import accounts
from engine.storage.tables import Task
from tests.api.conftest import Api, assert_error
from tests.factories import complete_open, open_tasks, start_test_case


def triage_task(api: Api) -> tuple[int, str]:
    case = start_test_case(api.rt)
    return case.id, open_tasks(api.rt, case.id)[0].id


def task_row(api: Api, task_id: str) -> Task:
    with api.rt.uow() as uow:
        return uow.session.get_one(Task, task_id)


def test_inbox_lists_pool_tasks_of_the_role_with_filters_and_pages(api: Api) -> None:
    first_case, first = triage_task(api)
    api.rt.clock.advance("PT1H")  # the inbox shows the oldest first
    _, second = triage_task(api)
    client = api.as_role("utrecht", "veilig_thuis")
    inbox = client.get("/tasks").json()
    assert inbox["total"] == 2 and [t["id"] for t in inbox["items"]] == [first, second]
    item = inbox["items"][0]
    assert (item["case_id"], item["name"], item["role"], item["assignee"], item["due_at"]) == (
        first_case, "Triage uitvoeren", "veilig_thuis", None, None,
    )  # fmt: skip
    assert [t["id"] for t in client.get("/tasks?limit=1&offset=1").json()["items"]] == [second]
    assert client.get("/tasks?role=veilig_thuis&region=utrecht").json()["total"] == 2
    assert client.get("/tasks?role=casusregisseur").json()["total"] == 0
    assert client.get("/tasks?overdue=true").json()["total"] == 0


def test_inbox_shows_overdue_tasks_once_their_deadline_passed(api: Api) -> None:
    case = start_test_case(api.rt)
    for spec_id in ("triage", "analyse", "check_a", "check_b"):
        complete_open(api.rt, case.id, spec_id)
    client = api.as_role("utrecht", "casusregisseur")
    assert client.get("/tasks?overdue=true").json()["total"] == 0
    api.rt.clock.advance("P6D")
    overdue = client.get("/tasks?overdue=true").json()["items"]
    assert [(t["name"], t["assignee"]) for t in overdue] == [
        ("Plan van aanpak maken", "utrecht.casusregisseur")
    ]


def test_inbox_is_empty_for_other_regions_and_roles_and_refuses_bad_queries(api: Api) -> None:
    triage_task(api)
    assert api.as_role("nml", "veilig_thuis").get("/tasks").json()["total"] == 0
    assert api.as_role("utrecht", "teamlid").get("/tasks").json()["total"] == 0
    assert_error(api.anonymous().get("/tasks"), 401)
    client = api.as_role("utrecht", "veilig_thuis")
    for query in ("role=tovenaar", "region=atlantis", "overdue=soms", "limit=-5", "limit=201", "offset=x"):
        assert_error(client.get(f"/tasks?{query}"), 400)


def test_task_detail_has_its_form_and_current_data(api: Api) -> None:
    case_id, task_id = triage_task(api)
    task = api.as_role("utrecht", "veilig_thuis").get(f"/tasks/{task_id}").json()
    assert (task["id"], task["case_id"], task["role"], task["assignee"]) == (
        task_id,
        case_id,
        "veilig_thuis",
        None,
    )
    assert task["form"]["key"] == "test_triage"
    assert {f["name"] for f in task["form"]["fields"]} == {"structureel", "toelichting"}
    assert task["data"] == {"structureel": True}  # prefilled from the registration


def test_task_detail_is_404_when_not_visible(api: Api) -> None:
    _, task_id = triage_task(api)
    assert_error(api.as_role("nml", "veilig_thuis").get(f"/tasks/{task_id}"), 404, "task_not_found")
    assert_error(api.as_role("utrecht", "teamlid").get(f"/tasks/{task_id}"), 404, "task_not_found")
    assert_error(api.anonymous().get(f"/tasks/{task_id}"), 401)
    client = api.as_role("utrecht", "veilig_thuis")
    assert_error(client.get("/tasks/00000000-0000-0000-0000-000000000000"), 404, "task_not_found")
    assert_error(client.get("/tasks/geen-taak!"), 404, "not_found")


def test_claiming_takes_a_pool_task_once(api: Api) -> None:
    _, task_id = triage_task(api)
    accounts.add_user(api.rt, "vt2", role="veilig_thuis", region="utrecht")
    claimed = api.as_role("utrecht", "veilig_thuis").post(f"/tasks/{task_id}/claim")
    assert claimed.status_code == 200 and claimed.json()["assignee"] == "utrecht.veilig_thuis"
    assert_error(api.as_user("vt2").post(f"/tasks/{task_id}/claim"), 409, "task_already_claimed")
    assert_error(api.as_role("utrecht", "casusregisseur").post(f"/tasks/{task_id}/claim"), 404)
    assert_error(api.as_role("nml", "veilig_thuis").post(f"/tasks/{task_id}/claim"), 404)
    assert_error(api.anonymous().post(f"/tasks/{task_id}/claim"), 401)
    assert_error(api.as_user("vt2").post("/tasks/ffffffff-0000-0000-0000-000000000000/claim"), 404)
    assert task_row(api, task_id).assignee_id is not None


def test_unclaiming_gives_the_task_back_only_by_its_holder_or_an_assigner(api: Api) -> None:
    _, task_id = triage_task(api)
    accounts.add_user(api.rt, "vt2", role="veilig_thuis", region="utrecht")
    holder = api.as_role("utrecht", "veilig_thuis")
    holder.post(f"/tasks/{task_id}/claim")
    assert_error(api.as_user("vt2").post(f"/tasks/{task_id}/unclaim"), 404)  # a claimed task is the holder's
    assert_error(api.as_role("nml", "coordinator").post(f"/tasks/{task_id}/unclaim"), 404)
    assert_error(api.anonymous().post(f"/tasks/{task_id}/unclaim"), 401)
    released = holder.post(f"/tasks/{task_id}/unclaim")
    assert released.status_code == 200 and released.json()["assignee"] is None
    assert task_row(api, task_id).assignee_id is None
    assert_error(holder.post("/tasks/x/unclaim"), 404)


def test_assigning_is_for_the_coordinator_and_needs_a_person_with_the_role(api: Api) -> None:
    _, task_id = triage_task(api)
    coordinator = api.as_role("utrecht", "coordinator")
    assigned = coordinator.post(f"/tasks/{task_id}/assign", json={"username": "utrecht.veilig_thuis"})
    assert assigned.status_code == 200 and assigned.json()["assignee"] == "utrecht.veilig_thuis"
    assert_error(coordinator.post(f"/tasks/{task_id}/assign", json={"username": "utrecht.teamlid"}), 422)
    assert_error(coordinator.post(f"/tasks/{task_id}/assign", json={}), 400)
    assert_error(coordinator.post(f"/tasks/{task_id}/assign", json={"username": 7}), 400)
    aanmelder = api.as_role("utrecht", "aanmelder")  # on the case team, but hands out no work
    assert_error(aanmelder.post(f"/tasks/{task_id}/assign", json={"username": "utrecht.veilig_thuis"}), 403)
    other = api.as_role("nml", "coordinator")
    assert_error(other.post(f"/tasks/{task_id}/assign", json={"username": "utrecht.veilig_thuis"}), 404)
    assert_error(api.anonymous().post(f"/tasks/{task_id}/assign", json={"username": "x"}), 401)


def test_completing_a_task_advances_the_case(api: Api) -> None:
    case_id, task_id = triage_task(api)
    done = api.as_role("utrecht", "veilig_thuis").post(
        f"/tasks/{task_id}/complete", json={"data": {"structureel": True}}
    )
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert task_row(api, task_id).data == {"structureel": True}
    inbox = api.as_role("utrecht", "procesregisseur").get("/tasks").json()["items"]
    assert [(t["case_id"], t["name"]) for t in inbox] == [(case_id, "Analyse en regie")]
    again = api.as_role("utrecht", "veilig_thuis").post(f"/tasks/{task_id}/complete", json={"data": {}})
    assert_error(again, 409, "task_not_open")  # though the case is no longer visible to them


def test_completing_with_invalid_data_is_422_and_changes_nothing(api: Api) -> None:
    _, task_id = triage_task(api)
    client = api.as_role("utrecht", "veilig_thuis")
    response = client.post(f"/tasks/{task_id}/complete", json={"data": {"structureel": "ja", "extra": 1}})
    assert set(assert_error(response, 422, "invalid_form")["details"]) == {"structureel", "extra"}
    assert_error(client.post(f"/tasks/{task_id}/complete", json={"data": []}), 400)
    assert_error(client.post(f"/tasks/{task_id}/complete", json={"gegevens": {}}), 400)
    assert task_row(api, task_id).status == "open"


def test_completing_is_only_for_the_role_of_the_task(api: Api) -> None:
    _, task_id = triage_task(api)
    body = {"data": {"structureel": True}}
    assert_error(api.as_role("utrecht", "coordinator").post(f"/tasks/{task_id}/complete", json=body), 403)
    assert_error(api.as_role("utrecht", "teamlid").post(f"/tasks/{task_id}/complete", json=body), 404)
    assert_error(api.as_role("nml", "veilig_thuis").post(f"/tasks/{task_id}/complete", json=body), 404)
    assert_error(api.anonymous().post(f"/tasks/{task_id}/complete", json=body), 401)
    with api.rt.uow() as uow:
        assert uow.session.scalars(select(Task.status)).all() == ["open"]
