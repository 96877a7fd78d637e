"""Scenarios on the simulated clock: a case left untouched becomes stuck on the right day for the
right rule, walks up the escalation ladder step by step (one e-mail per step arrives at the local
SMTP server), and leaves the stuck list when work resumes; a per-element threshold catches a case
waiting too long at one element; a lapse the model's deadline task already signalled is not
alarmed twice."""

from __future__ import annotations

from sqlalchemy import select

from engine import accounts, timers
from engine.monitoring import actions, notifications, overview, rules
from engine.monitoring.escalation import run_escalations
from engine.runtime import Runtime
from engine.storage.tables import Escalation, Event, Notification
from tests.factories import complete_open, start_test_case
from tests.monitoring.conftest import Inbox

REGION = "utrecht"


def advance(rt: Runtime, duration: str) -> None:
    """What the scheduler does after time passes: the timer sweep, then the escalation sweep."""
    rt.clock.advance(duration)  # type: ignore[attr-defined]
    timers.run_due(rt)
    run_escalations(rt)


def coordinator(rt: Runtime):  # type: ignore[no-untyped-def]
    return accounts.actor_by_username(rt, f"{REGION}.coordinator")


def stuck_rules_of(rt: Runtime, case_id: int) -> list[str]:
    found = [s for s in overview.stuck_cases(rt, coordinator(rt), REGION) if s.case_id == case_id]
    return [hit.kind for hit in found[0].rules] if found else []


def events(rt: Runtime, case_id: int, kind: str) -> list[Event]:
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(Event).where(Event.case_id == case_id, Event.kind == kind).order_by(Event.id)
            )
        )


def give_mail_addresses(rt: Runtime) -> dict[str, str]:
    addresses = {role: f"{role}@mda.test" for role in ("procesregisseur", "casusregisseur", "coordinator")}
    for role, address in addresses.items():
        notifications.set_email(rt, f"{REGION}.{role}", address)
    return addresses


def test_untouched_case_is_stuck_on_day_30_walks_the_ladder_and_leaves_when_work_resumes(
    mon_rt: Runtime, inbox: Inbox
) -> None:
    rt = mon_rt
    mail = give_mail_addresses(rt)
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")  # the analysis now waits in the procesregisseur's pool
    advance(rt, "P29DT23H")
    assert stuck_rules_of(rt, case.id) == []
    advance(rt, "PT1H")
    assert stuck_rules_of(rt, case.id) == ["idle"]
    stuck = overview.stuck_cases(rt, coordinator(rt), REGION)[0]
    assert stuck.waiting_for[0].kind == "task" and stuck.waiting_for[0].who == "pool procesregisseur"
    assert [e.data["level"] for e in events(rt, case.id, "escalation_step")] == [1]
    assert len(inbox.to(mail["procesregisseur"])) == 1  # step 1: the pool holding the work

    advance(rt, "P2D")
    assert len(events(rt, case.id, "escalation_step")) == 1  # step 2 comes on day 3
    advance(rt, "P1D")
    assert [e.data["role"] for e in events(rt, case.id, "escalation_step")] == ["assignee", "procesregisseur"]
    assert len(inbox.to(mail["procesregisseur"])) == 2
    assert inbox.to(mail["coordinator"]) == []
    advance(rt, "P4D")
    assert [e.data["level"] for e in events(rt, case.id, "escalation_step")] == [1, 2, 3]
    coordinator_mail = inbox.to(mail["coordinator"])
    assert len(coordinator_mail) == 1
    body = coordinator_mail[0].get_payload(decode=True).decode()
    assert f"Zaak {case.id}" in body and "/monitor/utrecht/stuck" in body
    assert "Familie" not in body and case.title not in body  # a reference and a link, nothing more

    advance(rt, "P30D")  # the ladder has no further step: nothing more is sent
    assert len(events(rt, case.id, "escalation_step")) == 3
    assert len(inbox.messages) == 3

    complete_open(rt, case.id, "analyse")  # work resumes
    assert stuck_rules_of(rt, case.id) == []
    run_escalations(rt)
    assert len(events(rt, case.id, "escalation_resolved")) == 1
    with rt.uow() as uow:
        assert (
            uow.session.scalar(select(Escalation.status).where(Escalation.case_id == case.id)) == "resolved"
        )
    run_escalations(rt)
    assert len(inbox.messages) == 3  # never twice


def test_per_element_threshold_catches_a_case_waiting_too_long_at_one_element(mon_rt: Runtime) -> None:
    rt = mon_rt
    rules.save_rule(rt, coordinator(rt), REGION, {"kind": "element_wait", "subject": "check_b", "days": 2})
    waiting = start_test_case(rt)
    for spec_id in ("triage", "analyse"):
        complete_open(rt, waiting.id, spec_id)
    complete_open(rt, waiting.id, "check_a")  # check_b stays open
    advance(rt, "P1D")
    assert stuck_rules_of(rt, waiting.id) == []
    advance(rt, "P1D")
    assert stuck_rules_of(rt, waiting.id) == ["element_wait"]
    hit = overview.stuck_cases(rt, coordinator(rt), REGION)[0].rules[0]
    assert hit.subject == "check_b" and hit.days == 2
    assert [w.element_id for w in overview.stuck_cases(rt, coordinator(rt), REGION)[0].waiting_for] == [
        "check_b"
    ]


def test_a_deadline_the_model_already_signalled_is_not_alarmed_twice(mon_rt: Runtime, inbox: Inbox) -> None:
    rt = mon_rt
    mail = give_mail_addresses(rt)
    case = start_test_case(rt)
    for spec_id in ("triage", "analyse", "check_a", "check_b"):
        complete_open(rt, case.id, spec_id)
    advance(rt, "P4D")
    assert events(rt, case.id, "escalation_step") == []
    advance(rt, "P1D")  # the plan's deadline: the model raises 'Termijn plan verstreken' (procesregisseur)
    steps = events(rt, case.id, "escalation_step")  # and the plan is overdue: the ladder starts
    assert [(e.data["role"], e.data.get("skipped")) for e in steps] == [("assignee", None)]
    assert len(inbox.to(mail["casusregisseur"])) == 1  # the plan is the casusregisseur's
    advance(rt, "P3D")
    steps = events(rt, case.id, "escalation_step")
    assert steps[1].data["role"] == "procesregisseur" and steps[1].data["skipped"] == "model_deadline_task"
    assert inbox.to(mail["procesregisseur"]) == []  # told once, by the model's own task
    advance(rt, "P4D")
    assert events(rt, case.id, "escalation_step")[2].data["role"] == "coordinator"
    assert len(inbox.to(mail["coordinator"])) == 1  # this model's deadline task did not go to them
    with rt.uow() as uow:
        assert not uow.session.scalars(select(Notification).where(Notification.kind == "escalation",
                                       Notification.user_id == accounts.actor_by_username(
                                           rt, f"{REGION}.procesregisseur").user_id)).all()  # fmt: skip


def test_coordinator_hands_work_over_acknowledges_and_puts_on_the_agenda(mon_rt: Runtime) -> None:
    rt = mon_rt
    accounts.add_user(rt, "utrecht.procesregisseur2", role="procesregisseur", region=REGION)
    first, second = start_test_case(rt), start_test_case(rt)
    for case in (first, second):
        complete_open(rt, case.id, "triage")
    advance(rt, "P30D")
    boss = coordinator(rt)
    handed = actions.hand_over(rt, boss, [first.id, second.id], "utrecht.procesregisseur2")
    assert [h.tasks_assigned for h in handed] == [1, 1]
    colleague = accounts.actor_by_username(rt, "utrecht.procesregisseur2")
    notices = notifications.list_notifications(rt, colleague)  # also step 1: the pool they are in
    assert [n.case_id for n in notices if n.kind == "handover"] == [second.id, first.id]
    assert notifications.unread_count(rt, colleague) == 4
    escalation = overview.stuck_cases(rt, boss, REGION)[0].escalation
    assert escalation is not None and escalation.status == "open"
    actions.acknowledge(rt, boss, escalation.id)
    actions.put_on_agenda(rt, boss, escalation.case_id)
    advance(rt, "P10D")  # acknowledged: the ladder stops at its first step
    assert [e.data["level"] for e in events(rt, escalation.case_id, "escalation_step")] == [1]
    assert len(events(rt, escalation.case_id, "consultatieteam_agenda")) == 1
    notifications.mark_read(rt, colleague, None)
    assert notifications.unread_count(rt, colleague) == 0
