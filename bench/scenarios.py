"""The measured scenarios, each beside its anchor in the same run: completing a task against raw
SpiffWorkflow on the same 30-task chain; inbox and case list at 10,000 and 100,000 cases; a
10-year case against a 1-year one. (Timers and HTTP live in bench/timers.py and bench/http.py.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

from bench import bulk, models
from bench.stats import SCALE, interleaved_timings_ms, p50, p95, timings_ms
from engine import accounts, cases, tasks
from engine.accounts import actor_by_username
from engine.case_state import load_case
from engine.runtime import Runtime
from engine.storage.tables import Case, ModelVersion, Task

CHAIN_CASES = 6  # 180 completions per side: medians that a noisy spell moves less
Timer = Callable[[Callable[[], Any], int], float]  # median_ms, as the other stages take it


def raw_spiff_chain() -> Callable[[], None]:
    """Raw SpiffWorkflow, the way an application without our engine would persist a case: each call
    loads the serialized instance (spec included, as Spiff's serializer writes it), completes the
    ready task, runs the engine steps and serializes again."""
    from lxml import etree

    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(DEFAULT_CONFIG))
    parser = CamundaParser()
    parser.add_bpmn_xml(etree.fromstring(models.chain_bpmn().encode()), filename="chain.bpmn")
    workflow = BpmnWorkflow(parser.get_spec(models.CHAIN_PROCESS))
    workflow.do_engine_steps()
    stored = json.dumps(serializer.to_dict(workflow))

    def step() -> None:
        nonlocal stored
        instance = serializer.from_dict(json.loads(stored))
        ready = instance.get_tasks(state=TaskState.READY, manual=True)[0]
        ready.data.update({"opmerking": "Gedaan"})
        ready.run()
        instance.do_engine_steps()
        stored = json.dumps(serializer.to_dict(instance))

    return step


class EngineChain:
    """The engine's `tasks.complete` on the same chain, as the demo veilig_thuis of Utrecht."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.actor = actor_by_username(rt, f"{models.REGION}.veilig_thuis")
        starter = actor_by_username(rt, f"{models.REGION}.aanmelder")
        self.case = cases.start_case(rt, starter, models.REGION, {}, process_id=models.CHAIN_PROCESS)
        self.open_task = 0

    def find_open_task(self) -> None:
        """Untimed: the user has the task on screen before completing it."""
        with self.rt.uow() as uow:
            found = uow.session.scalar(
                select(Task.id).where(Task.case_id == self.case.id, Task.status == "open")
            )
        assert found is not None
        self.open_task = found

    def step(self) -> None:
        tasks.complete(self.rt, self.actor, self.open_task, {"opmerking": "Gedaan"})


def completion(rt: Runtime, suffix: str) -> dict[str, Any]:
    """Raw and engine steps alternate, one each in turn along the chain, so a burst of other work
    on the machine (a previous stage's data still being written to disk) falls on both alike."""
    models.publish(rt, models.chain_bpmn(), "bench_chain.bpmn")
    raw: list[float] = []
    engine: list[float] = []
    for _ in range(CHAIN_CASES):
        raw_step, chain = raw_spiff_chain(), EngineChain(rt)
        for _ in range(models.CHAIN_LENGTH):
            chain.find_open_task()
            raw += timings_ms(raw_step, 1)
            engine += timings_ms(chain.step, 1)
    return {
        f"raw_spiff_step_p50_ms{suffix}": p50(raw),
        f"raw_spiff_step_p95_ms{suffix}": p95(raw),
        f"complete_task_p50_ms{suffix}": p50(engine),
        f"complete_task_p95_ms{suffix}": p95(engine),
        f"complete_task_ratio_p50{suffix}": round(p50(engine) / p50(raw), 2),
    }


LIST_REPEAT = 100  # rounds: a p95 of fewer is the second-worst sample, which is mostly noise


def lists(small: Runtime, large: Runtime, suffix: str) -> dict[str, Any]:
    """Inbox of Utrecht's pool procesregisseur; case list of Utrecht's coordinator and of a
    teamlid on 1 % of all cases; in a database of 10,000 cases and one of 100,000, asked in turn
    round after round, so a slower spell of the machine falls on both sizes alike."""
    sizes = {"10k": (small, 10_000), "100k": (large, 100_000)}
    actions: dict[str, Callable[[], Any]] = {}
    for label, (rt, size) in sizes.items():
        offset = 1_000_000  # far above the ids of engine-made cases
        version_id, one_percent, now = test_flow_version(rt), bench_user(rt), rt.clock.now()
        bulk.fill_list_cases(rt, offset, offset + int(size * SCALE) - 1, version_id, now, one_percent)
        pool = actor_by_username(rt, "utrecht.procesregisseur")
        coordinator = actor_by_username(rt, "utrecht.coordinator")
        few = actor_by_username(rt, "bench.teamlid")
        actions[f"inbox_{label}"] = partial(tasks.inbox, rt, pool, tasks.TaskFilter())
        actions[f"coord_{label}"] = partial(cases.list_cases, rt, coordinator, cases.CaseFilter())
        actions[f"one_{label}"] = partial(cases.list_cases, rt, few, cases.CaseFilter())
    found = interleaved_timings_ms(actions, LIST_REPEAT)
    out: dict[str, Any] = {}
    for label in sizes:
        inbox, coord, one = found[f"inbox_{label}"], found[f"coord_{label}"], found[f"one_{label}"]
        out[f"inbox_pool_p50_ms_{label}{suffix}"] = p50(inbox)
        out[f"inbox_pool_p95_ms_{label}{suffix}"] = p95(inbox)
        out[f"case_list_coordinator_p95_ms_{label}{suffix}"] = p95(coord)
        out[f"case_list_one_percent_p95_ms_{label}{suffix}"] = p95(one)
        out[f"case_list_p95_ms_{label}{suffix}"] = max(p95(coord), p95(one))
        out[f"inbox_pool_total_{label}{suffix}"] = actions[f"inbox_{label}"]()[1]
        out[f"case_list_coordinator_total_{label}{suffix}"] = actions[f"coord_{label}"]()[1]
    for key in ("inbox_pool_p95_ms", "case_list_p95_ms"):
        out[f"{key}_ratio{suffix}"] = round(out[f"{key}_100k{suffix}"] / out[f"{key}_10k{suffix}"], 2)
    return out


def test_flow_version(rt: Runtime) -> int:
    with rt.uow() as uow:
        found = uow.session.scalar(
            select(func.max(ModelVersion.id)).where(ModelVersion.process_id == "test_flow")
        )
    assert found is not None
    return found


def bench_user(rt: Runtime) -> int:
    """The teamlid put on 1 % of the bulk cases."""
    return accounts.add_user(rt, "bench.teamlid", role="teamlid", region="utrecht").id


def case_state(rt: Runtime, suffix: str) -> dict[str, Any]:
    """A real Utrecht case (process library) lived for ten years: every task done with the forms'
    examples, every timer fired on its moment (quarterly evaluations, effect measurements)."""
    from tests.scenarios import walker

    run = walker.start(rt, "utrecht")
    start = walker.now(rt)

    def load() -> None:
        with rt.uow() as uow:
            case = load_case(uow.session, run.id)
            case.workflow.dump()

    out: dict[str, Any] = {}
    for year in range(1, 11):
        walker.live(run, walker.plus(start, f"P{year}Y"))
        if year in (1, 5, 10):
            out[f"case_state_bytes_{year}y{suffix}"] = _state_bytes(rt, run.id)
            out[f"load_case_ms_{year}y{suffix}"] = p50(timings_ms(load, 20))
    out[f"evaluations_in_10_years{suffix}"] = len(run.completed("evaluatie"))
    out[f"load_case_ratio_10y_1y{suffix}"] = round(
        out[f"load_case_ms_10y{suffix}"] / out[f"load_case_ms_1y{suffix}"], 2
    )
    return out


def _state_bytes(rt: Runtime, case_id: int) -> int:
    with rt.uow() as uow:
        return len(uow.session.scalar(select(Case.state).where(Case.id == case_id)) or "")
