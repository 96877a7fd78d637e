"""Query shapes shared by the lists: counting disjoint index-friendly branches up to a cap."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, func, select, union_all
from sqlalchemy.orm import Session

TOTAL_CAP = 1000  # list totals are exact up to here; beyond, a page shows "1.000+"


def capped_count(disjoint: list[Select[Any]], cap: int = TOTAL_CAP) -> Select[Any]:
    """The statement behind `capped_total`, to run alone or as one column among others' counts
    (`.scalar_subquery()`): several capped counts then cost one round trip. No branches: 0."""
    if not disjoint:
        return select(func.count()).where(false())
    streamed = union_all(*[select(branch.limit(cap + 1).subquery()) for branch in disjoint]).limit(cap + 1)
    return select(func.count()).select_from(streamed.subquery())


def capped_total(session: Session, disjoint: list[Select[Any]], cap: int = TOTAL_CAP) -> int:
    """How many rows the branches select together, when no row is in two of them, counted no
    further than cap + 1. The branches are read one after the other and the count stops as soon as
    it passes the cap, so a branch after those that already fill it is hardly read at all."""
    return session.scalar(capped_count(disjoint, cap)) or 0
