"""What the case file and the task page show around the engine's own reads: the BPMN diagrams of
the case's model version (with the processes it calls) and which of their elements are open or
done, the messages the case accepts, and the context of a task (household, plan, last
evaluation, team, who may be picked). Built from derived rows; no workflow is loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from config.settings import ROLES
from engine import access
from engine.accounts import Person, people_with_role
from engine.cases import CaseDetail, CaseSummary, TeamMember, get_case, team
from engine.cases import _summary as case_summary
from engine.model_checks import NS
from engine.runtime import Actor, Runtime
from engine.storage.tables import Case, Event, ModelVersion, Task
from engine.tasks import TaskDetail, get_task
from engine.workflow import parse_xml

BPMN = "{" + NS["bpmn"] + "}"
PLAN_FORMS = ("plan_van_aanpak",)  # prefixes of the forms that record the plan
EVALUATION_FORMS = ("evaluatie", "jaarevaluatie", "effectmeting")
MAX_CALL_DEPTH = 5


@dataclass(frozen=True)
class Diagram:
    """One BPMN process of the case, with the element ids to mark."""

    process_id: str
    name: str
    xml: str
    open_ids: list[str]
    done_ids: list[str]
    active_calls: list[str]  # call activities whose called process has open work


@dataclass(frozen=True)
class FormRecord:
    """Data recorded through a form: its definition (labels, options), the values and when."""

    form: dict[str, Any] | None
    data: dict[str, Any]
    at: datetime | None = None
    by: str | None = None


@dataclass(frozen=True)
class CaseFile:
    detail: CaseDetail
    diagrams: list[Diagram]
    household: FormRecord
    waiting_messages: list[str]
    can_send_messages: bool


@dataclass(frozen=True)
class TaskPage:
    detail: TaskDetail
    case: CaseSummary
    team: list[TeamMember]
    household: FormRecord
    plan: FormRecord | None
    evaluation: FormRecord | None
    people: dict[str, list[Person]] = field(default_factory=dict)  # person field → choices
    can_assign: bool = False
    colleagues: list[Person] = field(default_factory=list)


def case_file(rt: Runtime, actor: Actor, case_id: int) -> CaseFile:
    """The case as get_case shows it (and logs), plus its diagrams and accepted messages.
    Raises NotFound."""
    detail = get_case(rt, actor, case_id)
    with rt.uow() as uow:
        session = uow.session
        row = session.get_one(Case, case_id)
        open_ids = {
            t.spec_id
            for t in session.scalars(select(Task).where(Task.case_id == case_id, Task.status == "open"))
        }
        done_ids = set(
            session.scalars(select(Task.spec_id).where(Task.case_id == case_id, Task.status == "completed"))
        )
        done_ids |= {
            str(e.data.get("spec_id"))
            for e in session.scalars(
                select(Event).where(Event.case_id == case_id, Event.kind == "timer_fired")
            )
        }
        diagrams = _diagrams(session, row, open_ids, done_ids)
        household = _household(rt, session, row)
        waiting = list(row.waiting_messages)
    return CaseFile(
        detail, diagrams, household, waiting, access.may(actor, "send_message", detail.case.region)
    )


def task_page(rt: Runtime, actor: Actor, task_id: str) -> TaskPage:
    """A task with its form (get_task, which logs the read) and the case around it.
    Raises NotFound."""
    detail = get_task(rt, actor, task_id)
    with rt.uow() as uow:
        session = uow.session
        row = session.get_one(Case, detail.task.case_id)
        task = session.get_one(Task, task_id)
        fields = (detail.form or {}).get("fields", [])
        people = {
            f["name"]: people_with_role(session, row.region, f["name"] if f["name"] in ROLES else None)
            for f in fields
            if f["type"] == "person"
        }
        may_assign = access.can_assign(session, actor, task) and task.status == "open"
        colleagues = people_with_role(session, row.region, task.role) if may_assign and task.role else []
        return TaskPage(
            detail=detail, case=case_summary(row), team=team(session, row.id),
            household=_household(rt, session, row),
            plan=_last_record(rt, session, row.id, PLAN_FORMS, prefix=True),
            evaluation=_last_record(rt, session, row.id, EVALUATION_FORMS, prefix=False),
            people=people, can_assign=may_assign, colleagues=colleagues,
        )  # fmt: skip


def _household(rt: Runtime, session: Session, row: Case) -> FormRecord:
    """The registration as it was made: the start event's data, labelled by the start form."""
    started = session.scalar(
        select(Event).where(Event.case_id == row.id, Event.kind == "case_started").order_by(Event.id).limit(1)
    )
    version = session.get_one(ModelVersion, row.model_version_id)
    form = rt.forms.get(version.start_form_key or "")
    data = {k: v for k, v in (started.data if started else {}).items() if k != "model_version"}
    return FormRecord(form.as_dict(row.region) if form else None, data, started.at if started else None)


def _last_record(
    rt: Runtime, session: Session, case_id: int, keys: tuple[str, ...], *, prefix: bool
) -> FormRecord | None:
    rows = session.scalars(
        select(Task)
        .where(Task.case_id == case_id, Task.status == "completed", Task.form_key.is_not(None))
        .order_by(Task.completed_at.desc(), Task.id)
    )
    for task in rows:
        key = task.form_key or ""
        if (key.startswith(keys) if prefix else key in keys) and key in rt.forms:
            return FormRecord(rt.forms[key].as_dict(task.region), dict(task.data or {}), task.completed_at)
    return None


def _diagrams(session: Session, row: Case, open_ids: set[str], done_ids: set[str]) -> list[Diagram]:
    """The case's process and, breadth first, the processes it calls (the versions that were
    published when the case's version was), each with its own open and done elements."""
    main = session.get_one(ModelVersion, row.model_version_id)
    cutoff = main.published_at or main.created_at
    found: list[tuple[ModelVersion, ElementIndex]] = []
    queue, seen = [main], {main.process_id}
    while queue and len(found) < 20:
        version = queue.pop(0)
        index = element_index(version.id, version.source)
        found.append((version, index))
        for called in index.calls.values():
            if called in seen:
                continue
            seen.add(called)
            target = _called_version(session, row.region, called, cutoff)
            if target is not None:
                queue.append(target)
    open_by_process = {v.process_id: sorted(open_ids & i.ids) for v, i in found}
    diagrams = []
    for version, index in found:
        active = [element for element, called in index.calls.items() if open_by_process.get(called)]
        diagrams.append(
            Diagram(version.process_id, version.name or version.process_id, version.source,
                    open_by_process[version.process_id], sorted(done_ids & index.ids), sorted(active))
        )  # fmt: skip
    return diagrams


def _called_version(session: Session, region: str, process_id: str, cutoff: datetime) -> ModelVersion | None:
    return session.scalar(
        select(ModelVersion)
        .options(undefer(ModelVersion.source))
        .where(
            ModelVersion.region == region,
            ModelVersion.process_id == process_id,
            ModelVersion.kind == "bpmn",
            ModelVersion.status != "draft",
            ModelVersion.published_at <= cutoff,
        )
        .order_by(ModelVersion.version.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class ElementIndex:
    ids: frozenset[str]
    calls: dict[str, str]  # call activity id → called process id


@lru_cache(maxsize=64)
def element_index(version_id: int, source: str) -> ElementIndex:
    """The flow element ids of a published (so immutable) version, and its call activities."""
    root = parse_xml(source, f"versie {version_id}")
    ids: set[str] = set()
    calls: dict[str, str] = {}
    for process in root.iter(f"{BPMN}process"):
        for element in process.iter():
            element_id = element.get("id")
            if element_id:
                ids.add(element_id)
            if element.tag == f"{BPMN}callActivity" and element_id and element.get("calledElement"):
                calls[element_id] = element.get("calledElement")
    return ElementIndex(frozenset(ids), calls)
