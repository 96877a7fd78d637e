"""ISO 8601 durations with the same calendar arithmetic as SpiffWorkflow's timers, so that
'advance the clock by P3M' and 'a P3M timer' agree to the second."""

from __future__ import annotations

from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.errors import Invalid

# Spiff computes a duration month by month from its start (timer.py, get_timedelta_from_start):
# P99999999999Y would loop for hours. Nothing past the calendar's year 9999 can be a due moment.
MAX_CALENDAR_MONTHS = 12 * 10_000


def parse_duration(text: str) -> dict[str, float]:
    """Raises Invalid for anything but an ISO 8601 duration such as P3M, P5D or PT2H, and for one
    that runs past the calendar."""
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
    if duration_days(parsed) > MAX_CALENDAR_MONTHS * 31:
        raise Invalid(f"Duur {text!r} valt buiten de kalender.", code="bad_duration")
    return parsed


def duration_days(parsed: dict[str, float]) -> float:
    """About how many days a parsed duration spans (a year 365.25 days, a month 31 at most)."""
    seconds = parsed.get("hours", 0) * 3600 + parsed.get("minutes", 0) * 60 + parsed.get("seconds", 0)
    return (
        parsed.get("years", 0) * 365.25 + parsed.get("months", 0) * 31 + parsed.get("weeks", 0) * 7
        + parsed.get("days", 0) + seconds / 86_400
    )  # fmt: skip


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


def timer_problem(kind: str, value: object, max_days: float) -> str | None:
    """Why a timer expression's value cannot be scheduled (None when it can): not text, not ISO
    8601 for its kind (timeDuration, timeDate, timeCycle), or further away than `max_days`."""
    if not isinstance(value, str):
        return f"de tijdsexpressie geeft geen tekst maar {type(value).__name__}"
    if kind == "timeDate":
        if not is_timer_text(kind, value):
            return f"ongeldige tijdsexpressie '{value}' voor {kind}"
        if TimerEventDefinition.get_datetime(value).year > 2200:
            return f"tijdstip '{value}' ligt na 2200"
        return None
    durations = (
        [value] if kind == "timeDuration" else [p for p in value.split("/") if p.upper().startswith("P")]
    )
    for text in durations:
        try:
            days = duration_days(parse_duration(text))
        except Invalid as error:
            return error.message
        if days > max_days:
            return f"duur '{text}' is langer dan {max_days:g} dagen"
    if kind == "timeCycle" and not is_timer_text(kind, value):
        return f"ongeldige tijdsexpressie '{value}' voor {kind}"
    return None


def as_timer_expression(text: str) -> str:
    """Camunda Modeler writes timer texts bare (P5D, R3/PT1H, 2026-03-01T09:00:00Z); our engine
    evaluates timer texts as Python expressions ("P5D" with quotes). A bare ISO 8601 text becomes
    its quoted literal; any other text is returned unchanged."""
    stripped = text.strip()
    if not stripped or stripped[0] in "\"'" or " " in stripped:
        return text
    if stripped.upper().startswith("P"):
        try:  # the shape only: a duration too long for the calendar is quoted too, then refused
            shaped = TimerEventDefinition.parse_iso_duration(stripped)
        except Exception:  # noqa: BLE001 - Spiff raises bare exceptions for bad ISO texts
            return text
        return f'"{stripped}"' if shaped and len(stripped) > 2 else text
    if is_timer_text("timeCycle", stripped) or (
        stripped[:1].isdigit() and is_timer_text("timeDate", stripped)
    ):
        return f'"{stripped}"'
    return text
