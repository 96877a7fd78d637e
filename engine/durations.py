"""ISO 8601 durations with the same calendar arithmetic as SpiffWorkflow's timers, so that
'advance the clock by P3M' and 'a P3M timer' agree to the second."""

from __future__ import annotations

from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.errors import Invalid


def parse_duration(text: str) -> dict[str, float]:
    """Raises Invalid for anything but an ISO 8601 duration such as P3M, P5D or PT2H."""
    if not isinstance(text, str) or not text.upper().startswith("P") or len(text) < 3:
        raise Invalid(f"Ongeldige duur: {text!r} (verwacht ISO 8601, bijvoorbeeld P3M).", code="bad_duration")
    try:
        parsed: dict[str, float] = TimerEventDefinition.parse_iso_duration(text)
    except Exception as error:  # Spiff raises a bare Exception for a bad duration
        raise Invalid(
            f"Ongeldige duur: {text!r} (verwacht ISO 8601, bijvoorbeeld P3M).", code="bad_duration"
        ) from error
    if not parsed:
        raise Invalid(f"Ongeldige duur: {text!r}.", code="bad_duration")
    return parsed


def add_duration(start: datetime, text: str) -> datetime:
    """Raises Invalid for a bad duration or one that runs past the year 9999."""
    parsed = parse_duration(text)
    try:
        delta: timedelta = TimerEventDefinition.get_timedelta_from_start(parsed, start)
        return start + delta
    except (OverflowError, ValueError) as error:
        raise Invalid(f"Duur {text!r} valt buiten de kalender.", code="bad_duration") from error


def is_timer_text(kind: str, text: str) -> bool:
    """Whether SpiffWorkflow can read this text as a timeDate or timeCycle (ISO 8601)."""
    try:
        if kind == "timeDate":
            TimerEventDefinition.get_datetime(text)
        else:
            TimerEventDefinition.parse_iso_recurring_interval(text)
    except Exception:  # noqa: BLE001 - Spiff raises bare exceptions for bad ISO texts
        return False
    return True


def as_timer_expression(text: str) -> str:
    """Camunda Modeler writes timer texts bare (P5D, R3/PT1H, 2026-03-01T09:00:00Z); our engine
    evaluates timer texts as Python expressions ("P5D" with quotes). A bare ISO 8601 text becomes
    its quoted literal; any other text is returned unchanged."""
    stripped = text.strip()
    if not stripped or stripped[0] in "\"'" or " " in stripped:
        return text
    if stripped.upper().startswith("P"):
        try:
            parse_duration(stripped)
        except Invalid:
            return text
        return f'"{stripped}"'
    if is_timer_text("timeCycle", stripped) or (
        stripped[:1].isdigit() and is_timer_text("timeDate", stripped)
    ):
        return f'"{stripped}"'
    return text
