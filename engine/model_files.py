"""The model files under workflows/ and the database: `mda init` seeds a region's processes from
them, a region's published models are exported back to files, and a file is validated against its
siblings. Seeding never overwrites what a person made: the repository only replaces a version that
itself came from the repository and that nobody has built on since."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from config.settings import REGIONS
from engine import process_models
from engine.errors import Invalid
from engine.runtime import Actor, Runtime
from engine.storage.tables import ModelVersion
from engine.workflow import SourceFile


@dataclass
class SeedReport:
    """What seeding did per region: versions published, and files left alone because what is live
    came from a person (each `region/file: message`)."""

    published: dict[str, int] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)


def workflow_files(workflows_dir: Path, region: str) -> list[Path]:
    """Common building blocks first (the region's processes call them), then the region's own."""
    common = sorted((workflows_dir / "common").glob("*.dmn")) + sorted(
        (workflows_dir / "common").glob("*.bpmn")
    )
    own_dir = workflows_dir / "regions" / region
    own = sorted(own_dir.glob("*.dmn")) + sorted(own_dir.glob("*.bpmn"))
    return common + own


def seed_from_directory(rt: Runtime, actor: Actor) -> SeedReport:
    """Publish the files of workflows/ a region does not have yet (or whose repository version
    nobody built on). Files are published in dependency order (decisions, called processes, then
    callers) by retrying until no file makes progress. Raises Invalid for a file that fails."""
    report = SeedReport()
    for region in REGIONS:
        pending = workflow_files(rt.settings.workflows_dir, region)
        count = 0
        while pending:
            failures: list[tuple[Path, Invalid]] = []
            for path in pending:
                try:
                    count += _seed_file(rt, actor, region, path, report)
                except Invalid as error:
                    failures.append((path, error))
            if len(failures) == len(pending):
                path, first = failures[0]
                message = f"{region}/{path.name}: {first.message}"
                raise Invalid(message, code=first.code, details=first.details)
            pending = [path for path, _ in failures]
        report.published[region] = count
    return report


def _seed_file(rt: Runtime, actor: Actor, region: str, path: Path, report: SeedReport) -> int:
    text = path.read_text(encoding="utf-8")
    process_id = process_models.describe_source(text, path.name).process_id
    with rt.uow() as uow:
        session = uow.session
        live = _live(session, region, process_id)
        if live is not None and live.source == text:
            return 0
        if live is not None and not _repository_may_replace(session, live):
            report.differences.append(
                f"{region}/{path.name}: het bestand verschilt van de live versie {live.version} "
                f"({live.origin}); beide blijven staan (mda models export haalt de live versie op)"
            )
            return 0
        checked = process_models.check_source(rt, session, region, text, path.name)
        row = process_models.new_version(session, rt, actor, region, checked, text, path.name, "repository")
        process_models.mark_published(rt, session, actor, row, checked.spec_json, None)
        uow.commit()
        return 1


def _live(session: Session, region: str, process_id: str) -> ModelVersion | None:
    return session.scalar(
        select(ModelVersion)
        .options(undefer(ModelVersion.source))
        .where(
            ModelVersion.region == region,
            ModelVersion.process_id == process_id,
            ModelVersion.status == "published",
        )
        .order_by(ModelVersion.version.desc())
        .limit(1)
    ) or session.scalar(  # a process with only drafts is someone's work too
        select(ModelVersion)
        .options(undefer(ModelVersion.source))
        .where(ModelVersion.region == region, ModelVersion.process_id == process_id)
        .limit(1)
    )


def _repository_may_replace(session: Session, live: ModelVersion) -> bool:
    """Only a published repository version that no later version (a person's draft) follows."""
    if live.origin != "repository" or live.status != "published":
        return False
    later = session.scalar(
        select(ModelVersion.id).where(
            ModelVersion.region == live.region,
            ModelVersion.process_id == live.process_id,
            ModelVersion.version > live.version,
        )
    )
    return later is None


def export_region(rt: Runtime, region: str, directory: Path) -> list[Path]:
    """Write the region's published models (what new cases start on) to files, byte for byte, so
    the repository can take a designer's work. Raises NotFound (region), Invalid (directory)."""
    with rt.uow() as uow:
        versions = [v for v in process_models.list_versions(uow.session, region) if v.status == "published"]
        texts = {v.id: process_models.get_source(uow.session, region, v.id) for v in versions}
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Invalid(f"kan map {directory} niet maken: {error}", code="bad_directory") from error
    names = [v.file_name or f"{v.process_id}.{v.kind}" for v in versions]
    written = []
    for version, name in zip(versions, names, strict=True):
        if names.count(name) > 1:  # two processes saved under one file name
            name = f"{version.process_id}.{version.kind}"
        target = directory / name
        try:
            target.write_text(texts[version.id], encoding="utf-8")
        except OSError as error:
            raise Invalid(f"kan {target} niet schrijven: {error}", code="bad_directory") from error
        written.append(target)
    return written


def validate_file(rt: Runtime, path: Path, region: str | None = None) -> process_models.CheckedSource:
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

    return process_models.check_with(rt, text, path.name, from_directory)
