"""The `mda` console script: the engine's commands plus `serve`, which needs the web app.

`mda serve` runs gunicorn (a production WSGI server that forks worker processes; threaded workers,
so keep-alive connections and slow clients do not block a process). Each worker builds its own
runtime after the fork (database connections are never shared across processes) and runs the
timer sweep's schedule: any number of sweeping processes keep timers exactly-once (the sweep claims
cases with FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has a single writer).

Sizes: one process per core (Python runs one thread at a time per process); 8 threads per process,
enough to keep a core busy while the others wait for the database; each process's connection pool
(10 kept open, see engine.storage.db.POOL_SIZE, and up to 20) covers those threads, as a request
holds one connection at a time (two while it reads the simulated clock), plus the sweep's."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from typing import Any

from engine import cli as engine_cli
from engine.runtime import Runtime, build_runtime

GRACEFUL_STOP_SECONDS = 10


def _configure_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=8, help="threads per process")
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="worker processes (default MDA_WEB_PROCESSES, else the number of cores)",
    )


def serve(rt: Runtime, args: argparse.Namespace) -> int:
    """The web app under gunicorn, with the sweep's schedule in every worker."""
    from gunicorn.app.base import BaseApplication

    processes = args.processes or rt.settings.web_processes or os.cpu_count() or 1
    settings = rt.settings
    rt.db.dispose()  # the workers connect after the fork, each on its own

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": f"{args.host}:{args.port}",
                "workers": max(1, processes),
                "worker_class": "gthread",
                "threads": max(1, args.threads),
                "accesslog": None,
                # A stop (SIGTERM) lets running requests and a running sweep finish, but not for
                # gunicorn's default 30 s: a sweep killed halfway rolls back and runs again.
                "graceful_timeout": GRACEFUL_STOP_SECONDS,
                "post_worker_init": _start_schedule,
                "worker_exit": _stop_schedule,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from web import create_app

            return create_app(build_runtime(settings))

    print(f"MDA++ Flow op http://{args.host}:{args.port} ({processes} processen)", flush=True)
    Server().run()
    return 0


def _start_schedule(worker: Any) -> None:
    rt: Runtime = worker.wsgi.extensions["mda_runtime"]
    worker.mda_schedule = engine_cli.start_scheduler(rt)


def _stop_schedule(_server: Any, worker: Any) -> None:
    schedule = getattr(worker, "mda_schedule", None)
    if schedule is not None:
        schedule.shutdown(wait=False)


EXTRA: dict[str, engine_cli.ExtraCommand] = {"serve": (_configure_serve, serve)}


def build_parser() -> argparse.ArgumentParser:
    """The whole `mda` command line, as the contract test reads it."""
    return engine_cli.build_parser(EXTRA)


def main(argv: Sequence[str] | None = None) -> int:
    return engine_cli.main(argv, extra=EXTRA)
