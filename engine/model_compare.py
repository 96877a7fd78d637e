"""Comparing two model texts element by element: added, removed and changed elements with what
changed in each, including what a diagram hides (scripts, conditions, timer expressions, forms,
lane roles, DMN rules). Between regions the ids rarely match, so leftovers are paired by kind and
name. A designer compares versions of their own region and their region with another region's
published models (those are no secret; drafts and history are)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engine import model_outline, process_models
from engine.errors import Invalid, NotFound
from engine.model_outline import PROPERTY_NAMES, Element
from engine.runtime import Actor, Runtime
from engine.storage.tables import ModelVersion


@dataclass(frozen=True)
class FieldChange:
    field: str  # property key (role, form, timer, ...)
    label: str  # Dutch
    before: str
    after: str


@dataclass(frozen=True)
class ElementChange:
    id: str  # the element's id in the newer model (the older one's when removed)
    other_id: str | None  # its id in the other model when paired by name
    kind: str
    kind_name: str
    name: str
    change: str  # added | removed | changed
    fields: list[FieldChange]


@dataclass(frozen=True)
class Side:
    region: str
    process_id: str
    version: int
    version_id: int
    status: str


@dataclass(frozen=True)
class Comparison:
    left: Side | None
    right: Side | None
    changes: list[ElementChange]

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)


def compare_texts(old: str, new: str) -> list[ElementChange]:
    """What changed from `old` to `new`, in the new model's element order, removals last."""
    before = model_outline.describe(old, "links")
    after = model_outline.describe(new, "rechts")
    old_by_id = {e.id: e for e in before}
    pairs: dict[str, Element] = {e.id: old_by_id[e.id] for e in after if e.id in old_by_id}
    unmatched_old = [e for e in before if e.id not in {n.id for n in after}]
    for element in after:
        if element.id in pairs or element.kind in ("sequenceFlow", "rule"):
            continue
        twin = next((o for o in unmatched_old if o.kind == element.kind and o.name == element.name), None)
        if twin is not None and element.properties.get("name"):
            pairs[element.id] = twin
            unmatched_old.remove(twin)
    changes: list[ElementChange] = []
    for element in after:
        previous = pairs.get(element.id)
        if previous is None:
            changes.append(_change(element, None, "added", _fields({}, element.properties)))
            continue
        fields = _fields(previous.properties, element.properties)
        if fields:
            other = previous.id if previous.id != element.id else None
            changes.append(_change(element, other, "changed", fields))
    for element in unmatched_old:
        changes.append(_change(element, None, "removed", _fields(element.properties, {})))
    return changes


def _change(element: Element, other: str | None, change: str, fields: list[FieldChange]) -> ElementChange:
    return ElementChange(element.id, other, element.kind, element.kind_name, element.name, change, fields)


def _fields(before: dict[str, str], after: dict[str, str]) -> list[FieldChange]:
    keys = [k for k in PROPERTY_NAMES if k in before or k in after]
    return [
        FieldChange(key, PROPERTY_NAMES[key], before.get(key, ""), after.get(key, ""))
        for key in keys
        if before.get(key, "") != after.get(key, "")
    ]


def compare_versions(rt: Runtime, actor: Actor, region: str, old_id: int, new_id: int) -> Comparison:
    """Two versions of the region's models (any status). Raises NotFound, Forbidden, Invalid."""
    process_models.require_designer(actor, region)
    left, old = _version(rt, old_id, region, published_only=False)
    right, new = _version(rt, new_id, region, published_only=False)
    return Comparison(left, right, compare_texts(old, new))


def compare_with_region(
    rt: Runtime, actor: Actor, region: str, version_id: int, other_region: str, other_version_id: int
) -> Comparison:
    """One of the region's versions (right) against a published or retired version of another
    region (left). Raises NotFound (also for another region's draft), Forbidden, Invalid."""
    process_models.require_designer(actor, region)
    left, old = _version(rt, other_version_id, other_region, published_only=True)
    right, new = _version(rt, version_id, region, published_only=False)
    return Comparison(left, right, compare_texts(old, new))


def _version(rt: Runtime, version_id: int, region: str, *, published_only: bool) -> tuple[Side, str]:
    with rt.uow() as uow:
        row = uow.session.scalar(
            select(ModelVersion).where(ModelVersion.id == version_id, ModelVersion.region == region)
        )
        if row is None or (published_only and row.published_at is None):
            raise NotFound("Onbekende modelversie.", code="unknown_model")
        text = process_models.get_source(uow.session, region, version_id)
        side = Side(row.region, row.process_id, row.version, row.id, row.status)
    if not text.strip():
        raise Invalid("Deze versie heeft geen inhoud.", code="empty_model")
    return side, text


def comparable_source(rt: Runtime, actor: Actor, region: str, other_region: str, version_id: int) -> str:
    """The text of a version the region's designer may compare with: any of their own region's,
    or a published (or retired) one of another region. Raises NotFound, Forbidden."""
    process_models.require_designer(actor, region)
    _, text = _version(rt, version_id, other_region, published_only=other_region != region)
    return text
