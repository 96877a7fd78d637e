"""Process model versions: counted per process id, immutable once published, and a running case
stays on the version it started with while new cases start on the newest."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import cases, process_models
from engine.durations import add_duration
from engine.errors import Conflict, NotFound
from engine.runtime import Runtime
from engine.storage.tables import ModelVersion
from tests.conftest import FIXTURES
from tests.factories import complete_open, open_tasks, start_test_case, walk_to_monitoring
from tests.integration import model_texts
from tests.integration.case_rows import row_counts

TEST_FLOW = FIXTURES / "workflows" / "regions" / "utrecht" / "test_flow.bpmn"
OLD_NAME, NEW_NAME = 'name="Plan van aanpak maken"', 'name="Plan van aanpak opstellen"'


def versions_of(rt: Runtime, process_id: str) -> list[tuple[int, str]]:
    with rt.uow() as uow:
        infos = process_models.list_versions(uow.session, "utrecht")
    return [(v.version, v.status) for v in infos if v.process_id == process_id]


def publish_v2(rt: Runtime, designer) -> process_models.ModelVersionInfo:  # type: ignore[no-untyped-def]
    """test_flow with the plan task renamed and the evaluation interval fixed at one month."""
    text = TEST_FLOW.read_text(encoding="utf-8")
    assert OLD_NAME in text and "<bpmn:timeDuration>interval</bpmn:timeDuration>" in text
    changed = text.replace(OLD_NAME, NEW_NAME).replace(
        "<bpmn:timeDuration>interval</bpmn:timeDuration>", '<bpmn:timeDuration>"P1M"</bpmn:timeDuration>'
    )
    draft = process_models.add_draft(rt, designer, "utrecht", changed, "test_flow.bpmn")
    return process_models.publish(rt, designer, "utrecht", draft.id)


def test_versions_are_counted_per_process_id(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    assert versions_of(rt, "test_flow") == [(1, "published")]

    first_probe = process_models.add_draft(rt, designer, "utrecht", model_texts.with_script("x = 1"))
    v2 = process_models.add_draft(
        rt, designer, "utrecht", TEST_FLOW.read_text(encoding="utf-8").replace(OLD_NAME, NEW_NAME)
    )
    second_probe = process_models.add_draft(rt, designer, "utrecht", model_texts.with_script("x = 2"))

    assert (first_probe.version, v2.version, second_probe.version) == (1, 2, 2)
    assert versions_of(rt, "test_flow") == [(1, "published"), (2, "draft")]
    assert versions_of(rt, "probe_proces") == [(1, "draft"), (2, "draft")]
    assert versions_of(rt, "test_interval") == [(1, "published")]  # the called process is its own count


def test_publishing_retires_the_previous_version(rt: Runtime, actor) -> None:
    v2 = publish_v2(rt, actor("utrecht", "procesontwerper"))
    assert v2.version == 2 and v2.status == "published" and v2.published_at == rt.clock.now()
    assert versions_of(rt, "test_flow") == [(1, "retired"), (2, "published")]


def test_a_published_version_cannot_be_published_again(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    v2 = publish_v2(rt, designer)
    with rt.uow() as uow:
        source_before = uow.session.scalar(select(ModelVersion.source).where(ModelVersion.id == v2.id))
    before = row_counts(rt)
    with pytest.raises(Conflict) as error:
        process_models.publish(rt, designer, "utrecht", v2.id)
    assert error.value.code == "not_a_draft"
    (v1,) = [v for v in _infos(rt) if v.process_id == "test_flow" and v.version == 1]
    with pytest.raises(Conflict):
        process_models.publish(rt, designer, "utrecht", v1.id)  # retired: not a draft either
    assert row_counts(rt) == before
    with rt.uow() as uow:
        assert (
            uow.session.scalar(select(ModelVersion.source).where(ModelVersion.id == v2.id)) == source_before
        )
    assert versions_of(rt, "test_flow") == [(1, "retired"), (2, "published")]


def test_publishing_an_unknown_version_or_another_regions_version_is_not_found(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    with pytest.raises(NotFound):
        process_models.publish(rt, designer, "utrecht", 999_999)
    draft = process_models.add_draft(
        rt, actor("zeeland", "procesontwerper"), "zeeland", model_texts.with_script("x = 1")
    )
    with pytest.raises(NotFound):
        process_models.publish(rt, designer, "utrecht", draft.id)


def _infos(rt: Runtime) -> list[process_models.ModelVersionInfo]:
    with rt.uow() as uow:
        return process_models.list_versions(uow.session, "utrecht")


def test_running_case_stays_on_its_version_while_new_cases_start_on_the_new_one(rt: Runtime, actor) -> None:
    coordinator = actor("utrecht", "coordinator")
    old_case = start_test_case(rt)
    for spec_id in ("triage", "analyse", "check_a"):
        complete_open(rt, old_case.id, spec_id)

    v2 = publish_v2(rt, actor("utrecht", "procesontwerper"))
    new_case = start_test_case(rt)

    assert cases.get_case(rt, coordinator, old_case.id).model_version == 1
    assert cases.get_case(rt, coordinator, new_case.id).model_version == 2
    assert new_case.model_version_id == v2.id != old_case.model_version_id

    complete_open(rt, old_case.id, "check_b")  # the old case runs on: v1's plan, v1's interval
    (old_plan,) = open_tasks(rt, old_case.id)
    assert old_plan.name == "Plan van aanpak maken"
    complete_open(rt, old_case.id, "plan")
    walk_to_monitoring(rt, new_case.id)

    old_timers = cases.get_case(rt, coordinator, old_case.id).timers
    new_timers = cases.get_case(rt, coordinator, new_case.id).timers
    assert [t.due_at for t in old_timers] == [add_duration(rt.clock.now(), "P3M")]  # v1: from the script
    assert [t.due_at for t in new_timers] == [add_duration(rt.clock.now(), "P1M")]  # v2: "P1M"


def test_new_version_task_names_show_in_new_cases_only(rt: Runtime, actor) -> None:
    old_case = start_test_case(rt)
    publish_v2(rt, actor("utrecht", "procesontwerper"))
    new_case = start_test_case(rt)
    for case in (old_case, new_case):
        for spec_id in ("triage", "analyse", "check_a", "check_b"):
            complete_open(rt, case.id, spec_id)
    assert [t.name for t in open_tasks(rt, old_case.id)] == ["Plan van aanpak maken"]
    assert [t.name for t in open_tasks(rt, new_case.id)] == ["Plan van aanpak opstellen"]
