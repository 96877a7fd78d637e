"""The timer sweep: claims cases with due timer rows in batches, in the order of the due-time
index, and advances them in one transaction per batch. On PostgreSQL the case rows are claimed with
FOR UPDATE SKIP LOCKED, so any number of workers can sweep together and every timer still fires
exactly once; SQLite has a single writer anyway. The fired timers themselves are decided by
SpiffWorkflow on the freshly loaded case, so a case claimed twice in a row cannot fire the same
timer twice. A batch that fails to commit is retried one case per transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from engine.case_state import LoadedCase, load_workflow, stored_rows, sync, write_cases
from engine.errors import Conflict, Invalid
from engine.runtime import SYSTEM, Runtime
from engine.storage.tables import Case, Timer

log = logging.getLogger(__name__)

BATCH = 50


@dataclass
class SweepResult:
    cases_advanced: int = 0
    conflicts: int = 0
    errors: list[int] = field(default_factory=list)


def run_due(rt: Runtime, *, max_cases: int = 10_000, batch: int = BATCH) -> SweepResult:
    """One sweep over every case with a timer due at the clock's now."""
    result = SweepResult()
    skip: list[int] = []  # cases that failed or lost a conflict: not claimed again in this sweep
    now = rt.clock.now()
    while result.cases_advanced + result.conflicts + len(result.errors) < max_cases:
        claimed = _advance_batch(rt, now, batch, result, skip)
        if claimed is None:  # the batch could not be written: one case per transaction
            claimed = _advance_one_by_one(rt, now, batch, result, skip)
        if not claimed:
            break
    return result


def next_due_at(rt: Runtime) -> datetime | None:
    """The earliest due moment of any waiting timer (read from the due-time index)."""
    with rt.uow() as uow:
        return uow.session.scalar(select(func.min(Timer.due_at)))


def _claim(session: Session, now: datetime, limit: int, skip: list[int]) -> list[Case]:
    """Open cases with a due timer, earliest due first, their rows locked (PostgreSQL: rows other
    workers hold are skipped) and loaded with their state in the same statement."""
    query = (
        select(Case)
        .options(undefer(Case.state))
        .join(Timer, Timer.case_id == Case.id)
        .where(Timer.due_at <= now, Case.status == "open")
        .order_by(Timer.due_at, Timer.case_id)
        .limit(limit)
    )
    if skip:
        query = query.where(Case.id.not_in(skip))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Case, skip_locked=True)
    rows = session.scalars(query).all()
    return list({row.id: row for row in rows}.values())  # a case with two due timers comes twice


def _advance_batch(
    rt: Runtime, now: datetime, batch: int, result: SweepResult, skip: list[int]
) -> list[int] | None:
    """Claim and advance up to `batch` cases in one transaction (one flush: the derived rows of
    the whole batch are written together). Returns their ids ([] when none is due), or None when
    the batch could not be written."""
    with rt.uow() as uow:
        session = uow.session
        rows = _claim(session, now, batch, skip)
        if not rows:
            return []
        for row in rows:  # written together at the end (`write_cases`), not one UPDATE per row
            session.expunge(row)
        stored = stored_rows(session, [row.id for row in rows])
        advanced: list[LoadedCase] = []
        failed: list[int] = []
        try:
            for row in rows:
                try:
                    case = load_workflow(session, row)
                    case.workflow.run_engine(now, rt.settings.limits)
                except Exception as error:  # the sweep goes on; this case is retried next sweep
                    _log_failure(row.id, error)
                    failed.append(row.id)
                    continue
                sync(rt, session, SYSTEM, case, now, stored[row.id])
                advanced.append(case)
            write_cases(session, [case.row for case in advanced])
            uow.commit()
        except Exception:  # writing failed: the caller retries these cases one by one
            log.warning("timer sweep: a batch of %d cases could not be written; one by one", len(rows))
            return None
        for case in advanced:
            _log_advanced(case)
        result.cases_advanced += len(advanced)
        result.errors += failed
        skip += failed
        return [row.id for row in rows]


def _advance_one_by_one(
    rt: Runtime, now: datetime, batch: int, result: SweepResult, skip: list[int]
) -> list[int]:
    claimed: list[int] = []
    for _ in range(batch):
        with rt.uow() as uow:
            rows = _claim(uow.session, now, 1, skip)
            if not rows:
                break
            row = rows[0]
            claimed.append(row.id)
            try:
                case = load_workflow(uow.session, row)
                case.workflow.run_engine(now, rt.settings.limits)
                sync(rt, uow.session, SYSTEM, case, now)
                uow.commit()
                result.cases_advanced += 1
                _log_advanced(case)
            except Conflict:
                result.conflicts += 1
                skip.append(row.id)
            except Exception as error:  # the sweep goes on; this case is retried next sweep
                _log_failure(row.id, error)
                result.errors.append(row.id)
                skip.append(row.id)
    return claimed


def _log_advanced(case: LoadedCase) -> None:
    """Which case moved and what it waits on now (user tasks), once it is stored."""
    open_tasks = ", ".join(sorted({info.name for info in case.workflow.derived().user_tasks})) or "none"
    log.info("timer sweep: case %s advanced; open tasks now: %s", case.row.id, open_tasks)


def _log_failure(case_id: int, error: Exception) -> None:
    """A model that asks too much (a budget) or holds a bad value is named without a traceback;
    anything else is a fault of ours and gets one."""
    if isinstance(error, Invalid):
        reason = f"{error.code} ({error.message})"
        log.warning("timer sweep: case %s stopped and rolled back: %s", case_id, reason)
    else:
        log.exception("timer sweep failed for case %s", case_id)
