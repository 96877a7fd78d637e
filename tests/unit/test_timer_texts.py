"""Camunda Modeler writes timer texts bare; our engine evaluates Python expressions. Only a bare
ISO 8601 text is quoted; expressions and quoted literals stay exactly as written."""

from __future__ import annotations

import pytest

from engine.durations import as_timer_expression


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P5D", '"P5D"'),
        ("  PT2H ", '"PT2H"'),
        ("R3/PT1H", '"R3/PT1H"'),
        ("2026-03-01T09:00:00+00:00", '"2026-03-01T09:00:00+00:00"'),
        ('"P5D"', '"P5D"'),
        ("interval", "interval"),
        ('"P6M" if ernst == "laag" else "P3M"', '"P6M" if ernst == "laag" else "P3M"'),
        ("PX", "PX"),
        ("", ""),
    ],
)
def test_only_a_bare_iso_text_becomes_a_quoted_literal(text: str, expected: str) -> None:
    assert as_timer_expression(text) == expected
