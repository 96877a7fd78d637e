"""Read-only looks at the tables the integration tests assert on: events, timers, tasks, case
versions and row counts (for "nothing was stored" checks). Arranging goes through the engine."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from engine.runtime import Runtime
from engine.storage import tables

COUNTED_TABLES = (
    tables.ModelVersion,
    tables.Case,
    tables.CaseTeamMember,
    tables.Task,
    tables.Timer,
    tables.Event,
    tables.AccessLog,
)


def row_counts(rt: Runtime) -> dict[str, int]:
    """Rows per table, to show that a refused call stored nothing."""
    with rt.uow() as uow:
        return {
            table.__tablename__: uow.session.scalar(select(func.count()).select_from(table)) or 0
            for table in COUNTED_TABLES
        }


def event_kinds(rt: Runtime, case_id: int) -> list[str]:
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(tables.Event.kind).where(tables.Event.case_id == case_id).order_by(tables.Event.id)
            )
        )


def events_of(rt: Runtime, case_id: int, kind: str) -> list[tables.Event]:
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(tables.Event)
                .where(tables.Event.case_id == case_id, tables.Event.kind == kind)
                .order_by(tables.Event.id)
            )
        )


def timers_of(rt: Runtime, case_id: int) -> list[tables.Timer]:
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(tables.Timer).where(tables.Timer.case_id == case_id).order_by(tables.Timer.due_at)
            )
        )


def tasks_of(rt: Runtime, case_id: int, spec_id: str | None = None, **where: Any) -> list[tables.Task]:
    """Every task row of the case (open and finished), oldest first."""
    query = select(tables.Task).where(tables.Task.case_id == case_id)
    if spec_id is not None:
        query = query.where(tables.Task.spec_id == spec_id)
    for column, value in where.items():
        query = query.where(getattr(tables.Task, column) == value)
    with rt.uow() as uow:
        return list(uow.session.scalars(query.order_by(tables.Task.created_at, tables.Task.id)))


def case_row(rt: Runtime, case_id: int) -> tables.Case:
    with rt.uow() as uow:
        return uow.session.get_one(tables.Case, case_id)
