"""Helpers for tests that run `mda` processes of their own (workers, servers, the CLI)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence

import pytest

from config.settings import PROJECT_ROOT

MDA = PROJECT_ROOT / ".venv" / "bin" / "mda"  # the command line, as `make` installs it
# Tests of several processes on one database need a server that several can share.
needs_postgresql = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
)


def stop_workers(workers: Sequence[subprocess.Popen[bytes]]) -> None:
    """Ask every live worker to stop (SIGTERM), then kill any that does not within 30 s."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
