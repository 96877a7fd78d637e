"""Settings read from the environment in one place; nothing else reads os.environ."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

from config.monitoring import MonitoringConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent

REGIONS: tuple[str, ...] = (
    "nml",
    "utrecht",
    "haaglanden",
    "zeeland",
    "friesland",
    "drenthe",
    "west-brabant",
    "hart-van-brabant",
    "rotterdam",
)

REGION_NAMES: dict[str, str] = {
    "nml": "Noord- en Midden-Limburg",
    "utrecht": "Utrecht",
    "haaglanden": "Haaglanden",
    "zeeland": "Zeeland",
    "friesland": "Friesland",
    "drenthe": "Drenthe",
    "west-brabant": "West-Brabant",
    "hart-van-brabant": "Hart van Brabant",
    "rotterdam": "Rotterdam-Rijnmond",
}

ROLES: tuple[str, ...] = (
    "aanmelder",
    "veilig_thuis",
    "procesregisseur",
    "casusregisseur",
    "teamlid",
    "coordinator",
    "procesontwerper",
    "beheerder",
)


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'instance' / 'mda.db'}"


@dataclass(frozen=True)
class Limits:
    """What one process model may declare (checked at validation, each problem naming its element)
    and what one engine operation may spend at run time (stopped, rolled back, answered 422).
    Steps are the primary, deterministic budget; seconds are only a backstop."""

    # At validation, per BPMN document.
    max_elements: int = 1_000  # flow nodes: tasks, events, gateways, subprocesses
    max_flow_depth: int = 250  # elements on the longest path from a start event
    max_branches: int = 50  # outgoing sequence flows of one element (a parallel split)
    max_instances: int = 100  # multi-instance cardinality and loop maximum (also at run time)
    max_nesting: int = 5  # subprocesses inside subprocesses
    max_script_chain: int = 50  # script tasks in a row
    max_timer_days: int = 36_525  # about a century: the longest timer
    # At run time, per engine operation (start, complete, message, timer sweep, migration).
    max_engine_steps: int = 2_000  # engine tasks run (script tasks, gateways, events)
    max_engine_seconds: float = 10.0  # backstop for steps that are each slow
    max_new_tasks: int = 5_000  # tasks added to the case's tree (its memory)
    max_state_bytes: int = 10_000_000  # the serialized case state


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    env: str = "development"  # development | production | test
    clock_mode: str = "auto"  # system | simulated | auto (simulated once demo data is loaded)
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    workflows_dir: Path = PROJECT_ROOT / "workflows"
    forms_dir: Path = PROJECT_ROOT / "forms" / "definitions"
    sweep_seconds: float = 5.0
    # The escalation ladder counts in days: a look a minute is prompt enough and keeps an idle
    # server's background work small (it runs in every `mda serve` process).
    escalation_seconds: float = 60.0
    max_upload_bytes: int = 2 * 1024 * 1024
    script_step_limit: int = 100_000
    # What a model may declare and an engine operation may spend; the two budgets people tune
    # most are settings of their own (MDA_ENGINE_MAX_STEPS, MDA_ENGINE_MAX_SECONDS).
    model_limits: Limits = field(default_factory=Limits)
    engine_max_steps: int = Limits.max_engine_steps
    engine_max_seconds: float = Limits.max_engine_seconds
    # Reverse proxies in front of `mda serve` whose X-Forwarded-* headers are trusted (0: none).
    trusted_proxies: int = 0
    # Worker processes of `mda serve` (0: one per core).
    web_processes: int = 0
    # Coordinator monitoring (issue 12): mail server for notifications (no host: in-app only),
    # the address mail comes from, and the web address links in mail point to.
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "mda-flow@localhost"
    base_url: str = "http://127.0.0.1:5000"
    monitoring: MonitoringConfig = field(default_factory=MonitoringConfig)
    # Browser sessions (issue 8): ended after this many idle minutes, and at the latest after
    # this many hours, on the wall clock.
    session_idle_minutes: int = 30
    session_max_hours: int = 8

    @property
    def limits(self) -> Limits:
        """Every limit, the engine budget as configured."""
        return replace(
            self.model_limits,
            max_engine_steps=self.engine_max_steps,
            max_engine_seconds=self.engine_max_seconds,
        )

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def from_env(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from DATABASE_URL and MDA_* variables. Raises ValueError for bad values."""
    env = dict(os.environ if environ is None else environ)
    base = Settings()
    mode = env.get("MDA_CLOCK") or base.clock_mode
    if mode not in ("system", "simulated", "auto"):
        raise ValueError(f"MDA_CLOCK moet 'system' of 'simulated' zijn, niet {mode!r}")
    return Settings(
        database_url=env.get("DATABASE_URL", base.database_url),
        env=env.get("MDA_ENV", base.env),
        clock_mode=mode,
        secret_key=env.get("MDA_SECRET_KEY", base.secret_key),
        workflows_dir=Path(env.get("MDA_WORKFLOWS_DIR", str(base.workflows_dir))),
        forms_dir=Path(env.get("MDA_FORMS_DIR", str(base.forms_dir))),
        sweep_seconds=float(env.get("MDA_SWEEP_SECONDS", base.sweep_seconds)),
        escalation_seconds=float(env.get("MDA_ESCALATION_SECONDS", base.escalation_seconds)),
        trusted_proxies=int(env.get("MDA_TRUSTED_PROXIES", base.trusted_proxies)),
        engine_max_steps=int(env.get("MDA_ENGINE_MAX_STEPS", base.engine_max_steps)),
        engine_max_seconds=float(env.get("MDA_ENGINE_MAX_SECONDS", base.engine_max_seconds)),
        web_processes=int(env.get("MDA_WEB_PROCESSES", base.web_processes)),
        smtp_host=env.get("MDA_SMTP_HOST") or None,
        smtp_port=int(env.get("MDA_SMTP_PORT", base.smtp_port)),
        mail_from=env.get("MDA_MAIL_FROM", base.mail_from),
        base_url=env.get("MDA_BASE_URL", base.base_url).rstrip("/"),
        session_idle_minutes=_positive(env, "MDA_SESSION_IDLE_MINUTES", base.session_idle_minutes),
        session_max_hours=_positive(env, "MDA_SESSION_MAX_HOURS", base.session_max_hours),
    )


def _positive(env: dict[str, str], name: str, default: int) -> int:
    value = int(env.get(name, default))
    if value <= 0:
        raise ValueError(f"{name} moet een positief geheel getal zijn, niet {value}")
    return value
