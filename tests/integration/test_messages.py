import pytest

from engine import cases, messages, timers
from engine.accounts import actor_by_username
from engine.errors import Conflict, Forbidden, NotFound
from engine.runtime import Runtime
from tests.factories import open_tasks


def start_waiting_case(rt: Runtime) -> int:
    data = rt.forms["test_aanmelding"].examples("utrecht")
    aanmelder = actor_by_username(rt, "utrecht.aanmelder")
    return cases.start_case(rt, aanmelder, "utrecht", data, process_id="test_bericht").id


def test_timer_behind_an_event_based_gateway_is_scheduled_and_fires(rt: Runtime, actor) -> None:
    case_id = start_waiting_case(rt)
    detail = cases.get_case(rt, actor("utrecht", "coordinator"), case_id)
    assert [t.due_at.isoformat() for t in detail.timers] == ["2026-04-05T09:00:00+00:00"]
    rt.clock.advance("P3M")
    assert timers.run_due(rt).cases_advanced == 1
    assert [t.spec_id for t in open_tasks(rt, case_id)] == ["evaluatie"]


def test_message_brings_the_evaluation_forward_and_cancels_the_wait(rt: Runtime, actor) -> None:
    case_id = start_waiting_case(rt)
    regisseur = actor("utrecht", "coordinator")  # no procesregisseur is appointed in this small model
    assert messages.waiting_messages(rt, regisseur, case_id) == ["evaluatie_vervroegen"]
    assert messages.send_message(rt, regisseur, case_id, "evaluatie_vervroegen") == []
    assert [t.spec_id for t in open_tasks(rt, case_id)] == ["evaluatie"]
    detail = cases.get_case(rt, actor("utrecht", "coordinator"), case_id)
    assert detail.timers == []
    assert "message_delivered" in [e.kind for e in detail.history]
    with pytest.raises(Conflict):
        messages.send_message(rt, regisseur, case_id, "evaluatie_vervroegen")


def test_only_regie_roles_of_the_region_send_messages(rt: Runtime, actor) -> None:
    case_id = start_waiting_case(rt)
    with pytest.raises(Forbidden):
        messages.send_message(rt, actor("utrecht", "aanmelder"), case_id, "evaluatie_vervroegen")
    with pytest.raises(NotFound):
        messages.send_message(rt, actor("rotterdam", "procesregisseur"), case_id, "evaluatie_vervroegen")
    assert messages.waiting_messages(rt, actor("utrecht", "coordinator"), case_id) == ["evaluatie_vervroegen"]
