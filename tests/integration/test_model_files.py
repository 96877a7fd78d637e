"""`mda init` and `mda models export` around a designer's work, through the real console script:
seeding never retires what a person published, says when a file differs from what is live, and
an export re-imports without a difference."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from engine import accounts, process_models
from engine.runtime import Runtime
from tests.conftest import TEST_MODELS
from tests.integration.test_cli import MDA, Cli

RENAMED = ('name="Plan van aanpak maken"', 'name="Plan van aanpak opstellen"')


def run(cli: Cli, workflows: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli.env() | {"MDA_WORKFLOWS_DIR": str(workflows)}
    return subprocess.run([str(MDA), *args], env=env, capture_output=True, text=True, timeout=180)


def live(rt: Runtime, region: str = "utrecht") -> dict[str, process_models.ModelVersionInfo]:
    with rt.uow() as uow:
        return {
            v.process_id: v
            for v in process_models.list_versions(uow.session, region)
            if v.status == "published"
        }


def publish_as_designer(rt: Runtime, text: str) -> process_models.ModelVersionInfo:
    accounts.add_user(
        rt, "ontwerper", role="procesontwerper", region="utrecht", password="een-lang-wachtwoord"
    )
    designer = accounts.actor_by_username(rt, "ontwerper")
    draft = process_models.save_draft(rt, designer, "utrecht", text, "test_flow.bpmn")
    return process_models.publish(rt, designer, "utrecht", draft.id, "plan heet nu opstellen")


def test_init_twice_around_a_designers_publication_keeps_it_live(tmp_path: Path) -> None:
    workflows = tmp_path / "workflows"
    shutil.copytree(TEST_MODELS[0], workflows)
    cli = Cli(f"sqlite:///{tmp_path / 'mda.db'}")
    assert run(cli, workflows, "init").returncode == 0
    rt = cli.runtime()
    flow_file = workflows / "regions" / "utrecht" / "test_flow.bpmn"
    designed = publish_as_designer(rt, flow_file.read_text(encoding="utf-8").replace(*RENAMED))

    again = run(cli, workflows, "init")  # the file on disk is what the designer replaced
    assert again.returncode == 0, again.stderr
    assert "utrecht/test_flow.bpmn: het bestand verschilt van de live versie 2 (designer)" in again.stdout
    assert live(rt)["test_flow"].id == designed.id

    flow_file.write_text(flow_file.read_text(encoding="utf-8").replace("Triage uitvoeren", "Triage doen"))
    termijnen = workflows / "regions" / "utrecht" / "test_termijnen.bpmn"
    termijnen.write_text(
        termijnen.read_text(encoding="utf-8").replace("Zitting verwerken", "Zitting afhandelen")
    )
    third = run(cli, workflows, "init")
    assert third.returncode == 0, third.stderr
    assert live(rt)["test_flow"].id == designed.id  # a changed file never retires a person's version
    assert live(rt)["test_termijnen"].version == 2  # a repository version nobody built on follows the file
    assert live(rt)["test_termijnen"].origin == "repository"
    rt.db.dispose()


def test_export_round_trips_without_a_difference(tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'mda.db'}")
    assert run(cli, TEST_MODELS[0], "init").returncode == 0
    rt = cli.runtime()
    flow = (TEST_MODELS[0] / "regions" / "utrecht" / "test_flow.bpmn").read_text(encoding="utf-8")
    publish_as_designer(rt, flow.replace(*RENAMED))
    exported = tmp_path / "export" / "regions" / "utrecht"
    result = run(cli, TEST_MODELS[0], "models", "export", "utrecht", str(exported))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in exported.iterdir())
    assert files == sorted(v.file_name for v in live(rt).values())
    assert (exported / "test_flow.bpmn").read_text(encoding="utf-8") == flow.replace(*RENAMED)

    (tmp_path / "export" / "common").mkdir()
    fresh = Cli(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert run(fresh, tmp_path / "export", "init").returncode == 0  # re-import into an empty database
    again = tmp_path / "again"
    assert run(fresh, tmp_path / "export", "models", "export", "utrecht", str(again)).returncode == 0
    for name in files:
        assert (again / name).read_bytes() == (exported / name).read_bytes()
    fresh_rt = fresh.runtime()
    assert {k: v.name for k, v in live(fresh_rt).items()} == {k: v.name for k, v in live(rt).items()}
    rt.db.dispose()
    fresh_rt.db.dispose()


def test_export_of_an_unknown_region_fails_in_one_line(tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'mda.db'}")
    assert run(cli, TEST_MODELS[0], "init").returncode == 0
    result = run(cli, TEST_MODELS[0], "models", "export", "atlantis", str(tmp_path / "x"))
    assert result.returncode == 2 and result.stderr.strip().splitlines() == [
        "mda: fout: Onbekende regio 'atlantis'."
    ]
