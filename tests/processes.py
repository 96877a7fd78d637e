"""Helpers for tests that run `mda worker` processes of their own."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Sequence


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
