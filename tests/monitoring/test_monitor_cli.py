"""`mda timers run-due` runs the escalation ladder and mails its notices (CONTRACT §2), and
`mda users email` sets where a person's notices are mailed; real subprocesses, a real SMTP server."""

from __future__ import annotations

import subprocess

from engine import accounts
from tests.factories import complete_open, start_test_case
from tests.integration.test_cli import MDA, Cli
from tests.monitoring.conftest import Inbox


def run_due(cli: Cli, smtp_port: int) -> subprocess.CompletedProcess[str]:
    env = cli.env() | {"MDA_SMTP_HOST": "127.0.0.1", "MDA_SMTP_PORT": str(smtp_port)}
    command = [str(MDA), "timers", "run-due"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_run_due_takes_the_due_ladder_steps_and_mails_them_once(cli: Cli, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    rt = cli.runtime()
    for role in ("aanmelder", "veilig_thuis", "procesregisseur"):
        accounts.add_user(rt, f"utrecht.{role}", role=role, region="utrecht")
    assert cli("users", "email", "utrecht.procesregisseur", "pr@mda.test").returncode == 0
    refused = cli("users", "email", "utrecht.procesregisseur", "geen adres")
    assert refused.returncode == 2 and "Geen geldig e-mailadres" in refused.stderr
    case = start_test_case(rt)
    complete_open(rt, case.id, "triage")
    assert cli("clock", "advance", "P31D").returncode == 0

    first = run_due(cli, port)
    assert first.returncode == 0, first.stderr
    assert "escalaties: 1 geopend, 1 stap(pen), 0 opgelost, 1 e-mail(s) verstuurd" in first.stdout
    again = run_due(cli, port)
    assert "escalaties: 0 geopend, 0 stap(pen), 0 opgelost, 0 e-mail(s) verstuurd" in again.stdout
    assert [m["To"] for m in inbox.messages] == ["pr@mda.test"]
    rt.db.dispose()
