"""One sweeping process for the three-worker bench: imports and connects, says 'ready', waits for
'go' on stdin, runs one sweep (until nothing is due) and prints what it advanced."""

from __future__ import annotations

import sys

from config.settings import from_env
from engine import timers
from engine.runtime import build_runtime


def main() -> int:
    rt = build_runtime(from_env())
    print("ready", flush=True)
    sys.stdin.readline()
    result = timers.run_due(rt)
    print(
        f"advanced={result.cases_advanced} conflicts={result.conflicts} errors={len(result.errors)}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
