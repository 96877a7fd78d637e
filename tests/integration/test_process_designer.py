"""The process designer's engine services (issue 11): drafts saved with their problems, publishing
with a note and history, origins, the comparison and the outline, trial runs that touch no real
case, batch migration per case, a Camunda Modeler file, and who may do any of it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine import cases, migration, model_compare, model_outline, model_trials, process_models, tasks, timers
from engine.accounts import actor_by_username
from engine.durations import add_duration
from engine.errors import Forbidden, Invalid, NotFound
from engine.runtime import SYSTEM, Runtime
from engine.storage.tables import AccessLog, Case, Event, ModelVersion, Task, Timer
from tests.conftest import FIXTURES
from tests.factories import complete_open, open_tasks
from tests.integration import designer_models

TEST_FLOW = FIXTURES / "workflows" / "regions" / "utrecht" / "test_flow.bpmn"
CAMUNDA_FILE = FIXTURES / "camunda" / "aanvraag_camunda.bpmn"
RENAMED = ('name="Plan van aanpak maken"', 'name="Plan van aanpak opstellen"')
TIMER = ('<bpmn:timeDuration>"P5D"</bpmn:timeDuration>', '<bpmn:timeDuration>"P7D"</bpmn:timeDuration>')
BAD_LANE = ('<bpmn:lane id="lane_cr" name="casusregisseur">', '<bpmn:lane id="lane_cr" name="kok">')


def flow_text(*changes: tuple[str, str]) -> str:
    text = TEST_FLOW.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return text


def live_flow(rt: Runtime) -> process_models.ModelVersionInfo:
    with rt.uow() as uow:
        return next(
            v for v in process_models.list_versions(uow.session, "utrecht")
            if v.process_id == "test_flow" and v.status == "published"
        )  # fmt: skip


def model_events(rt: Runtime) -> list[tuple[str, str]]:
    with rt.uow() as uow:
        rows = uow.session.scalars(select(Event).where(Event.case_id.is_(None)).order_by(Event.id))
        return [(e.kind, e.data.get("region")) for e in rows]


def test_a_draft_with_problems_is_saved_and_cannot_be_published_until_fixed(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    draft = process_models.save_draft(rt, designer, "utrecht", flow_text(RENAMED, BAD_LANE), "test_flow.bpmn")
    assert draft.status == "draft" and draft.origin == "designer" and draft.version == 2
    assert {p["element_id"] for p in draft.problems} == {"lane_cr"}
    with pytest.raises(Invalid) as refused:
        process_models.publish(rt, designer, "utrecht", draft.id, "te vroeg")
    assert [p["element_id"] for p in refused.value.details] == ["lane_cr"]

    fixed = process_models.save_draft(
        rt, designer, "utrecht", flow_text(RENAMED, TIMER), "test_flow.bpmn", draft.id
    )
    assert fixed.id == draft.id and fixed.problems == []  # the draft being worked on is updated in place
    published = process_models.publish(rt, designer, "utrecht", draft.id, "Plan heet nu opstellen; 7 dagen")
    assert published.status == "published" and published.note == "Plan heet nu opstellen; 7 dagen"
    assert published.published_by == designer.user_id

    (v2, v1) = process_models.history(rt, designer, "utrecht", "test_flow")
    name = "utrecht.procesontwerper"
    assert (v2.version, v2.author, v2.publisher, v2.note) == (2, name, name, published.note)
    assert (v1.version, v1.status, v1.origin, v1.author) == (1, "retired", "repository", "systeem")
    assert model_events(rt) == [("model_draft_saved", "utrecht")] * 2 + [("model_published", "utrecht")]


def test_saving_without_the_draft_one_works_on_never_overwrites_a_colleagues_draft(
    rt: Runtime, actor
) -> None:
    designer, beheerder = actor("utrecht", "procesontwerper"), actor("utrecht", "beheerder")
    mine = process_models.save_draft(rt, designer, "utrecht", flow_text(RENAMED), "test_flow.bpmn")
    theirs = process_models.save_draft(
        rt, beheerder, "utrecht", flow_text(TIMER), "test_flow.bpmn", live_flow(rt).id
    )
    assert (mine.version, theirs.version) == (2, 3)
    with rt.uow() as uow:
        assert process_models.get_source(uow.session, "utrecht", mine.id) == flow_text(RENAMED)


def test_a_saved_draft_that_is_not_a_model_is_refused_with_a_reason(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    with pytest.raises(Invalid) as refused:
        process_models.save_draft(rt, designer, "utrecht", "<bpmn:definitions", "kapot.bpmn")
    assert refused.value.code == "bad_xml"


def test_origins_say_where_each_version_came_from(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    uploaded = process_models.add_draft(rt, designer, "utrecht", flow_text(RENAMED), "test_flow.bpmn")
    assert live_flow(rt).origin == "repository" and uploaded.origin == "upload"
    assert uploaded.created_by == designer.user_id


def test_only_the_regions_designers_and_beheerders_change_or_see_its_models(rt: Runtime, actor) -> None:
    text = flow_text(RENAMED)
    for outsider in (actor("zeeland", "procesontwerper"), actor("utrecht", "casusregisseur")):
        with pytest.raises(Forbidden):
            process_models.save_draft(rt, outsider, "utrecht", text, "test_flow.bpmn")
        with pytest.raises(Forbidden):
            process_models.history(rt, outsider, "utrecht")
        with pytest.raises(Forbidden):
            model_trials.start_trial(rt, outsider, "utrecht", live_flow(rt).id)
        with pytest.raises(Forbidden):
            migration.plan_batch(rt, outsider, "utrecht", live_flow(rt).id)
    beheerder = actor("utrecht", "beheerder")
    assert process_models.save_draft(rt, beheerder, "utrecht", text, "test_flow.bpmn").version == 2


def test_comparing_versions_lists_renamed_tasks_timers_roles_and_scripts(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    script = (
        "<bpmn:script>evaluaties = evaluaties + 1</bpmn:script>",
        "<bpmn:script>evaluaties += 1</bpmn:script>",
    )
    draft = process_models.save_draft(rt, designer, "utrecht", flow_text(RENAMED, TIMER, BAD_LANE, script))
    comparison = model_compare.compare_versions(rt, designer, "utrecht", live_flow(rt).id, draft.id)
    changed = {c.id: {f.field: (f.before, f.after) for f in c.fields} for c in comparison.changes}
    assert changed["plan"]["name"] == ("Plan van aanpak maken", "Plan van aanpak opstellen")
    assert changed["plan"]["role"] == ("casusregisseur", "kok")
    assert changed["plan_termijn"]["timer"] == ('timeDuration: "P5D"', 'timeDuration: "P7D"')
    assert changed["tel"]["script"] == ("evaluaties = evaluaties + 1", "evaluaties += 1")
    assert changed["lane_cr"]["name"] == ("casusregisseur", "kok")
    assert "triage" not in changed and comparison.count("added") == comparison.count("removed") == 0


def test_comparing_with_another_region_pairs_elements_by_name_and_sees_only_published(
    rt: Runtime, actor
) -> None:
    designer = actor("utrecht", "procesontwerper")
    zeeland = actor("zeeland", "procesontwerper")
    renamed_ids = flow_text(RENAMED)
    for old, new in (
        ('id="check_a"', 'id="controle_a"'),
        ('Ref="check_a"', 'Ref="controle_a"'),
        (">check_a<", ">controle_a<"),
    ):
        renamed_ids = renamed_ids.replace(old, new)
    dmn = (FIXTURES / "workflows" / "regions" / "utrecht" / "test_geschikt.dmn").read_text(encoding="utf-8")
    decision = process_models.add_draft(rt, zeeland, "zeeland", dmn, "test_geschikt.dmn")
    process_models.publish(rt, zeeland, "zeeland", decision.id)
    theirs = process_models.add_draft(rt, zeeland, "zeeland", renamed_ids, "test_flow.bpmn")
    with pytest.raises(NotFound):  # another region's draft is not there for utrecht
        model_compare.compare_with_region(rt, designer, "utrecht", live_flow(rt).id, "zeeland", theirs.id)
    with pytest.raises(NotFound):
        model_compare.comparable_source(rt, designer, "utrecht", "zeeland", theirs.id)
    published = process_models.publish(rt, zeeland, "zeeland", theirs.id)
    comparison = model_compare.compare_with_region(
        rt, designer, "utrecht", live_flow(rt).id, "zeeland", published.id
    )
    assert model_compare.comparable_source(rt, designer, "utrecht", "zeeland", published.id) == renamed_ids
    by_id = {c.id: c for c in comparison.changes}
    assert "check_a" not in by_id and "controle_a" not in by_id  # paired by kind and name: the same task
    assert [(f.before, f.after) for f in by_id["f_fork_a"].fields] == [("controle_a", "check_a")]
    assert by_id["plan"].fields[0].before == "Plan van aanpak opstellen"  # theirs (left) → ours (right)


def test_dmn_rules_are_compared_and_outlined() -> None:
    dmn = (FIXTURES / "workflows" / "regions" / "utrecht" / "test_geschikt.dmn").read_text(encoding="utf-8")
    old_entry = '<outputEntry id="r1o"><text>True</text></outputEntry>'
    assert old_entry in dmn
    changed = dmn.replace(old_entry, '<outputEntry id="r1o"><text>False</text></outputEntry>')
    (change,) = model_compare.compare_texts(dmn, changed)
    assert (change.id, change.kind, change.change) == ("r1", "rule", "changed")
    assert [(f.field, f.before, f.after) for f in change.fields] == [("outputs", "True", "False")]
    text = model_outline.outline_text(model_outline.outline(dmn))
    assert "regel 1: als" in text and "hit policy: UNIQUE" in text


def test_the_outline_lists_each_lane_with_forms_timers_conditions_and_called_processes() -> None:
    sections = model_outline.outline(TEST_FLOW.read_text(encoding="utf-8"))
    text = model_outline.outline_text(sections)
    casus = next(s for s in sections if s.title.endswith("lane casusregisseur"))
    assert [step.id for step in casus.steps] == ["check_b", "plan", "evaluatie"]
    assert "formulier: test_plan" in casus.steps[1].details
    assert 'timer: timeDuration: "P5D"' in text and "roept aan: test_interval" in text
    assert "als geschikt == True → Analyse en regie" in text and "anders → Advies aan aanmelder" in text


def row_count(rt: Runtime, table: type) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_trial_runs_a_draft_with_data_and_the_clock_without_touching_real_cases(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    draft = process_models.save_draft(rt, designer, "utrecht", flow_text(RENAMED, TIMER))
    before = {table: row_count(rt, table) for table in (Case, Task, Timer, AccessLog)}
    real_now = rt.clock.now()

    trial = model_trials.start_trial(rt, designer, "utrecht", draft.id)
    assert [t.spec_id for t in trial.tasks] == ["triage"] and trial.tasks[0].form["key"] == "test_triage"
    for step in ("triage", "analyse", "check_a", "check_b"):
        (task,) = [t for t in trial.tasks if t.spec_id == step]
        trial = model_trials.complete_trial_task(rt, designer, "utrecht", trial.id, task.id)
    assert trial.path[:3] == ["start", "triage", "besluit"]  # the decision really ran
    assert [t.name for t in trial.tasks] == ["Plan van aanpak opstellen"]
    (deadline,) = trial.timers
    assert deadline.spec_id == "plan_termijn" and deadline.due_at == trial.now.replace() + (
        deadline.due_at - trial.now
    )
    moved = model_trials.advance_trial(rt, designer, "utrecht", trial.id)  # to the next timer: P7D
    assert moved.now == deadline.due_at and "plan_termijn" in moved.path
    assert sorted(t.spec_id for t in moved.tasks) == ["herinnering", "plan"]

    assert rt.clock.now() == real_now
    assert {table: row_count(rt, table) for table in before} == before
    assert timers.run_due(rt).cases_advanced == 0
    with pytest.raises(NotFound):
        model_trials.get_trial(rt, actor("zeeland", "procesontwerper"), "zeeland", trial.id)


def test_a_trial_refuses_a_draft_with_problems_and_bad_form_data(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    broken = process_models.save_draft(rt, designer, "utrecht", flow_text(BAD_LANE))
    with pytest.raises(Invalid):
        model_trials.start_trial(rt, designer, "utrecht", broken.id)
    good = process_models.save_draft(rt, designer, "utrecht", flow_text(RENAMED))
    with pytest.raises(Invalid) as bad:
        model_trials.start_trial(rt, designer, "utrecht", good.id, {"gezinsnaam": 12})
    assert bad.value.code == "invalid_form"


def test_a_camunda_modeler_file_validates_publishes_and_runs_to_its_end(rt: Runtime, actor) -> None:
    designer = actor("utrecht", "procesontwerper")
    draft = process_models.add_draft(
        rt, designer, "utrecht", CAMUNDA_FILE.read_text(encoding="utf-8"), CAMUNDA_FILE.name
    )
    process_models.publish(rt, designer, "utrecht", draft.id, "uit Camunda Modeler")
    aanmelder = actor_by_username(rt, "utrecht.aanmelder")
    case = cases.start_case(rt, aanmelder, "utrecht", rt.forms["test_aanmelding"].examples("utrecht"),
                            process_id="Process_consult_camunda")  # fmt: skip
    (first,) = open_tasks(rt, case.id)
    assert (first.spec_id, first.role, first.form_key) == ("Activity_triage", "procesregisseur", "test_check")
    complete_open(rt, case.id, "Activity_triage")
    (second,) = open_tasks(rt, case.id)
    assert second.role == "veilig_thuis"
    (deadline,) = cases.get_case(rt, actor("utrecht", "coordinator"), case.id).timers  # Camunda's bare P5D
    assert deadline.due_at == add_duration(rt.clock.now(), "P5D")
    complete_open(rt, case.id, "Activity_advies")
    assert cases.get_case(rt, actor("utrecht", "coordinator"), case.id).case.status == "closed"


def test_an_unknown_candidate_group_is_a_problem_on_its_task(rt: Runtime, actor) -> None:
    text = CAMUNDA_FILE.read_text(encoding="utf-8").replace(
        'candidateGroups="veilig_thuis"', 'candidateGroups="kok"'
    )
    draft = process_models.save_draft(rt, actor("utrecht", "procesontwerper"), "utrecht", text)
    assert [p["element_id"] for p in draft.problems] == ["Activity_advies"]


# ---- batch migration ------------------------------------------------------------------------


def publish_batch_models(rt: Runtime) -> process_models.ModelVersionInfo:
    for text, name in ((designer_models.SUB, "batch_sub.bpmn"), (designer_models.main(), "batch_flow.bpmn")):
        draft = process_models.add_draft(rt, SYSTEM, "utrecht", text, name)
        published = process_models.publish(rt, SYSTEM, "utrecht", draft.id)
    return published


def start_batch_case(rt: Runtime, *steps: str) -> int:
    aanmelder = actor_by_username(rt, "utrecht.aanmelder")
    case = cases.start_case(rt, aanmelder, "utrecht", {}, process_id="batch_flow")
    for spec_id in steps:
        complete_open(rt, case.id, spec_id)
    return case.id


def test_batch_migration_dry_runs_each_case_and_moves_the_chosen_ones_one_by_one(rt: Runtime, actor) -> None:
    v1 = publish_batch_models(rt)
    at_c = start_batch_case(rt, "a", "b")
    rt.clock.advance("P5D")  # type: ignore[attr-defined]
    timers.run_due(rt)
    at_timer = start_batch_case(rt, "a", "b")
    inside_call = start_batch_case(rt, "a")
    at_task = start_batch_case(rt)
    assert [t.spec_id for t in open_tasks(rt, at_c)] == ["c"]
    assert [t.spec_id for t in open_tasks(rt, inside_call)] == ["b"]

    designer = actor("utrecht", "procesontwerper")
    v2_text = designer_models.main('"P7D"', with_c=False, name_a="Taak A2")
    v2_draft = process_models.save_draft(rt, designer, "utrecht", v2_text)
    v2 = process_models.publish(rt, designer, "utrecht", v2_draft.id, "C vervalt, wachten 7 dagen")
    plans = {r.case_id: r for r in migration.plan_batch(rt, designer, "utrecht", v2.id)}
    assert set(plans) == {at_c, at_timer, inside_call, at_task}
    assert plans[at_c].blocking == ["c"] and plans[at_task].blocking == []
    assert plans[at_task].waiting_at == ["Taak A"] and plans[at_timer].waiting_at == ["timer: Wachten"]
    assert "a" in plans[at_task].changed and "wacht" in plans[at_timer].changed
    with rt.uow() as uow:
        logged = uow.session.scalars(
            select(AccessLog.case_id).where(AccessLog.kind == "migration_dry_run")
        ).all()
    assert sorted(logged) == sorted(plans)

    results = {r.case_id: r for r in migration.migrate_batch(rt, designer, "utrecht", v2.id, list(plans))}
    assert {cid for cid, r in results.items() if r.migrated} == {at_timer, inside_call, at_task}
    assert results[at_c].error and results[at_c].blocking == ["c"]
    with rt.uow() as uow:
        (batch,) = uow.session.scalars(select(Event).where(Event.kind == "model_cases_migrated")).all()
    assert sorted(batch.data["migrated"]) == sorted([at_timer, inside_call, at_task]) and batch.data[
        "refused"
    ] == [at_c]
    coordinator = actor("utrecht", "coordinator")
    assert cases.get_case(rt, coordinator, at_c).model_version == v1.version  # left as it was
    assert [t.spec_id for t in open_tasks(rt, at_c)] == ["c"]
    for moved in (at_timer, inside_call, at_task):
        detail = cases.get_case(rt, coordinator, moved)
        assert detail.model_version == v2.version and detail.history[-1].kind == "case_migrated"

    (restarted,) = cases.get_case(
        rt, coordinator, at_timer
    ).timers  # a waiting timer restarts on the new version
    assert restarted.due_at == add_duration(rt.clock.now(), "P7D")
    assert [t.name for t in open_tasks(rt, at_task)] == ["Taak A2"]
    complete_open(rt, inside_call, "b")  # the call activity finishes on the new version
    (timer,) = cases.get_case(rt, coordinator, inside_call).timers
    assert timer.due_at == add_duration(rt.clock.now(), "P7D")  # the new version's timer
    rt.clock.advance("P7D")  # type: ignore[attr-defined]
    timers.run_due(rt)
    for finished in (at_timer, inside_call):  # no task C any more: the cases end
        detail = cases.get_case(rt, coordinator, finished)
        assert detail.case.status == "closed"


def test_batch_migration_leaves_other_regions_cases_alone(rt: Runtime, actor) -> None:
    v1 = publish_batch_models(rt)
    case_id = start_batch_case(rt)
    (result,) = migration.migrate_batch(rt, actor("zeeland", "beheerder"), "zeeland", v1.id, [case_id])
    assert not result.migrated and result.error
    with pytest.raises(Forbidden):
        migration.migrate_batch(rt, actor("utrecht", "coordinator"), "utrecht", v1.id, [case_id])
    assert tasks and ModelVersion  # imported for the checks above
