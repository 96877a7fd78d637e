"""The `mda` console script: the engine's commands plus `serve`, which needs the web app."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from engine import cli as engine_cli
from engine.runtime import Runtime


def _configure_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=8)


def serve(rt: Runtime, args: argparse.Namespace) -> int:
    """The web app under waitress (a production WSGI server) with the in-process scheduler."""
    from waitress import serve as waitress_serve

    from web import create_app

    app = create_app(rt)
    scheduler = engine_cli.start_scheduler(rt)
    try:
        print(f"MDA++ Flow op http://{args.host}:{args.port}", flush=True)
        waitress_serve(app, host=args.host, port=args.port, threads=args.threads)
    finally:
        scheduler.shutdown(wait=False)
    return 0


EXTRA: dict[str, engine_cli.ExtraCommand] = {"serve": (_configure_serve, serve)}


def build_parser() -> argparse.ArgumentParser:
    """The whole `mda` command line, as the contract test reads it."""
    return engine_cli.build_parser(EXTRA)


def main(argv: Sequence[str] | None = None) -> int:
    return engine_cli.main(argv, extra=EXTRA)
