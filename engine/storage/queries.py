"""Query shapes shared by the lists: counting a union of index-friendly branches up to a cap."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select, union
from sqlalchemy.orm import Session

TOTAL_CAP = 1000  # list totals are exact up to here; beyond, a page shows "1.000+"


def capped_count(session: Session, branches: list[Select[Any]], cap: int = TOTAL_CAP) -> int:
    """How many distinct rows the branches select together, counted no further than cap + 1
    (each branch stops there too), so a count never reads a whole table."""
    limited = [select(branch.limit(cap + 1).subquery()) for branch in branches]
    distinct = union(*limited).subquery()
    return session.scalar(select(func.count()).select_from(select(distinct).limit(cap + 1).subquery())) or 0
