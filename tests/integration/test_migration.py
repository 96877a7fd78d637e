import re
from pathlib import Path

import pytest

from engine import cases, migration, process_models
from engine.errors import Conflict, Invalid
from engine.runtime import SYSTEM, Runtime
from tests.conftest import FIXTURES
from tests.factories import complete_open, open_tasks, start_test_case

TEST_FLOW = FIXTURES / "workflows" / "regions" / "utrecht" / "test_flow.bpmn"


def publish_variant(rt: Runtime, old: str, new: str) -> process_models.ModelVersionInfo:
    text = Path(TEST_FLOW).read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new)
    draft = process_models.add_draft(rt, SYSTEM, "utrecht", changed, "test_flow.bpmn")
    return process_models.publish(rt, SYSTEM, "utrecht", draft.id)


def test_dry_run_reports_changes_without_moving_the_case(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    v2 = publish_variant(rt, 'name="Plan van aanpak maken"', 'name="Integraal plan van aanpak maken"')
    report = migration.migrate_case(rt, actor("utrecht", "coordinator"), case.id, v2.id, dry_run=True)
    assert report.dry_run and not report.migrated
    assert report.from_version == 1 and report.to_version == 2
    assert "plan" in report.changed and report.blocking == []
    detail = cases.get_case(rt, actor("utrecht", "coordinator"), case.id)
    assert detail.model_version == 1


def test_migrated_case_runs_on_the_new_version(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    v2 = publish_variant(rt, 'name="Plan van aanpak maken"', 'name="Integraal plan van aanpak maken"')
    report = migration.migrate_case(rt, actor("utrecht", "coordinator"), case.id, v2.id, dry_run=False)
    assert report.migrated
    for spec_id in ("triage", "analyse", "check_a", "check_b"):
        complete_open(rt, case.id, spec_id)
    assert [t.name for t in open_tasks(rt, case.id)] == ["Integraal plan van aanpak maken"]
    detail = cases.get_case(rt, actor("utrecht", "coordinator"), case.id)
    assert detail.model_version == 2
    assert "case_migrated" in [e.kind for e in detail.history]


def test_migration_refuses_to_drop_open_work(rt: Runtime, actor) -> None:
    case = start_test_case(rt)  # the triage task is open
    text = TEST_FLOW.read_text(encoding="utf-8")
    triage_task = re.search(r'<bpmn:userTask id="triage".*?</bpmn:userTask>', text, re.S)
    assert triage_task is not None
    without_triage = (
        text.replace(triage_task.group(0), "")
        .replace("<bpmn:flowNodeRef>triage</bpmn:flowNodeRef>", "")
        .replace('<bpmn:sequenceFlow id="f_triage" sourceRef="triage" targetRef="besluit"/>', "")
        .replace('sourceRef="start" targetRef="triage"', 'sourceRef="start" targetRef="besluit"')
    )
    draft = process_models.add_draft(rt, SYSTEM, "utrecht", without_triage, "test_flow.bpmn")
    v2 = process_models.publish(rt, SYSTEM, "utrecht", draft.id)
    with pytest.raises(Conflict) as refused:
        migration.migrate_case(rt, actor("utrecht", "coordinator"), case.id, v2.id, dry_run=False)
    assert refused.value.details == {"blocking": ["triage"]}
    assert [t.spec_id for t in open_tasks(rt, case.id)] == ["triage"]


def test_migration_needs_a_version_of_the_same_process(rt: Runtime, actor) -> None:
    case = start_test_case(rt)
    with rt.uow() as uow:
        versions = process_models.list_versions(uow.session, "utrecht")
    other = next(v for v in versions if v.process_id == "test_interval")
    with pytest.raises(Invalid):
        migration.migrate_case(rt, actor("utrecht", "coordinator"), case.id, other.id, dry_run=True)
