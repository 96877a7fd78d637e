"""`make bench`: every measure of issue 13 beside its anchor, written to bench/results.json.

SQLite always (keys without suffix); with BENCH_DATABASE_URL (a PostgreSQL server URL) also the
completion and list measures on PostgreSQL (`_pg` keys), and the timer sweeps, the three-worker
exactly-once check, the timer latency and HTTP run there (PostgreSQL is what scales out; without
it they run on SQLite and `timers_fired_exactly_once` is false: it needs PostgreSQL).
Figures are medians / 95th percentiles over repeated rounds; compare ratios, not seconds."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import bulk, designer, http, monitor, pages, scenarios, timers
from bench.stats import p50, timings_ms
from config.settings import PROJECT_ROOT, Settings
from engine.runtime import Runtime, build_runtime
from engine.setup import prepare_database

RESULTS = Path(__file__).parent / "results.json"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
TEST_MODELS = (FIXTURES / "workflows", FIXTURES / "forms")
LIBRARY = (PROJECT_ROOT / "workflows", PROJECT_ROOT / "forms" / "definitions")


def median_ms(action: Callable[[], Any], repeat: int) -> float:
    """The median of `repeat` timings in ms (the other helpers' benchmarks take it)."""
    return p50(timings_ms(action, repeat))


def _suffixed(found: dict[str, Any], suffix: str) -> dict[str, Any]:
    return {key + suffix: value for key, value in found.items()}


def make_runtime(url: str, models: tuple[Path, Path], clock: str = "simulated") -> Runtime:
    settings = Settings(
        database_url=url, env="test", clock_mode=clock, workflows_dir=models[0], forms_dir=models[1]
    )
    rt = build_runtime(settings)
    prepare_database(rt, demo=True)
    return rt


class Databases:
    """Fresh databases per measure: SQLite files in a temporary folder, PostgreSQL databases on
    the BENCH_DATABASE_URL server (dropped afterwards)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.server = os.environ.get("BENCH_DATABASE_URL") or ""
        self.count = 0

    @contextmanager
    def runtime(
        self, kind: str, models: tuple[Path, Path] = TEST_MODELS, clock: str = "simulated"
    ) -> Iterator[Runtime]:
        self.count += 1
        drop: Callable[[], None] | None = None
        if kind == "sqlite":
            url = f"sqlite:///{self.tmp}/bench-{self.count}.db"
        else:
            url, drop = postgres_database(self.server, f"{self.count}_")
        rt = make_runtime(url, models, clock)
        try:
            yield rt
        finally:
            rt.db.dispose()
            if drop:
                drop()


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


ONLY = [stage for stage in os.environ.get("BENCH_ONLY", "").split(",") if stage]  # rerun some stages


def timed(label: str, results: dict[str, Any], action: Callable[[], dict[str, Any]]) -> None:
    """Run one stage, note its duration, and write what is known so far (a long run that is
    stopped still leaves its finished stages)."""
    if ONLY and label not in ONLY:
        return
    os.sync()  # a previous stage's data (100,000 rows) still being written out would slow a COMMIT
    started = time.perf_counter()
    results.update(action())
    results["bench_seconds"][label] = round(time.perf_counter() - started, 1)
    print(f"[bench] {label}: {results['bench_seconds'][label]} s", file=sys.stderr, flush=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def main() -> int:
    results: dict[str, Any] = {
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "bench_seconds": {},
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        dbs = Databases(tmp)
        kinds = ["sqlite"] + (["postgresql"] if dbs.server else [])
        for kind in kinds:
            suffix = "" if kind == "sqlite" else "_pg"
            with dbs.runtime(kind, clock="system") as rt:  # as in production: no clock row to read
                timed(f"completion{suffix}", results, lambda s=suffix: scenarios.completion(rt, s))
            with dbs.runtime(kind) as small, dbs.runtime(kind) as large:
                timed(f"lists{suffix}", results, lambda s=suffix: scenarios.lists(small, large, s))
        with dbs.runtime("sqlite", LIBRARY) as rt:
            timed("case_state", results, lambda: scenarios.case_state(rt, ""))
        for kind in kinds:  # issue 9: server time of the inbox and case-file pages at 10,000 cases
            suffix = "" if kind == "sqlite" else "_pg"
            with dbs.runtime(kind, LIBRARY) as rt:
                timed(f"pages{suffix}", results, lambda s=suffix: _suffixed(pages.run(rt), s))
                timed(
                    f"designer{suffix}",
                    results,
                    lambda s=suffix: {"designer" + s: designer.run(rt, median_ms)},
                )
            with dbs.runtime(kind) as rt:  # issue 12: the coordinator's dashboard at 10,000 cases
                timed(
                    f"monitor{suffix}",
                    results,
                    lambda s=suffix: {"monitor" + s: monitor.metrics_10k(rt, median_ms)},
                )
        scale = kinds[-1]  # PostgreSQL when there is one
        results["timer_and_http_database"] = scale
        with dbs.runtime(scale) as rt:
            timed("timer_sweep", results, lambda: timers.sweep_one_worker(rt, ""))
        if scale == "postgresql":
            with dbs.runtime(scale) as rt:
                env = timers.worker_env(rt.settings.database_url, TEST_MODELS)
                timed("timer_sweep_3workers", results, lambda: timers.sweep_three_workers(rt, "", env))
        else:
            results["timers_fired_exactly_once"] = False
            results["timers_fired_exactly_once_note"] = "not measured: needs PostgreSQL (BENCH_DATABASE_URL)"
        with dbs.runtime(scale, clock="system") as rt:
            env = timers.worker_env(rt.settings.database_url, TEST_MODELS)
            timed("timer_latency", results, lambda: timers.latency(rt, env, tmp / "worker.log"))
        with dbs.runtime(scale, clock="system") as rt:  # as in production: no clock row to read
            env = timers.worker_env(rt.settings.database_url, TEST_MODELS, clock="system")
            version_id = scenarios.test_flow_version(rt)
            bulk.fill_list_cases(rt, 1, 2_000, version_id, rt.clock.now(), scenarios.bench_user(rt))
            timed("http", results, lambda: http.measure(rt, env, 10, tmp))  # case 10: Utrecht
    results["bench_seconds"]["total"] = round(time.perf_counter() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
