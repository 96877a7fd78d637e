"""Moving running cases to another published version of their process (CONTRACT §5 migrate).
A dry run reports what would change; a real run refuses when work that is open or waiting
would disappear, so nobody's task silently vanishes. A designer migrates a process's cases in a
batch: a dry run per case, then the chosen cases, each in its own transaction."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from engine import access, audit
from engine.case_state import LoadedCase, load_case, sync
from engine.errors import Conflict, Invalid, MdaError, NotFound
from engine.runtime import Actor, Runtime
from engine.storage.tables import Case, ModelVersion, Task, Timer
from engine.workflow import migrate, plan_migration


@dataclass(frozen=True)
class MigrationReport:
    case_id: int
    from_version: int
    to_version: int
    removed: list[str]
    changed: list[str]
    added: list[str]
    blocking: list[str]
    dry_run: bool
    migrated: bool
    waiting_at: list[str] | None = None  # names of the open tasks and timers (batch dry run)
    error: str | None = None  # why a chosen case was left as it was (batch run)


def migrate_case(
    rt: Runtime, actor: Actor, case_id: int, version_id: int, *, dry_run: bool
) -> MigrationReport:
    """Raises NotFound (case or version), Forbidden, Invalid (other process or region, or a
    draft), Conflict (open work would be lost, or a concurrent change)."""
    with rt.uow() as uow:
        session = uow.session
        access.visible_case(session, actor, case_id)  # NotFound before Forbidden
        case = load_case(session, case_id)
        role = access.require(actor, "migrate_case", case.row.region)
        target = _target(session, case.row.region, version_id)
        report = _migrate_loaded(rt, session, actor, role, case, target, dry_run=dry_run)
        uow.commit()
        return report


def _target(session: Session, region: str, version_id: int) -> ModelVersion:
    target = session.get(ModelVersion, version_id, options=[undefer(ModelVersion.spec_json)])
    if target is None or target.region != region:
        raise NotFound("Onbekende modelversie.", code="unknown_model")
    return target


def _migrate_loaded(
    rt: Runtime,
    session: Session,
    actor: Actor,
    role: str,
    case: LoadedCase,
    target: ModelVersion,
    *,
    dry_run: bool,
) -> MigrationReport:
    now = rt.clock.now()
    if target.process_id != case.row.process_id or target.spec_json is None:
        raise Invalid("Kies een gepubliceerde versie van hetzelfde proces.", code="wrong_target_version")
    current = session.get_one(ModelVersion, case.row.model_version_id)
    plan, prepared = plan_migration(case.workflow, target.spec_json)
    report = MigrationReport(
        case.row.id, current.version, target.version, plan.removed, plan.changed, plan.added, plan.blocking,
        dry_run, migrated=False,
    )  # fmt: skip
    if dry_run:
        audit.log_access(session, now, actor, case.row.id, role, "migration_dry_run")
        return report
    if plan.blocking:
        raise Conflict(
            "Migratie geweigerd: open werk bestaat niet meer in de nieuwe versie.",
            code="migration_blocked",
            details={"blocking": plan.blocking},
        )
    case.workflow = migrate(case.workflow, target.spec_json, prepared, now)
    case.row.model_version_id = target.id
    _refresh_open_tasks(session, case)
    audit.record(session, now, actor, case.row.id, "case_migrated",
                 data={"from_version": current.version, "to_version": target.version})  # fmt: skip
    sync(rt, session, actor, case, now)
    return replace(report, migrated=True)


def _refresh_open_tasks(session: Session, case: LoadedCase) -> None:
    """An open task keeps its row across a migration; its name, form, phase and role follow the
    new version (a new lane role sends it to that role's pool or team member)."""
    for info in case.workflow.user_tasks():
        row = session.get(Task, info.id)
        if row is None or row.status != "open":
            continue
        row.name, row.form_key, row.phase = info.name, info.form_key, info.phase
        if row.role != info.lane:
            row.role, row.assignee_id = info.lane, access.team_member(session, case.row.id, info.lane)


def _designer_role(actor: Actor, region: str) -> str:
    access.require_region(region)
    return access.require(actor, "design_models", region)


def plan_batch(rt: Runtime, actor: Actor, region: str, version_id: int) -> list[MigrationReport]:
    """The dry run of every open case of the version's process that runs on another version: per
    case what would be removed, changed and added, where it waits, and whether it can move. Each
    case read is access-logged. Raises NotFound, Forbidden (not a designer), Invalid (a draft)."""
    role = _designer_role(actor, region)
    with rt.uow() as uow:
        session = uow.session
        target = _target(session, region, version_id)
        if target.spec_json is None:
            raise Invalid("Kies een gepubliceerde versie.", code="wrong_target_version")
        ids = session.scalars(
            select(Case.id)
            .where(
                Case.region == region,
                Case.process_id == target.process_id,
                Case.status == "open",
                Case.model_version_id != target.id,
            )
            .order_by(Case.id)
        ).all()
        reports = []
        for case_id in ids:
            case = load_case(session, case_id)
            report = _migrate_loaded(rt, session, actor, role, case, target, dry_run=True)
            reports.append(replace(report, waiting_at=_waiting_at(session, case_id)))
        uow.commit()
        return reports


def _waiting_at(session: Session, case_id: int) -> list[str]:
    tasks = session.scalars(select(Task.name).where(Task.case_id == case_id, Task.status == "open"))
    timers = session.scalars(select(Timer.name).where(Timer.case_id == case_id))
    return [*tasks, *(f"timer: {name}" for name in timers)]


def migrate_batch(
    rt: Runtime, actor: Actor, region: str, version_id: int, case_ids: list[int]
) -> list[MigrationReport]:
    """Move the chosen cases, each in its own transaction with a history event. A case that
    cannot move safely (open work would vanish, another process, a concurrent change) is reported
    with the reason and left exactly as it was. Raises Forbidden (not a designer)."""
    role = _designer_role(actor, region)
    results = []
    for case_id in dict.fromkeys(case_ids):
        try:
            with rt.uow() as uow:
                case = load_case(uow.session, case_id)
                if case.row.region != region:
                    raise access.case_not_found()
                target = _target(uow.session, region, version_id)
                report = _migrate_loaded(rt, uow.session, actor, role, case, target, dry_run=False)
                uow.commit()
        except MdaError as error:
            blocking = error.details.get("blocking", []) if isinstance(error.details, dict) else []
            report = MigrationReport(case_id, 0, 0, [], [], [], blocking, False, False, error=error.message)
        results.append(report)
    with rt.uow() as uow:  # the designer's act as a whole, besides each case's own history event
        data = {"region": region, "version_id": version_id,
                "migrated": [r.case_id for r in results if r.migrated],
                "refused": [r.case_id for r in results if not r.migrated]}  # fmt: skip
        audit.record(uow.session, rt.clock.now(), actor, None, "model_cases_migrated", data=data)
        uow.commit()
    return results
