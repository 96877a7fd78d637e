"""Phase periods: when a case entered and left each phase, written in the transaction that moves
it (case_state.sync). Lead time per phase and the phase-norm rule read these rows only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.storage.tables import Case, PhasePeriod


def record_phase(session: Session, case: Case, now: datetime) -> None:
    """Close the open period when the phase changed or the case closed; open the next one."""
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
