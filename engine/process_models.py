"""Process model versions per region: validate, store drafts, publish (immutable from then on)
and load the files under workflows/. Versions are counted per process id; a case keeps the
version it started with because its spec is frozen into that version at publication."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from config.settings import REGION_NAMES, REGIONS
from engine import access, model_checks
from engine.errors import Conflict, Invalid, NotFound
from engine.runtime import Actor, Runtime
from engine.storage.tables import ModelVersion
from engine.workflow import SourceFile, freeze_spec, make_parser, parse_xml

BPMN_NS = model_checks.NS["bpmn"]
CAMUNDA = model_checks.CAMUNDA


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
    if len(text.encode("utf-8")) > rt.settings.max_upload_bytes:
        raise Invalid(
            f"Het bestand is groter dan {rt.settings.max_upload_bytes // 1024 // 1024} MB.", code="too_large"
        )
    root = parse_xml(text, file_name)
    if root.tag.endswith("}definitions") and root.tag.startswith("{http://www.omg.org/spec/DMN"):
        kind, problems = "dmn", model_checks.check_dmn(root)
    elif root.tag.endswith("}definitions") and root.tag.startswith("{https://www.omg.org/spec/DMN"):
        kind, problems = "dmn", model_checks.check_dmn(root)
    else:
        kind, problems = "bpmn", model_checks.check_bpmn(root, rt.forms)
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
    rt: Runtime, actor: Actor, region: str, text: str, file_name: str = "model.bpmn"
) -> ModelVersionInfo:
    """Store a validated model as the next draft version of its process id.
    Raises NotFound (region), Forbidden, Invalid (with every problem)."""
    access.require_region(region)
    access.require(actor, "design_models", region)
    with rt.uow() as uow:
        checked = check_source(rt, uow.session, region, text, file_name)
        row = _new_version(uow.session, rt, actor, region, checked, text, file_name)
        uow.commit()
        return _info(row)


def _new_version(
    session: Session,
    rt: Runtime,
    actor: Actor,
    region: str,
    checked: CheckedSource,
    text: str,
    file_name: str,
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
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def publish(rt: Runtime, actor: Actor, region: str, version_id: int) -> ModelVersionInfo:
    """Publish a draft: validated again, spec frozen, the previous published version retired.
    Raises NotFound, Forbidden, Conflict (not a draft), Invalid."""
    access.require_region(region)
    access.require(actor, "design_models", region)
    with rt.uow() as uow:
        row = _publish(rt, uow.session, region, version_id)
        uow.commit()
        return _info(row)


def _publish(rt: Runtime, session: Session, region: str, version_id: int) -> ModelVersion:
    row = session.get(ModelVersion, version_id, options=[undefer(ModelVersion.source)])
    if row is None or row.region != region:
        raise NotFound("Onbekende modelversie.", code="unknown_model")
    if row.status != "draft":
        raise Conflict("Alleen een concept kan worden gepubliceerd.", code="not_a_draft")
    _mark_published(rt, session, row, check_source(rt, session, region, row.source, row.file_name).spec_json)
    return row


def _mark_published(rt: Runtime, session: Session, row: ModelVersion, spec_json: str | None) -> None:
    row.spec_json = spec_json
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


def workflow_files(workflows_dir: Path, region: str) -> list[Path]:
    """Common building blocks first (the region's processes call them), then the region's own."""
    common = sorted((workflows_dir / "common").glob("*.dmn")) + sorted(
        (workflows_dir / "common").glob("*.bpmn")
    )
    own_dir = workflows_dir / "regions" / region
    own = sorted(own_dir.glob("*.dmn")) + sorted(own_dir.glob("*.bpmn"))
    return common + own


def load_directory(rt: Runtime, actor: Actor) -> dict[str, int]:
    """Publish every file of workflows/ whose text differs from its newest version; per region the
    number of versions published. Files are published in dependency order (decisions, called
    processes, then callers) by retrying until no file makes progress."""
    published: dict[str, int] = {}
    for region in REGIONS:
        pending = workflow_files(rt.settings.workflows_dir, region)
        count = 0
        while pending:
            failures: list[tuple[Path, Invalid]] = []
            for path in pending:
                try:
                    count += _load_file(rt, actor, region, path)
                except Invalid as error:
                    failures.append((path, error))
            if len(failures) == len(pending):
                path, first = failures[0]
                message = f"{region}/{path.name}: {first.message}"
                raise Invalid(message, code=first.code, details=first.details)
            pending = [path for path, _ in failures]
        published[region] = count
    return published


def _load_file(rt: Runtime, actor: Actor, region: str, path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    with rt.uow() as uow:
        checked_kind = "dmn" if path.suffix == ".dmn" else "bpmn"
        root = parse_xml(text, path.name)
        process_id = _describe(root, checked_kind).process_id
        newest = uow.session.scalar(
            select(ModelVersion)
            .options(undefer(ModelVersion.source))
            .where(ModelVersion.region == region, ModelVersion.process_id == process_id)
            .order_by(ModelVersion.version.desc())
            .limit(1)
        )
        if newest is not None and newest.source == text and newest.status == "published":
            return 0
        checked = check_source(rt, uow.session, region, text, path.name)
        row = _new_version(uow.session, rt, actor, region, checked, text, path.name)
        _mark_published(rt, uow.session, row, checked.spec_json)
        uow.commit()
        return 1


def validate_file(rt: Runtime, path: Path, region: str | None = None) -> CheckedSource:
    """Validate a file against the workflows/ directory (no database needed). The region is taken
    from the path (workflows/regions/<region>/...) unless given. Raises Invalid."""
    if region is None:
        parts = path.resolve().parts
        region = parts[parts.index("regions") + 1] if "regions" in parts[:-1] else None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid(f"{path}: kan het bestand niet lezen ({error})", code="unreadable") from error
    siblings = (
        workflow_files(rt.settings.workflows_dir, region)
        if region in REGIONS
        else sorted((rt.settings.workflows_dir / "common").glob("*.*"))
    )

    def from_directory(process_id: str) -> list[SourceFile]:
        return [
            SourceFile(p.name, "dmn" if p.suffix == ".dmn" else "bpmn", p.read_text(encoding="utf-8"))
            for p in siblings
            if p.resolve() != path.resolve() and p.suffix in (".bpmn", ".dmn")
        ]

    return check_with(rt, text, path.name, from_directory)
