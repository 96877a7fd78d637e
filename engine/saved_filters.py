"""Inbox filters a person saves under a name and gets back after logging in again. Only the
filter fields are stored (never case data); each person sees and removes only their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select

from engine.errors import Invalid, NotFound
from engine.runtime import Actor, Runtime
from engine.storage.tables import SavedFilter

FILTER_FIELDS = ("role", "phase", "region", "termijn")
MAX_NAME = 80
MAX_FILTERS = 50


@dataclass(frozen=True)
class SavedFilterInfo:
    id: int
    name: str
    query: dict[str, str]


def list_filters(rt: Runtime, actor: Actor) -> list[SavedFilterInfo]:
    if actor.user_id is None:
        return []
    with rt.uow() as uow:
        rows = uow.session.scalars(
            select(SavedFilter).where(SavedFilter.user_id == actor.user_id).order_by(SavedFilter.name)
        )
        return [SavedFilterInfo(row.id, row.name, dict(row.query)) for row in rows]


def save_filter(rt: Runtime, actor: Actor, name: Any, query: dict[str, Any]) -> SavedFilterInfo:
    """Save (or overwrite) the actor's filter of this name. Raises Invalid (name, too many)."""
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > MAX_NAME:
        raise Invalid(
            f"Geef het filter een naam van 1 tot {MAX_NAME} tekens.",
            code="invalid_filter_name",
            details={"naam": ["Verplicht, hoogstens 80 tekens."]},
        )
    if actor.user_id is None:
        raise Invalid("Alleen een persoon bewaart filters.", code="invalid_filter_owner")
    kept = {key: str(value)[:80] for key, value in query.items() if key in FILTER_FIELDS and value}
    with rt.uow() as uow:
        session = uow.session
        row = session.scalar(
            select(SavedFilter).where(SavedFilter.user_id == actor.user_id, SavedFilter.name == name)
        )
        if row is None:
            count = session.scalar(select(func.count()).where(SavedFilter.user_id == actor.user_id)) or 0
            if count >= MAX_FILTERS:
                raise Invalid(
                    f"U kunt hoogstens {MAX_FILTERS} filters bewaren; verwijder er eerst een.",
                    code="too_many_filters",
                )
            row = SavedFilter(user_id=actor.user_id, name=name, query=kept, created_at=rt.clock.now())
            session.add(row)
        else:
            row.query = kept
        uow.commit()
        return SavedFilterInfo(row.id, row.name, dict(row.query))


def delete_filter(rt: Runtime, actor: Actor, filter_id: int) -> None:
    """Remove one of the actor's own filters. Raises NotFound (unknown or someone else's)."""
    with rt.uow() as uow:
        removed = uow.session.execute(
            delete(SavedFilter).where(SavedFilter.id == filter_id, SavedFilter.user_id == actor.user_id)
        )
        if not getattr(removed, "rowcount", 0):
            raise NotFound("Dit filter bestaat niet.", code="filter_not_found")
        uow.commit()
