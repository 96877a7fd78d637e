from engine import cases, timers
from engine.runtime import Runtime
from tests.factories import complete_open, open_tasks, start_test_case, walk_to_monitoring


def test_case_walks_to_monitoring_and_evaluates_every_three_months(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    walk_to_monitoring(rt, case.id)
    evaluations = 0
    for _ in range(4):
        rt.clock.advance("P3M")
        timers.run_due(rt)
        names = [t.spec_id for t in open_tasks(rt, case.id)]
        assert names == ["evaluatie"]
        complete_open(rt, case.id, "evaluatie")
        evaluations += 1
    detail = cases.get_case(rt, actor("utrecht", "coordinator"), case.id)
    assert evaluations == 4
    assert [e.kind for e in detail.history].count("timer_fired") == 4
    assert detail.case.phase == "monitoring"
