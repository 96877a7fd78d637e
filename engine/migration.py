"""Moving a running case to another published version of its process (CONTRACT §5 migrate).
A dry run reports what would change; a real run refuses when work that is open or waiting
would disappear, so nobody's task silently vanishes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import undefer

from engine import access, audit
from engine.case_state import load_case, sync
from engine.errors import Conflict, Invalid, NotFound
from engine.runtime import Actor, Runtime
from engine.storage.tables import ModelVersion
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


def migrate_case(
    rt: Runtime, actor: Actor, case_id: int, version_id: int, *, dry_run: bool
) -> MigrationReport:
    """Raises NotFound (case or version), Forbidden, Invalid (other process or region, or a
    draft), Conflict (open work would be lost, or a concurrent change)."""
    now = rt.clock.now()
    with rt.uow() as uow:
        session = uow.session
        access.visible_case(session, actor, case_id)  # NotFound before Forbidden
        case = load_case(session, case_id)
        role = access.require(actor, "migrate_case", case.row.region)
        target = session.get(ModelVersion, version_id, options=[undefer(ModelVersion.spec_json)])
        if target is None or target.region != case.row.region:
            raise NotFound("Onbekende modelversie.", code="unknown_model")
        if target.process_id != case.row.process_id or target.spec_json is None:
            raise Invalid("Kies een gepubliceerde versie van hetzelfde proces.", code="wrong_target_version")
        current = session.get_one(ModelVersion, case.row.model_version_id)
        plan, prepared = plan_migration(case.workflow, target.spec_json)
        report = MigrationReport(
            case_id, current.version, target.version, plan.removed, plan.changed, plan.added, plan.blocking,
            dry_run, migrated=False,
        )  # fmt: skip
        if dry_run:
            audit.log_access(session, now, actor, case_id, role, "migration_dry_run")
            uow.commit()
            return report
        if plan.blocking:
            raise Conflict(
                "Migratie geweigerd: open werk bestaat niet meer in de nieuwe versie.",
                code="migration_blocked",
                details={"blocking": plan.blocking},
            )
        case.workflow = migrate(case.workflow, target.spec_json, prepared, now)
        case.row.model_version_id = target.id
        audit.record(session, now, actor, case_id, "case_migrated",
                     data={"from_version": current.version, "to_version": target.version})  # fmt: skip
        sync(rt, session, actor, case, now)
        uow.commit()
        return MigrationReport(**{**report.__dict__, "migrated": True})
