"""Recording the SQL a piece of code sends (tests that count statements)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from engine.runtime import Runtime


@contextmanager
def statements(rt: Runtime) -> Iterator[list[str]]:
    """The SQL statements sent meanwhile (not SQLite's BEGIN, nor a pool's liveness ping)."""
    sent: list[str] = []

    def note(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):
            sent.append(args[2])

    event.listen(rt.db, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(rt.db, "before_cursor_execute", note)


def starting_with(sent: list[str], prefix: str) -> list[str]:
    return [statement for statement in sent if statement.lstrip().upper().startswith(prefix)]
