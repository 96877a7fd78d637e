"""The calendar functions models use for durations taken from the case (engine/script_calendar.py):
they read the engine's clock, count whole calendar months, and never fail on bad data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engine.scripting import make_script_engine
from engine.workflow import use_clock


@pytest.mark.parametrize(
    ("start", "today", "months"),
    [
        ("2026-01-15", datetime(2027, 1, 15, 9, tzinfo=UTC), 12),
        ("2026-01-15", datetime(2027, 1, 14, 23, tzinfo=UTC), 11),
        ("2026-01-31", datetime(2026, 2, 28, 9, tzinfo=UTC), 0),
        ("2026-03-01", datetime(2026, 2, 1, 9, tzinfo=UTC), 0),  # a date in the future
        (None, datetime(2026, 2, 1, 9, tzinfo=UTC), 0),
        ("gisteren", datetime(2026, 2, 1, 9, tzinfo=UTC), 0),
    ],
)
def test_months_since_a_date_on_the_engine_clock(start: object, today: datetime, months: int) -> None:
    engine = make_script_engine()
    with use_clock(today):
        assert engine.environment.evaluate("maanden_sinds(begin)", {"begin": start}) == months
        assert engine.environment.evaluate("vandaag()", {}) == today.date().isoformat()


def test_a_script_records_today_as_plain_data() -> None:
    engine = make_script_engine()
    data: dict[str, object] = {}
    with use_clock(datetime(2026, 6, 1, 12, tzinfo=UTC)):
        engine.environment.execute("traject_start = vandaag()", data)
    assert data == {"traject_start": "2026-06-01"}
