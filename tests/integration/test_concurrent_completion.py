"""Twenty people press "afronden" on the same task at the same moment: the case's version counter
lets exactly one of them through; the others get a Conflict and the case advances once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from engine import tasks
from engine.case_state import load_case, sync
from engine.errors import Conflict
from engine.runtime import SYSTEM, Runtime
from tests.factories import open_tasks, start_test_case
from tests.integration.case_rows import case_row, events_of, tasks_of

THREADS = 20


def complete_all_at_once(rt: Runtime, actor, task_id: str, data: dict[str, object]) -> Counter[str]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(THREADS)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def attempt() -> None:
        barrier.wait()
        try:
            tasks.complete(rt, actor, task_id, data)
            outcome = "completed"
        except Conflict as error:
            outcome = f"conflict:{error.code}"
        except Exception as error:  # noqa: BLE001 - anything else is what this test looks for
            outcome = f"{type(error).__name__}: {error}"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


TRIAGE = {"structureel": True, "toelichting": "x"}


def version_step_of_one_triage(rt: Runtime, actor) -> int:  # type: ignore[no-untyped-def]
    """How far one uncontested completion of triage moves the version counter (one per write of
    the case row within the transaction)."""
    case = start_test_case(rt)
    before = case_row(rt, case.id).version
    tasks.complete(rt, actor("utrecht", "veilig_thuis"), open_tasks(rt, case.id)[0].id, TRIAGE)
    return case_row(rt, case.id).version - before


def test_twenty_simultaneous_completions_of_one_task_let_exactly_one_through(rt: Runtime, actor) -> None:
    step = version_step_of_one_triage(rt, actor)
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    version_before = case_row(rt, case.id).version

    outcomes = complete_all_at_once(rt, actor("utrecht", "veilig_thuis"), triage.id, TRIAGE)

    print(f"\n{rt.db.dialect.name}: {dict(outcomes)}")
    assert outcomes["completed"] == 1
    assert sum(n for outcome, n in outcomes.items() if outcome.startswith("conflict:")) == THREADS - 1, (
        outcomes
    )
    assert len(events_of(rt, case.id, "task_completed")) == 1
    assert case_row(rt, case.id).version == version_before + step
    assert [t.status for t in tasks_of(rt, case.id, "triage")] == ["completed"]
    assert len(tasks_of(rt, case.id, "analyse")) == 1  # the next task was created once
    assert len(events_of(rt, case.id, "task_created")) == 2  # triage, then analyse


def test_simultaneous_completions_of_parallel_tasks_both_count(rt: Runtime, actor) -> None:
    """Two different tasks of one case (the parallel checks) completed at once: one may have to
    retry after a Conflict, but no completion is lost and the join fires once."""
    case = start_test_case(rt)
    for spec_id in ("triage", "analyse"):
        task = next(t for t in open_tasks(rt, case.id) if t.spec_id == spec_id)
        tasks.complete(rt, actor("utrecht", task.role), task.id, rt.forms[task.form_key].examples("utrecht"))
    checks = {t.spec_id: t for t in open_tasks(rt, case.id)}
    assert sorted(checks) == ["check_a", "check_b"]
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def complete(spec_id: str) -> None:
        task = checks[spec_id]
        barrier.wait()
        for _ in range(5):
            try:
                tasks.complete(rt, actor("utrecht", task.role), task.id, {"opmerking": spec_id})
                results[spec_id] = "completed"
                return
            except Conflict as error:
                results[spec_id] = error.code

    threads = [threading.Thread(target=complete, args=(spec_id,)) for spec_id in checks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert results == {"check_a": "completed", "check_b": "completed"}
    assert len(events_of(rt, case.id, "task_completed")) == 4
    assert [t.spec_id for t in open_tasks(rt, case.id)] == ["plan"]
    assert len(tasks_of(rt, case.id, "plan")) == 1


def test_a_write_based_on_a_stale_case_is_a_conflict_not_a_lost_update(rt: Runtime, actor) -> None:
    """Whoever writes a case without taking its lock first (here: by hand) is still stopped by the
    version counter when someone else changed the case in between."""
    if rt.db.dialect.name == "sqlite":
        pytest.skip("SQLite has a single writer: the first read already holds the write lock")
    case = start_test_case(rt)
    (triage,) = open_tasks(rt, case.id)
    with pytest.raises(Conflict) as stale:
        with rt.uow() as uow:
            loaded = load_case(uow.session, case.id)  # read at version v ...
            tasks.complete(rt, actor("utrecht", "veilig_thuis"), triage.id, TRIAGE)  # ... v+1 elsewhere
            loaded.workflow.complete(triage.id, TRIAGE, rt.clock.now())
            sync(rt, uow.session, SYSTEM, loaded, rt.clock.now())
            uow.commit()
    assert stale.value.code in ("stale_case", "integrity")  # the version, or a derived row, collides
    assert len(events_of(rt, case.id, "task_completed")) == 1
    assert [t.spec_id for t in open_tasks(rt, case.id)] == ["analyse"]
