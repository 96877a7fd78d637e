"""`make fuzz`: schemathesis against the served API with a valid Bearer token. Builds a fresh
database with the test model set, the demo users and a few cases in different states, serves
create_app(rt) on a free local port and runs `schemathesis run` on its openapi.json. Passes only
with zero server errors and zero responses that break the documented schemas.

    python -m tests.fuzz_api [--max-examples N] [--seed S] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from engine import accounts, process_models
from engine.runtime import SYSTEM, Runtime, build_runtime
from engine.setup import prepare_database
from engine.storage.tables import Task
from tests.api.conftest import serving
from tests.conftest import TEST_MODELS, settings_for
from tests.factories import complete_open, start_test_case, walk_to_monitoring
from web import create_app

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"
FUZZ_ROLES = ("beheerder", "procesontwerper", "coordinator", "aanmelder", "veilig_thuis", "procesregisseur")


def prepare(url: str) -> tuple[Runtime, str, dict[str, list[object]]]:
    rt = build_runtime(settings_for(url, TEST_MODELS))
    prepare_database(rt, demo=True)
    for role in FUZZ_ROLES:  # one person with many roles reaches most success paths
        accounts.add_user(rt, "fuzz.gebruiker", role=role, region="utrecht", password="fuzz-wachtwoord")
    cases = [start_test_case(rt).id, start_test_case(rt).id, start_test_case(rt).id]
    walk_to_monitoring(rt, cases[1])
    complete_open(rt, cases[2], "triage")
    with rt.uow() as uow:
        task_ids = list(uow.session.scalars(select(Task.id).where(Task.status == "open")))
    versions = [v.id for v in process_models.region_versions(rt, SYSTEM, "utrecht")]
    known = {"case_ids": cases, "task_ids": task_ids, "version_ids": versions,
             "usernames": ["utrecht.veilig_thuis", "utrecht.procesregisseur", "fuzz.gebruiker"]}  # fmt: skip
    return rt, accounts.create_token(rt, "fuzz.gebruiker", "fuzz"), known


def config(known: dict[str, list[object]]) -> str:
    """A schemathesis.toml that draws ids from the rows that exist half of the time, so the
    generated requests reach the engine and not only its 404s."""
    lines = []
    for name, values in known.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    bindings = {"path.case_id": "case_ids", "path.task_id": "task_ids", "path.version_id": "version_ids",
                "body.version_id": "version_ids", "body.username": "usernames"}  # fmt: skip
    lines.append("[parameters]")
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}' for key, name in bindings.items()]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="mda-fuzz-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'fuzz.db'}"
        rt, token, known = prepare(url)
        report = Path(tmp) / "report"
        config_file = Path(tmp) / "schemathesis.toml"
        config_file.write_text(config(known), encoding="utf-8")
        with serving(create_app(rt)) as base:
            command = [
                str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config_file),
                "run", f"{base}/api/v1/openapi.json",
                "--header", f"Authorization: Bearer {token}", "--checks", CHECKS,
                "--phases", "examples,coverage,fuzzing", "--max-examples", str(args.max_examples),
                "--seed", str(args.seed), "--workers", "1", "--request-timeout", "30",
                "--suppress-health-check", "all", "--report", "ndjson", "--report-dir", str(report),
                "--output-truncate", "true",
            ]  # fmt: skip
            result = subprocess.run(command, check=False, cwd=tmp)  # its cache stays in tmp
        rt.db.dispose()
        print(summary(report))
    return result.returncode


def summary(report: Path) -> str:
    """Requests sent and status codes received, from schemathesis' ndjson event stream."""
    statuses: Counter[int] = Counter()
    for path in report.glob("*.ndjson"):
        for line in path.read_text(encoding="utf-8").splitlines():
            _count_statuses(json.loads(line), statuses)
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    by_status = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
    return f"fuzz: {sum(statuses.values())} requests, {server_errors} with 5xx ({by_status})"


def _count_statuses(event: object, statuses: Counter[int]) -> None:
    if isinstance(event, dict):
        response = event.get("response")
        if isinstance(response, dict) and isinstance(response.get("status_code"), int):
            statuses[response["status_code"]] += 1
        for key, value in event.items():
            if key != "response":
                _count_statuses(value, statuses)
    elif isinstance(event, list):
        for item in event:
            _count_statuses(item, statuses)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20260105)
    parser.add_argument("--database-url", help="defaults to a fresh SQLite file")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
