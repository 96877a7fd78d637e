"""Fixtures: every database test runs on SQLite and, when TEST_DATABASE_URL is set, on a
PostgreSQL database of its own (created here, dropped at the end). The schema is migrated and
the models and demo users are loaded once per session; each test then starts from that state."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url

from config.settings import PROJECT_ROOT, Settings
from engine import accounts
from engine.runtime import Actor, Runtime, build_runtime
from engine.setup import prepare_database
from engine.storage import tables

FIXTURES = Path(__file__).parent / "fixtures"
TEST_MODELS = (FIXTURES / "workflows", FIXTURES / "forms")
PROCESS_LIBRARY = (PROJECT_ROOT / "workflows", PROJECT_ROOT / "forms" / "definitions")


def database_kinds() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite"]


@dataclass
class Baseline:
    """What the session loaded once; rows beyond it belong to a single test and are removed."""

    url: str
    max_model_id: int
    max_user_id: int


class Databases:
    """Creates one database per (kind, model set) for the session, and drops them at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.baselines: dict[tuple[str, Path], Baseline] = {}
        self.created_pg: list[str] = []

    def baseline(self, kind: str, models: tuple[Path, Path]) -> Baseline:
        key = (kind, models[0])
        if key not in self.baselines:
            url = self._new_url(kind, models[0].parent.name)
            rt = build_runtime(settings_for(url, models))
            prepare_database(rt, demo=True)
            with rt.uow() as uow:
                max_model = uow.session.scalar(select(func.max(tables.ModelVersion.id))) or 0
                max_user = uow.session.scalar(select(func.max(tables.User.id))) or 0
            rt.db.dispose()
            self.baselines[key] = Baseline(url, max_model, max_user)
        return self.baselines[key]

    def _new_url(self, kind: str, label: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{self.tmp / f'template-{label}.db'}"
        server = make_url(os.environ["TEST_DATABASE_URL"])
        name = f"mda_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.created_pg.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.created_pg:
            return
        admin = create_engine(make_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in self.created_pg:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def settings_for(url: str, models: tuple[Path, Path]) -> Settings:
    return Settings(
        database_url=url,
        env="test",
        clock_mode="simulated",
        secret_key="test-secret",
        workflows_dir=models[0],
        forms_dir=models[1],
        sweep_seconds=0.2,
    )


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    registry = Databases(tmp_path_factory.mktemp("databases"))
    yield registry
    registry.drop_all()


def fresh_database(databases: Databases, kind: str, models: tuple[Path, Path], tmp_path: Path) -> str:
    """A database in the session's baseline state, for one test."""
    baseline = databases.baseline(kind, models)
    if kind == "sqlite":
        source = Path(make_url(baseline.url).database or "")
        target = tmp_path / "test.db"
        shutil.copy(source, target)
        return f"sqlite:///{target}"
    reset_to_baseline(baseline)
    return baseline.url


def reset_to_baseline(baseline: Baseline) -> None:
    engine = create_engine(baseline.url)
    with engine.begin() as connection:
        case_tables = "cases, case_team, tasks, timers, events, access_log, login_failures, api_tokens"
        case_tables += ", user_sessions"  # issue 8: server-side sessions
        case_tables += ", model_trials"  # issue 11: the designer's trial cases
        connection.execute(text(f"TRUNCATE {case_tables} RESTART IDENTITY CASCADE"))
        connection.execute(delete(tables.SystemSetting))
        # coordinator monitoring: rules and mail addresses that tests set (the rest cascades with cases)
        connection.execute(text("TRUNCATE stuck_rules, escalations, notifications, phase_periods CASCADE"))
        connection.execute(text("UPDATE users SET email = NULL"))
        connection.execute(delete(tables.ModelVersion).where(tables.ModelVersion.id > baseline.max_model_id))
        connection.execute(
            text("UPDATE model_versions SET status = 'published' WHERE id <= :id AND status = 'retired'"),
            {"id": baseline.max_model_id},
        )
        connection.execute(delete(tables.UserRole).where(tables.UserRole.user_id > baseline.max_user_id))
        connection.execute(delete(tables.User).where(tables.User.id > baseline.max_user_id))
    engine.dispose()


@pytest.fixture(params=database_kinds())
def database_url(request: pytest.FixtureRequest, databases: Databases, tmp_path: Path) -> str:
    """A database with the test model set (tests/fixtures) loaded and the demo users."""
    return fresh_database(databases, request.param, TEST_MODELS, tmp_path)


@pytest.fixture
def rt(database_url: str) -> Iterator[Runtime]:
    runtime = build_runtime(settings_for(database_url, TEST_MODELS))
    yield runtime
    runtime.db.dispose()


@pytest.fixture(params=database_kinds())
def library_rt(request: pytest.FixtureRequest, databases: Databases, tmp_path: Path) -> Iterator[Runtime]:
    """A runtime on the real MDA++ process library (workflows/, forms/definitions/)."""
    url = fresh_database(databases, request.param, PROCESS_LIBRARY, tmp_path)
    runtime = build_runtime(settings_for(url, PROCESS_LIBRARY))
    yield runtime
    runtime.db.dispose()


@pytest.fixture
def actor(rt: Runtime):  # type: ignore[no-untyped-def]
    """actor('utrecht', 'casusregisseur') → the demo user of that region and role."""

    def make(region: str, role: str) -> Actor:
        return accounts.actor_by_username(rt, f"{region}.{role}")

    return make


@pytest.fixture
def pg_rt(databases: Databases, tmp_path: Path) -> Iterator[Runtime]:
    """A fresh PostgreSQL database of its own (multi-process tests; they skip without one)."""
    runtime = build_runtime(
        settings_for(fresh_database(databases, "postgresql", TEST_MODELS, tmp_path), TEST_MODELS)
    )
    yield runtime
    runtime.db.dispose()
