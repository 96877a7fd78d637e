"""The timer sweep: finds cases with due timer rows and advances each in its own transaction.
On PostgreSQL the case row is claimed with FOR UPDATE SKIP LOCKED, so any number of workers can
sweep together and every timer still fires exactly once; SQLite has a single writer anyway.
The fired timers themselves are decided by SpiffWorkflow on the freshly loaded case, so a case
claimed twice in a row cannot fire the same timer twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select

from engine.case_state import LoadedCase, load_case, sync
from engine.errors import Conflict, Invalid
from engine.runtime import SYSTEM, Runtime
from engine.storage.tables import Case, Timer

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    cases_advanced: int = 0
    conflicts: int = 0
    errors: list[int] = field(default_factory=list)


def run_due(rt: Runtime, *, max_cases: int = 10_000) -> SweepResult:
    """One sweep over every case with a timer due at the clock's now."""
    result = SweepResult()
    now = rt.clock.now()
    last_id = 0
    while result.cases_advanced + result.conflicts + len(result.errors) < max_cases:
        case_id = _advance_next(rt, now, last_id, result)
        if case_id is None:
            break
        last_id = case_id
    return result


def _advance_next(rt: Runtime, now: datetime, after_id: int, result: SweepResult) -> int | None:
    """Claim the next case (by id, after `after_id`) with a due timer and advance it."""
    with rt.uow() as uow:
        query = (
            select(Case.id)
            .where(
                Case.id > after_id,
                Case.status == "open",
                exists().where(Timer.case_id == Case.id, Timer.due_at <= now),
            )
            .order_by(Case.id)
            .limit(1)
        )
        if uow.dialect == "postgresql":
            query = query.with_for_update(of=Case, skip_locked=True)
        case_id = uow.session.scalar(query)
        if case_id is None:
            return None
        try:
            case = load_case(uow.session, case_id)  # a new statement: sees the latest committed state
            case.workflow.run_engine(now, rt.settings.limits)
            sync(rt, uow.session, SYSTEM, case, now)
            uow.commit()
            result.cases_advanced += 1
            log.info(
                "timer sweep: case %s advanced; open tasks now: %s",
                case_id,
                ", ".join(_open_tasks(case)) or "none",
            )
        except Conflict:
            result.conflicts += 1
        except Invalid as error:  # the model asks too much (a budget) or holds a bad value: rolled back
            log.warning(
                "timer sweep: case %s stopped and rolled back: %s (%s)", case_id, error.code, error.message
            )
            result.errors.append(case_id)
        except Exception:  # the sweep must go on to the next case; this one is retried next sweep
            log.exception("timer sweep failed for case %s", case_id)
            result.errors.append(case_id)
    return case_id


def _open_tasks(case: LoadedCase) -> list[str]:
    """Names of the user tasks the case waits on after the sweep, for its log line."""
    return sorted({info.name for info in case.workflow.user_tasks()})
