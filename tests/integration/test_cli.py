"""The `mda` console script (CONTRACT §2), run as a real subprocess against a SQLite database in
tmp_path with the test model set: exit 0 on success, a one-line error and a non-zero exit code
otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from config.settings import REGIONS
from engine import accounts, cases, sessions
from engine.runtime import Runtime, build_runtime
from engine.storage import tables
from tests.conftest import TEST_MODELS, settings_for
from tests.factories import open_tasks, start_test_case, walk_to_monitoring
from tests.integration import hostile_models, model_texts
from tests.processes import MDA

TEST_FLOW = TEST_MODELS[0] / "regions" / "utrecht" / "test_flow.bpmn"


@dataclass
class Cli:
    url: str

    def env(self, clock: str = "simulated") -> dict[str, str]:
        return dict(
            os.environ,
            DATABASE_URL=self.url,
            MDA_CLOCK=clock,
            MDA_WORKFLOWS_DIR=str(TEST_MODELS[0]),
            MDA_FORMS_DIR=str(TEST_MODELS[1]),
        )

    def __call__(
        self, *args: str, clock: str = "simulated", stdin: str = ""
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(MDA), *args], env=self.env(clock), input=stdin, capture_output=True, text=True, timeout=120
        )

    def runtime(self) -> Runtime:
        return build_runtime(settings_for(self.url, TEST_MODELS))


def fails_with_one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mda"), result.stderr
    return lines[0]


def model_files() -> int:
    """Versions `mda init` publishes from the test model set: common files in every region."""
    common = len(list((TEST_MODELS[0] / "common").glob("*.*")))
    own = sum(len(list(region.glob("*.*"))) for region in (TEST_MODELS[0] / "regions").iterdir())
    return common * len(REGIONS) + own


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    template = tmp_path_factory.mktemp("cli") / "template.db"
    result = Cli(f"sqlite:///{template}")("init")
    return template, result


@pytest.fixture
def cli(initialised: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> Iterator[Cli]:
    template, result = initialised
    assert result.returncode == 0, result.stderr
    shutil.copy(template, tmp_path / "mda.db")
    yield Cli(f"sqlite:///{tmp_path / 'mda.db'}")


def test_init_creates_the_schema_and_publishes_every_model_file(
    initialised: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    _, result = initialised
    assert result.returncode == 0, result.stderr
    assert f"{model_files()} modelversie(s) gepubliceerd" in result.stdout
    shutil.copy(initialised[0], tmp_path / "again.db")
    again = Cli(f"sqlite:///{tmp_path / 'again.db'}")("init")  # nothing changed: nothing new
    assert again.returncode == 0 and "0 modelversie(s) gepubliceerd" in again.stdout


def test_init_refuses_a_broken_workflows_directory_with_the_file_and_element(tmp_path: Path) -> None:
    workflows = tmp_path / "workflows"
    shutil.copytree(TEST_MODELS[0], workflows)
    (workflows / "regions" / "utrecht" / "kapot.bpmn").write_text(model_texts.with_user_task(lane="kok"))
    cli = Cli(f"sqlite:///{tmp_path / 'mda.db'}")
    env = cli.env() | {"MDA_WORKFLOWS_DIR": str(workflows)}
    result = subprocess.run([str(MDA), "init"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "kapot.bpmn" in result.stderr and "probe_lane" in result.stderr


def test_models_list_shows_every_version_of_a_region(cli: Cli) -> None:
    result = cli("models", "list", "--region", "utrecht")
    assert result.returncode == 0, result.stderr
    rows = {tuple(line.split("\t")[:4]) for line in result.stdout.splitlines()}
    assert ("utrecht", "test_flow", "v1", "published") in rows
    assert ("utrecht", "test_geschikt", "v1", "published") in rows
    assert ("utrecht", "test_interval", "v1", "published") in rows


def test_models_validate_accepts_a_good_file(cli: Cli) -> None:
    result = cli("models", "validate", str(TEST_FLOW))
    assert result.returncode == 0, result.stderr
    assert "test_flow" in result.stdout


def test_models_validate_names_the_elements_of_a_bad_file(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "slecht.bpmn"
    bad.write_text(model_texts.with_user_task(lane="kok", form_key="bestaat_niet"))
    result = cli("models", "validate", str(bad), "--region", "utrecht")
    assert result.returncode != 0
    assert result.stderr.startswith("mda: fout:")
    assert "probe_lane" in result.stderr and "probe_task" in result.stderr


def test_models_validate_refuses_a_sandbox_escape(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "boos.bpmn"
    bad.write_text(model_texts.with_script("__import__('os').system('touch /tmp/pwned')"))
    result = cli("models", "validate", str(bad))
    assert result.returncode != 0 and "probe_script" in result.stderr


def test_models_validate_of_a_missing_or_non_xml_file_fails_in_one_line(cli: Cli, tmp_path: Path) -> None:
    fails_with_one_line(cli("models", "validate", str(tmp_path / "bestaat-niet.bpmn")))
    binary = tmp_path / "plaatje.bpmn"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert cli("models", "validate", str(binary)).returncode != 0


def test_models_publish_makes_a_new_version(cli: Cli, tmp_path: Path) -> None:
    changed = tmp_path / "test_flow.bpmn"
    changed.write_text(TEST_FLOW.read_text(encoding="utf-8").replace("Triage uitvoeren", "Triage doen"))
    result = cli("models", "publish", "utrecht", str(changed))
    assert result.returncode == 0, result.stderr
    assert "versie 2" in result.stdout
    listed = cli("models", "list", "--region", "utrecht").stdout
    assert "test_flow\tv1\tretired" in listed and "test_flow\tv2\tpublished" in listed


def test_clock_show_advance_and_set_move_the_simulated_clock(cli: Cli) -> None:
    assert cli("clock", "show").stdout.strip() == "2026-01-05T09:00:00+00:00"
    assert cli("clock", "advance", "P3M").stdout.strip() == "2026-04-05T09:00:00+00:00"
    assert cli("clock", "set", "2027-01-01T01:00:00+01:00").stdout.strip() == "2027-01-01T00:00:00+00:00"
    shown = cli("clock", "show")
    assert (shown.returncode, shown.stdout.strip()) == (0, "2027-01-01T00:00:00+00:00")


@pytest.mark.parametrize(
    "args",
    [("clock", "advance", "P3X"), ("clock", "set", "morgen"), ("clock", "set", "2020-01-01T00:00:00+00:00")],
    ids=["bad-duration", "bad-moment", "backwards"],
)
def test_clock_refuses_bad_values_in_one_line(cli: Cli, args: tuple[str, ...]) -> None:
    fails_with_one_line(cli(*args))
    assert cli("clock", "show").stdout.strip() == "2026-01-05T09:00:00+00:00"


def test_clock_changes_are_refused_when_the_clock_is_not_simulated(cli: Cli) -> None:
    for args in (("clock", "advance", "P3M"), ("clock", "set", "2027-01-01T00:00:00+00:00")):
        line = fails_with_one_line(cli(*args, clock="system"))
        assert "MDA_CLOCK=simulated" in line
    assert cli("clock", "show", clock="system").returncode == 0
    assert cli("clock", "show").stdout.strip() == "2026-01-05T09:00:00+00:00"  # untouched


def test_users_add_and_token_make_a_working_account(cli: Cli) -> None:
    added = cli(
        "users", "add", "jan.jansen", "--role", "casusregisseur", "--region", "utrecht", "--org", "VT"
    )
    assert added.returncode == 0, added.stderr
    assert "utrecht/casusregisseur" in added.stdout
    more = cli(
        "users",
        "add",
        "jan.jansen",
        "--role",
        "teamlid",
        "--region",
        "zeeland",
        "--password-stdin",
        stdin="geheim\n",
    )
    assert more.returncode == 0, more.stderr

    token = cli("users", "token", "jan.jansen")
    assert token.returncode == 0, token.stderr
    rt = cli.runtime()
    try:
        actor = accounts.actor_for_token(rt, token.stdout.strip())
        assert actor is not None and actor.username == "jan.jansen"
        assert actor.roles == {("utrecht", "casusregisseur"), ("zeeland", "teamlid")}
        assert accounts.authenticate(rt, "jan.jansen", "geheim", "127.0.0.1").user_id == actor.user_id
    finally:
        rt.db.dispose()


@pytest.mark.parametrize(
    "command",
    [("users", "revoke-tokens"), ("users", "set-password"), ("users", "deactivate")],
    ids=lambda command: command[1],
)
def test_users_commands_that_end_every_session_of_the_person(cli: Cli, command: tuple[str, ...]) -> None:
    rt = cli.runtime()
    try:
        accounts.add_user(rt, "kees", role="teamlid", region="utrecht", password="oud wachtwoord")
        accounts.add_user(rt, "anna", role="coordinator", region="utrecht")
        actor = accounts.actor_by_username(rt, "kees")
        secret = sessions.start_session(rt, actor)
        bystander = sessions.start_session(rt, accounts.actor_by_username(rt, "anna"))
        result = cli(*command, "kees", stdin="nieuw wachtwoord\n")
        assert result.returncode == 0, result.stderr
        assert sessions.session_actor(rt, secret) is None
        assert sessions.session_actor(rt, bystander) is not None
        if command[1] == "set-password":
            assert accounts.authenticate(rt, "kees", "nieuw wachtwoord", "127.0.0.1")
        if command[1] == "deactivate":
            with rt.uow() as uow:
                assert accounts.actor_for(uow.session, actor.user_id or 0) is None
            assert cli("users", "activate", "kees").returncode == 0
            assert accounts.authenticate(rt, "kees", "oud wachtwoord", "127.0.0.1")
    finally:
        rt.db.dispose()


@pytest.mark.parametrize(
    "args",
    [
        ("users", "add", "piet", "--role", "casusregisseur", "--region", "atlantis"),
        ("users", "add", "piet; drop", "--role", "casusregisseur", "--region", "utrecht"),
        ("users", "token", "bestaat.niet"),
        ("users", "deactivate", "bestaat.niet"),
    ],
    ids=["unknown-region", "bad-username", "unknown-user", "deactivate-unknown-user"],
)
def test_users_commands_refuse_bad_input_in_one_line(cli: Cli, args: tuple[str, ...]) -> None:
    fails_with_one_line(cli(*args))


def test_users_add_refuses_an_unknown_role(cli: Cli) -> None:
    result = cli("users", "add", "piet", "--role", "kok", "--region", "utrecht")
    assert result.returncode != 0 and "kok" in result.stderr


def test_timers_run_due_fires_due_timers_once(cli: Cli) -> None:
    rt = cli.runtime()
    try:
        accounts.create_demo_users(rt)
        case = start_test_case(rt)
        walk_to_monitoring(rt, case.id)
        early = cli("timers", "run-due")
        assert early.returncode == 0 and early.stdout.startswith("0 zaak/zaken bijgewerkt")

        rt.clock.advance("P3M")  # behind the CLI's back: only a sweep fires what came due
        fired = cli("timers", "run-due")
        again = cli("timers", "run-due")

        assert fired.returncode == 0 and fired.stdout.startswith("1 zaak/zaken bijgewerkt"), fired.stderr
        assert again.stdout.startswith("0 zaak/zaken bijgewerkt")
        assert [t.spec_id for t in open_tasks(rt, case.id)] == ["evaluatie"]
        history = cases.get_case(rt, accounts.actor_by_username(rt, "utrecht.coordinator"), case.id).history
        assert [e.kind for e in history].count("timer_fired") == 1
    finally:
        rt.db.dispose()


def test_clock_advance_goes_the_apis_way_audited_bounded_and_firing_due_timers(cli: Cli) -> None:
    rt = cli.runtime()
    try:
        accounts.create_demo_users(rt)
        case = start_test_case(rt)
        walk_to_monitoring(rt, case.id)

        moved = cli("clock", "advance", "P3M")

        assert moved.returncode == 0 and moved.stdout.strip() == "2026-04-05T09:00:00+00:00", moved.stderr
        assert [t.spec_id for t in open_tasks(rt, case.id)] == ["evaluatie"]  # fired by the move itself
        assert cli("timers", "run-due").stdout.startswith("0 zaak/zaken bijgewerkt")
        history = cases.get_case(rt, accounts.actor_by_username(rt, "utrecht.coordinator"), case.id).history
        assert [e.kind for e in history].count("timer_fired") == 1
        with rt.uow() as uow:
            [event] = uow.session.scalars(
                select(tables.Event).where(tables.Event.kind == "clock_moved")
            ).all()
        assert event.data == {"from": "2026-01-05T09:00:00+00:00", "to": "2026-04-05T09:00:00+00:00"}
        assert event.case_id is None and event.actor_id is None  # the system, from the command line

        for too_far in ("P500Y", "P99999999999Y"):
            fails_with_one_line(cli("clock", "advance", too_far))
        assert cli("clock", "show").stdout.strip() == "2026-04-05T09:00:00+00:00"
    finally:
        rt.db.dispose()


def test_unknown_command_and_missing_arguments_fail(cli: Cli) -> None:
    assert cli("bestaat-niet").returncode != 0
    assert cli("models", "validate").returncode != 0


def test_models_validate_refuses_a_thousand_task_chain_naming_the_element_without_a_recursion_error(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "keten.bpmn"
    path.write_text(hostile_models.chain(1_000, "task"), encoding="utf-8")
    result = cli("models", "validate", str(path))
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("mda: fout: keten.bpmn: het model bevat")
    assert "  - t250: pad van meer dan 250 elementen vanaf het begin" in result.stderr.splitlines()
    assert "Recursion" not in result.stderr and "Traceback" not in result.stderr
