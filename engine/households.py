"""A household that comes back (domain §10, Casus 3; 000:953-956): a registration that names the
same household key as an earlier case of the region (field `huishouden_kenmerk`, for example the
Veilig Thuis file number) is linked to that case. The link is shown only to those who may see the
other case (need-to-know decided in engine/access.py); showing it is logged as a read of that case."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import access, audit
from engine.runtime import Actor
from engine.storage.tables import Case, CaseHousehold, CaseLink

KEY_FIELD = "huishouden_kenmerk"


@dataclass(frozen=True)
class LinkedCase:
    id: int
    relation: str  # "eerder" (an earlier case of the household) or "later"
    status: str
    phase: str
    created_at: datetime
    closed_at: datetime | None


def _digest(region: str, key: str) -> str:
    normal = " ".join(key.split()).casefold()
    return hashlib.sha256(f"{region}\x00{normal}".encode()).hexdigest()


def recognise(session: Session, now: datetime, actor: Actor, case: Case, data: dict[str, Any]) -> list[int]:
    """Record the new case's household and link it to the region's earlier cases of the same
    household; returns their ids (oldest first). Without a key nothing is recorded."""
    key = data.get(KEY_FIELD)
    if not isinstance(key, str) or not key.strip():
        return []
    digest = _digest(case.region, key)
    earlier = list(
        session.scalars(
            select(CaseHousehold.case_id)
            .where(CaseHousehold.region == case.region, CaseHousehold.key_digest == digest)
            .order_by(CaseHousehold.case_id)
        )
    )
    session.add(CaseHousehold(case_id=case.id, region=case.region, key_digest=digest))
    for earlier_id in earlier:
        session.add(CaseLink(case_id=case.id, earlier_case_id=earlier_id, created_at=now))
    if earlier:
        audit.record(session, now, actor, case.id, "household_recognised", data={"earlier_cases": earlier})
        for earlier_id in earlier:
            audit.record(session, now, actor, earlier_id, "household_returned", data={"later_case": case.id})
    return earlier


def linked_cases(session: Session, now: datetime, actor: Actor, case_id: int) -> list[LinkedCase]:
    """The other cases of this case's household that the actor may see; each shown one is logged
    as a read of that case."""
    links = session.execute(
        select(CaseLink.case_id, CaseLink.earlier_case_id).where(
            or_(CaseLink.case_id == case_id, CaseLink.earlier_case_id == case_id)
        )
    ).all()
    relation = {}
    for later, earlier in links:
        if later == case_id:
            relation[earlier] = "eerder"
        else:
            relation[later] = "later"
    if not relation:
        return []
    rows = list(session.scalars(select(Case).where(Case.id.in_(relation)).order_by(Case.created_at, Case.id)))
    roles = access.viewing_roles(session, actor, rows)
    shown = []
    for row in rows:
        if row.id not in roles:
            continue
        audit.log_access(session, now, actor, row.id, roles[row.id], "linked_case_shown")
        shown.append(
            LinkedCase(row.id, relation[row.id], row.status, row.phase, row.created_at, row.closed_at)
        )
    return shown
