"""Stuck-case rules per region: the defaults of config/monitoring.py overlaid with what the
region's coordinator set in the database. Saving a rule never touches another region's rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.monitoring import RULE_KINDS, RULE_LABELS
from engine import access, audit
from engine.errors import Invalid
from engine.model_checks import PHASES
from engine.runtime import Actor, Runtime
from engine.storage.tables import StuckRule

MAX_DAYS = 3650


@dataclass(frozen=True)
class Rule:
    kind: str
    subject: str
    days: int
    is_active: bool
    is_default: bool

    @property
    def label(self) -> str:
        base = RULE_LABELS[self.kind]
        return f"{base}: {self.subject}" if self.subject else base


def effective_rules(rt: Runtime, session: Session, region: str) -> list[Rule]:
    """The region's rules in force (inactive ones included, marked), defaults first."""
    rows = session.scalars(select(StuckRule).where(StuckRule.region == region)).all()
    stored = {(r.kind, r.subject): r for r in rows}
    rules = []
    for (kind, subject), days in rt.settings.monitoring.default_rules.items():
        row = stored.pop((kind, subject), None)
        if row is None:
            rules.append(Rule(kind, subject, days, True, True))
        else:
            rules.append(Rule(kind, subject, row.days, row.is_active, False))
    rules += [Rule(r.kind, r.subject, r.days, r.is_active, False) for r in stored.values()]
    return sorted(rules, key=lambda r: (RULE_KINDS.index(r.kind), r.subject))


def list_rules(rt: Runtime, actor: Actor, region: str) -> list[Rule]:
    """Raises Forbidden (not the region's coordinator)."""
    access.require_monitor_region(actor, region)
    with rt.uow() as uow:
        return effective_rules(rt, uow.session, region)


def save_rule(rt: Runtime, actor: Actor, region: str, values: dict[str, Any]) -> Rule:
    """Set one rule of the region (kind, subject, days, is_active). Raises Forbidden, Invalid."""
    access.require_monitor_region(actor, region, "act_on_stuck")
    kind, subject = values.get("kind"), values.get("subject") or ""
    days, is_active = values.get("days"), values.get("is_active", True)
    problems: dict[str, list[str]] = {}
    if kind not in RULE_KINDS:
        problems["kind"] = [f"Kies een van: {', '.join(RULE_KINDS)}."]
    elif kind == "phase_too_long" and subject not in PHASES:
        problems["subject"] = [f"Kies een fase: {', '.join(PHASES)}."]
    elif kind == "element_wait" and not (isinstance(subject, str) and 0 < len(subject) <= 120):
        problems["subject"] = ["Geef het id van de processtap (BPMN-element)."]
    elif kind not in ("phase_too_long", "element_wait") and subject:
        problems["subject"] = ["Deze regel gaat niet over een fase of processtap."]
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_DAYS:
        problems["days"] = [f"Een geheel aantal dagen van 0 tot {MAX_DAYS}."]
    if not isinstance(is_active, bool):
        problems["is_active"] = ["Waar of onwaar."]
    if problems:
        raise Invalid("De regel is niet goed ingevuld.", code="invalid_rule", details=problems)
    assert isinstance(kind, str) and isinstance(days, int)
    now = rt.clock.now()
    with rt.uow() as uow:
        row = uow.session.scalar(
            select(StuckRule).where(
                StuckRule.region == region, StuckRule.kind == kind, StuckRule.subject == subject
            )
        )
        if row is None:
            row = StuckRule(region=region, kind=kind, subject=subject, days=days, updated_at=now)
            uow.session.add(row)
        row.days, row.is_active, row.updated_by, row.updated_at = days, is_active, actor.user_id, now
        audit.record(uow.session, now, actor, None, "stuck_rule_saved",
                     data={"region": region, "kind": kind, "subject": subject, "days": days,
                           "is_active": is_active})  # fmt: skip
        uow.commit()
    return Rule(kind, subject, days, is_active, False)
