"""Run every benchmark on a fresh SQLite database (and PostgreSQL when BENCH_DATABASE_URL is set)
and write bench/results.json. Figures are medians over repeats; compare ratios, not seconds."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import designer, pages, scenarios
from config.settings import PROJECT_ROOT, Settings
from engine.runtime import Runtime, build_runtime
from engine.setup import prepare_database

RESULTS = Path(__file__).parent / "results.json"


def median_ms(action: Callable[[], Any], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


def make_runtime(url: str, library: bool) -> Runtime:
    if library:
        models = (PROJECT_ROOT / "workflows", PROJECT_ROOT / "forms" / "definitions")
    else:
        fixtures = PROJECT_ROOT / "tests" / "fixtures"
        models = (fixtures / "workflows", fixtures / "forms")
    settings = Settings(
        database_url=url, env="test", clock_mode="simulated", workflows_dir=models[0], forms_dir=models[1]
    )
    rt = build_runtime(settings)
    prepare_database(rt, demo=True)
    return rt


def postgres_database(server_url: str, label: str = "") -> tuple[str, Callable[[], None]]:
    server = make_url(server_url)
    name = f"mda_bench_{label}{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    results: dict[str, Any] = {"python": sys.version.split()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("sqlite", f"sqlite:///{tmp}/bench.db", None)]
        if os.environ.get("BENCH_DATABASE_URL"):
            url, drop = postgres_database(os.environ["BENCH_DATABASE_URL"])
            targets.append(("postgresql", url, drop))
        for name, url, drop in targets:
            rt = make_runtime(url, library=False)
            try:
                results[name] = scenarios.run_all(rt, median_ms)
            finally:
                rt.db.dispose()
                if drop:
                    drop()
            library_url, drop = (
                (f"sqlite:///{tmp}/bench-library.db", None)
                if name == "sqlite"
                else postgres_database(os.environ["BENCH_DATABASE_URL"], "library_")
            )
            rt = make_runtime(library_url, library=True)
            try:
                results[name]["library_five_year_case"] = scenarios.run_library(rt, median_ms)
                results[name].update(pages.run(rt))  # page_inbox_p95_ms, page_case_file_p95_ms
                results[name]["designer"] = designer.run(rt, median_ms)  # issue 11
            finally:
                rt.db.dispose()
                if drop:
                    drop()
    RESULTS.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
