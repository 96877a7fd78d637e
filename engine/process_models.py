"""Process model versions per region: validate, store drafts, publish (immutable from then on).
Versions are counted per process id; a case keeps the version it started with because its spec is
frozen into that version at publication. Every change by a person is an audit event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from config.settings import REGION_NAMES, REGIONS
from engine import access, audit, model_checks
from engine.errors import Conflict, Invalid, NotFound
from engine.runtime import Actor, Runtime
from engine.storage.tables import ModelVersion, User
from engine.workflow import SourceFile, freeze_spec, make_parser, parse_xml

BPMN_NS = model_checks.NS["bpmn"]
CAMUNDA = model_checks.CAMUNDA
DESIGNER_ROLES = access.POLICY["design_models"].roles
Problem = model_checks.Problem


@dataclass(frozen=True)
class ModelVersionInfo:
    id: int
    region: str
    process_id: str
    kind: str
    version: int
    status: str
    name: str
    file_name: str
    created_by: int | None
    created_at: datetime
    published_at: datetime | None
    start_form_key: str | None
    origin: str = "repository"
    published_by: int | None = None
    note: str | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedSource:
    kind: str
    process_id: str
    name: str
    start_form_key: str | None
    spec_json: str | None = None  # frozen process with all it calls (BPMN only)


def _info(row: ModelVersion) -> ModelVersionInfo:
    return ModelVersionInfo(
        row.id, row.region, row.process_id, row.kind, row.version, row.status, row.name,
        row.file_name, row.created_by, row.created_at, row.published_at, row.start_form_key,
        row.origin, row.published_by, row.note, list(row.problems or []),
    )  # fmt: skip


def main_process_id(region: str) -> str:
    return "mda_" + region.replace("-", "_")


def check_source(rt: Runtime, session: Session, region: str, text: str, file_name: str) -> CheckedSource:
    """Validate one BPMN/DMN text with its region's published dependencies. Raises Invalid listing
    every problem with its element id."""
    return check_with(
        rt, text, file_name, lambda process_id: _dependencies(session, region, exclude=process_id)
    )


def check_with(
    rt: Runtime, text: str, file_name: str, dependencies: Callable[[str], list[SourceFile]]
) -> CheckedSource:
    """Validate with the dependencies the callback gives for the file's process id."""
    root, kind, problems = _checked_root(rt, text, file_name)
    if problems:
        raise Invalid(
            f"{file_name}: het model bevat {len(problems)} fout(en).", code="invalid_model", details=problems
        )
    checked = _describe(root, kind)
    own = SourceFile(file_name, kind, text)
    parser = make_parser([*dependencies(checked.process_id), own])
    if kind == "dmn":
        return checked
    # Freezing proves that the process parses and that everything it calls resolves.
    return replace(checked, spec_json=freeze_spec(parser, checked.process_id))


def _checked_root(rt: Runtime, text: str, file_name: str) -> tuple[Any, str, list[Problem]]:
    """Parse and run the element checks. Raises Invalid only for what is no model at all."""
    if len(text.encode("utf-8")) > rt.settings.max_upload_bytes:
        raise Invalid(
            f"Het bestand is groter dan {rt.settings.max_upload_bytes // 1024 // 1024} MB.", code="too_large"
        )
    root = parse_xml(text, file_name)
    if model_checks.is_dmn(root):
        return root, "dmn", model_checks.check_dmn(root)
    return root, "bpmn", model_checks.check_bpmn(root, rt.forms)


def find_problems(rt: Runtime, session: Session, region: str, text: str, file_name: str) -> list[Problem]:
    """Every problem of a text, each on its element where it has one: the element checks first and,
    when they pass, whether the engine can parse it and resolve what it calls."""
    try:
        check_source(rt, session, region, text, file_name)
    except Invalid as error:
        if isinstance(error.details, list) and error.details:
            return list(error.details)
        return [{"element_id": None, "message": error.message}]
    return []


def describe_source(text: str, file_name: str) -> CheckedSource:
    """Kind, process id and name of a text, without any checks. Raises Invalid (no model)."""
    root = parse_xml(text, file_name)
    kind = "dmn" if model_checks.is_dmn(root) else "bpmn"
    try:
        return _describe(root, kind)
    except IndexError as error:
        raise Invalid(
            f"{file_name}: het document bevat geen proces of besluit.",
            code="invalid_model",
            details=[{"element_id": None, "message": "het document bevat geen proces of besluit"}],
        ) from error


def _describe(root: Any, kind: str) -> CheckedSource:
    if kind == "dmn":
        decision = root.xpath("*[local-name()='decision']")[0]
        return CheckedSource("dmn", decision.get("id"), decision.get("name") or decision.get("id"), None)
    processes = root.xpath("bpmn:process", namespaces=model_checks.NS)
    executable = [p for p in processes if p.get("isExecutable") == "true"] or processes
    called = {c.get("calledElement") for c in root.xpath(".//bpmn:callActivity", namespaces=model_checks.NS)}
    main = next((p for p in executable if p.get("id") not in called), executable[0])
    start = main.xpath("bpmn:startEvent[@camunda:formKey]", namespaces=model_checks.NS)
    return CheckedSource(
        "bpmn", main.get("id"), main.get("name") or main.get("id"),
        start[0].get(CAMUNDA + "formKey") if start else None,
    )  # fmt: skip


def _dependencies(session: Session, region: str, exclude: str) -> list[SourceFile]:
    """The newest published version of every other process and decision of the region."""
    newest = (
        select(ModelVersion.process_id, func.max(ModelVersion.version).label("version"))
        .where(ModelVersion.region == region, ModelVersion.status == "published")
        .group_by(ModelVersion.process_id)
        .subquery()
    )
    rows = session.scalars(
        select(ModelVersion)
        .options(undefer(ModelVersion.source))
        .join(
            newest,
            (ModelVersion.process_id == newest.c.process_id) & (ModelVersion.version == newest.c.version),
        )
        .where(ModelVersion.region == region, ModelVersion.process_id != exclude)
    )
    return [SourceFile(row.file_name, row.kind, row.source) for row in rows]


def add_draft(
    rt: Runtime, actor: Actor, region: str, text: str, file_name: str = "model.bpmn", origin: str = "upload"
) -> ModelVersionInfo:
    """Store a validated model as the next draft version of its process id.
    Raises NotFound (region), Forbidden, Invalid (with every problem)."""
    access.require_region(region)
    access.require(actor, "design_models", region)
    with rt.uow() as uow:
        checked = check_source(rt, uow.session, region, text, file_name)
        row = new_version(uow.session, rt, actor, region, checked, text, file_name, origin)
        _record(uow.session, rt, actor, "model_draft_saved", row)
        uow.commit()
        return _info(row)


def save_draft(
    rt: Runtime, actor: Actor, region: str, text: str, file_name: str = "model.bpmn", base: int | None = None
) -> ModelVersionInfo:
    """The designer's save: always stored, problems and all (someone may stop mid-change). The
    draft the designer is working on (`base`) is updated in place while it is still the newest
    version of its process; otherwise a new draft version is made, so a colleague's draft is never
    overwritten. Raises NotFound (region), Forbidden, Invalid only when the text is no model."""
    access.require_region(region)
    access.require(actor, "design_models", region)
    with rt.uow() as uow:
        session = uow.session
        _checked_root(rt, text, file_name)  # size and well-formed XML
        described = describe_source(text, file_name)
        problems = find_problems(rt, session, region, text, file_name)
        newest = _newest(session, region, described.process_id)
        if newest is not None and newest.status == "draft" and newest.id == base:
            row = newest
            row.source, row.name, row.start_form_key = text, described.name, described.start_form_key
            row.origin, row.created_by, row.created_at = "designer", actor.user_id, rt.clock.now()
        else:
            name = newest.file_name if newest is not None else file_name
            row = new_version(session, rt, actor, region, described, text, name, "designer")
        row.problems = problems
        _record(session, rt, actor, "model_draft_saved", row, problems=len(problems))
        uow.commit()
        return _info(row)


def _newest(session: Session, region: str, process_id: str) -> ModelVersion | None:
    return session.scalar(
        select(ModelVersion)
        .options(undefer(ModelVersion.source))
        .where(ModelVersion.region == region, ModelVersion.process_id == process_id)
        .order_by(ModelVersion.version.desc())
        .limit(1)
    )


def _record(session: Session, rt: Runtime, actor: Actor, kind: str, row: ModelVersion, **extra: Any) -> None:
    """A model action as an audit event (no case); the region travels in the data."""
    data = {"region": row.region, "process_id": row.process_id, "version": row.version, "version_id": row.id}
    audit.record(session, rt.clock.now(), actor, None, kind, data=data | extra)


def new_version(
    session: Session,
    rt: Runtime,
    actor: Actor,
    region: str,
    checked: CheckedSource,
    text: str,
    file_name: str,
    origin: str,
) -> ModelVersion:
    latest = session.scalar(
        select(func.max(ModelVersion.version)).where(
            ModelVersion.region == region, ModelVersion.process_id == checked.process_id
        )
    )
    row = ModelVersion(
        region=region, process_id=checked.process_id, kind=checked.kind, version=(latest or 0) + 1,
        status="draft", name=checked.name, file_name=Path(file_name).name, source=text,
        start_form_key=checked.start_form_key, created_by=actor.user_id, created_at=rt.clock.now(),
        origin=origin,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


MAX_NOTE = 2000


def publish(
    rt: Runtime, actor: Actor, region: str, version_id: int, note: str | None = None
) -> ModelVersionInfo:
    """Publish a draft with an optional note: validated again (refused while any problem is
    left), spec frozen, the previous published version retired; immutable from then on.
    Raises NotFound, Forbidden, Conflict (not a draft), Invalid (problems, note too long)."""
    access.require_region(region)
    access.require(actor, "design_models", region)
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise Invalid(f"De toelichting is langer dan {MAX_NOTE} tekens.", code="note_too_long")
    with rt.uow() as uow:
        session = uow.session
        row = session.get(ModelVersion, version_id, options=[undefer(ModelVersion.source)])
        if row is None or row.region != region:
            raise NotFound("Onbekende modelversie.", code="unknown_model")
        if row.status != "draft":
            raise Conflict("Alleen een concept kan worden gepubliceerd.", code="not_a_draft")
        checked = check_source(rt, session, region, row.source, row.file_name)
        mark_published(rt, session, actor, row, checked.spec_json, note)
        _record(session, rt, actor, "model_published", row, note=note)
        uow.commit()
        return _info(row)


def mark_published(
    rt: Runtime, session: Session, actor: Actor, row: ModelVersion, spec_json: str | None, note: str | None
) -> None:
    row.spec_json = spec_json
    row.problems = []
    row.note = note
    row.published_by = actor.user_id
    for previous in session.scalars(
        select(ModelVersion).where(
            ModelVersion.region == row.region,
            ModelVersion.process_id == row.process_id,
            ModelVersion.status == "published",
        )
    ):
        previous.status = "retired"
    row.status = "published"
    row.published_at = rt.clock.now()
    session.flush()


def list_versions(session: Session, region: str) -> list[ModelVersionInfo]:
    access.require_region(region)
    rows = session.scalars(
        select(ModelVersion)
        .where(ModelVersion.region == region)
        .order_by(ModelVersion.process_id, ModelVersion.version)
    )
    return [_info(row) for row in rows]


def get_source(session: Session, region: str, version_id: int) -> str:
    row = session.get(ModelVersion, version_id, options=[undefer(ModelVersion.source)])
    if row is None or row.region != region:
        raise NotFound("Onbekende modelversie.", code="unknown_model")
    return row.source


@dataclass(frozen=True)
class RegionModels:
    key: str
    name: str
    published: list[ModelVersionInfo]


def published_by_region(rt: Runtime) -> list[RegionModels]:
    """Every region with the published versions its new cases start on (no case data)."""
    with rt.uow() as uow:
        rows = uow.session.scalars(
            select(ModelVersion)
            .where(ModelVersion.status == "published")
            .order_by(ModelVersion.process_id, ModelVersion.version)
        ).all()
    by_region: dict[str, list[ModelVersionInfo]] = {key: [] for key in REGIONS}
    for row in rows:
        by_region.setdefault(row.region, []).append(_info(row))
    return [RegionModels(key, REGION_NAMES.get(key, key), by_region[key]) for key in REGIONS]


def region_versions(rt: Runtime, actor: Actor, region: str) -> list[ModelVersionInfo]:
    """All versions of the region's models, for anyone holding a role in the region.
    Raises NotFound (region), Forbidden."""
    access.require_region(region)
    access.require(actor, "read_models", region)
    with rt.uow() as uow:
        return list_versions(uow.session, region)


def version_source(rt: Runtime, actor: Actor, region: str, version_id: int) -> str:
    """The BPMN/DMN text of a version, for the region's designers (what the modeler opens).
    Raises NotFound (region, version), Forbidden."""
    access.require_region(region)
    access.require(actor, "design_models", region)
    with rt.uow() as uow:
        return get_source(uow.session, region, version_id)


def published_version(session: Session, region: str, process_id: str) -> ModelVersion:
    """The version new cases of this process start on. Raises NotFound."""
    row = session.scalar(
        select(ModelVersion)
        .options(undefer(ModelVersion.spec_json))
        .where(
            ModelVersion.region == region,
            ModelVersion.process_id == process_id,
            ModelVersion.status == "published",
            ModelVersion.kind == "bpmn",
        )
        .order_by(ModelVersion.version.desc())
        .limit(1)
    )
    if row is None:
        raise NotFound(
            f"Regio '{region}' heeft geen gepubliceerd proces '{process_id}'.", code="no_published_model"
        )
    return row


@dataclass(frozen=True)
class HistoryEntry:
    """One version as the designer's history shows it: who made it, who published it, why."""

    id: int
    process_id: str
    kind: str
    version: int
    status: str
    origin: str
    author: str
    created_at: datetime
    publisher: str | None
    published_at: datetime | None
    note: str | None
    problem_count: int


def history(rt: Runtime, actor: Actor, region: str, process_id: str | None = None) -> list[HistoryEntry]:
    """Every version of the region's models (or of one process), newest first, with names.
    Raises NotFound (region), Forbidden (not a designer of the region)."""
    access.require_region(region)
    access.require(actor, "design_models", region)
    with rt.uow() as uow:
        query = select(ModelVersion).where(ModelVersion.region == region)
        if process_id is not None:
            query = query.where(ModelVersion.process_id == process_id)
        rows = uow.session.scalars(query.order_by(ModelVersion.process_id, ModelVersion.version.desc()))
        rows_list = list(rows)
        ids = {r.created_by for r in rows_list} | {r.published_by for r in rows_list}
        found = uow.session.execute(select(User.id, User.username).where(User.id.in_(ids - {None})))
        names: dict[int | None, str] = {user_id: name for user_id, name in found}
    return [
        HistoryEntry(
            r.id,
            r.process_id,
            r.kind,
            r.version,
            r.status,
            r.origin,
            names.get(r.created_by, "systeem"),
            r.created_at,
            names.get(r.published_by, "systeem") if r.published_at else None,
            r.published_at,
            r.note,
            len(r.problems or []),
        )  # fmt: skip
        for r in rows_list
    ]


def get_version(rt: Runtime, actor: Actor, region: str, version_id: int) -> tuple[ModelVersionInfo, str]:
    """A version with its text, for the region's designers. Raises NotFound, Forbidden."""
    access.require_region(region)
    access.require(actor, "design_models", region)
    with rt.uow() as uow:
        row = uow.session.get(ModelVersion, version_id, options=[undefer(ModelVersion.source)])
        if row is None or row.region != region:
            raise NotFound("Onbekende modelversie.", code="unknown_model")
        return _info(row), row.source


def require_designer(actor: Actor, region: str) -> None:
    """For the designer's other services (compare, trial, migrate). Raises NotFound, Forbidden."""
    access.require_region(region)
    access.require(actor, "design_models", region)


def check_problems(rt: Runtime, actor: Actor, region: str, text: str, file_name: str) -> list[Problem]:
    """The problems of an unsaved text, for checking as one edits (nothing stored).
    Raises NotFound (region), Forbidden, Invalid (no model at all)."""
    require_designer(actor, region)
    describe_source(text, file_name)  # no model at all is an error, not a problem
    with rt.uow() as uow:
        return find_problems(rt, uow.session, region, text, file_name)


def designer_regions(actor: Actor) -> list[str]:
    """The regions whose models this person may change."""
    return [region for region in REGIONS if actor.has_role(region, *DESIGNER_ROLES)]
