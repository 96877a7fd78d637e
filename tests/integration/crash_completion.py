"""Run by test_crash_consistency in a process of its own: complete one task and SIGKILL this very
process at a chosen moment of the completion's transaction, as a power cut would.

    python -m tests.integration.crash_completion DATABASE_URL TASK_ID USERNAME MOMENT

MOMENT: first_flush (the first write went to the database), case_flush (the case row's UPDATE went
to it: on PostgreSQL in the pipeline with COMMIT, on SQLite in the flush), before_commit,
after_commit. Exits 3 if the moment never came.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

from sqlalchemy import event

from engine import accounts, tasks
from engine.runtime import Runtime, build_runtime
from tests.conftest import TEST_MODELS, settings_for

MOMENTS = ("first_flush", "case_flush", "before_commit", "after_commit")


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def install(rt: Runtime, moment: str) -> None:
    if moment in ("first_flush", "case_flush"):

        @event.listens_for(rt.db, "after_cursor_execute")
        def after_write(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
            # on PostgreSQL an UPDATE checks its row: WITH changed AS (UPDATE ...) SELECT ...
            written = " ".join(statement.upper().split()).removeprefix("WITH CHANGED AS (")
            if written.startswith("UPDATE CASES") or (
                moment == "first_flush" and written.startswith(("INSERT", "UPDATE", "DELETE"))
            ):
                die()

    else:
        event.listen(rt.session_factory, moment, lambda _session: die())


def main(url: str, task_id: str, username: str, moment: str) -> int:
    if moment not in MOMENTS:
        raise SystemExit(f"unknown moment {moment!r}; one of {MOMENTS}")
    rt = build_runtime(settings_for(url, TEST_MODELS))
    actor = accounts.actor_by_username(rt, username)
    install(rt, moment)
    tasks.complete(rt, actor, task_id, json.loads(os.environ.get("CRASH_DATA", "{}")))
    return 3


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
