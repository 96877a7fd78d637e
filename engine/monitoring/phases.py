"""Phase periods: when a case entered and left each phase, written in the transaction that moves
it (case_state.sync). Lead time per phase and the phase-norm rule read these rows only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.storage.tables import Case, PhasePeriod


def record_phase(
    session: Session, case: Case, now: datetime, open_periods: list[PhasePeriod] | None = None
) -> None:
    """Close the open period when the phase changed or the case closed; open the next one.
    `open_periods`: the case's open period(s) when the caller read them already (the sweep reads
    a whole batch's at once)."""
    # Read without flushing: the timer sweep syncs a batch of cases in one transaction, and a flush
    # per case would write the batch's rows piecemeal (a period added in this transaction is found
    # among the session's new objects instead).
    pending = [p for p in session.new if isinstance(p, PhasePeriod) and p.case_id == case.id]
    if pending or open_periods is not None:
        known = pending or [period for period in open_periods or [] if period.ended_at is None]
        current = known[-1] if known else None
    else:
        with session.no_autoflush:
            current = session.scalar(
                select(PhasePeriod).where(PhasePeriod.case_id == case.id, PhasePeriod.ended_at.is_(None))
            )
    if current is not None and current.phase == case.phase and case.status == "open":
        return
    if current is not None:
        current.ended_at = now
    if case.status == "open":
        started = case.created_at if current is None else now  # the first period starts with the case
        session.add(PhasePeriod(case_id=case.id, region=case.region, phase=case.phase, started_at=started))
