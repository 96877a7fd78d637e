"""What every engine service needs, bundled once and passed explicitly: the session factory,
the clock, the form definitions and the settings. Built by `build_runtime` at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from config.settings import Settings
from engine.clock import Clock, SystemClock, make_clock
from engine.storage.db import make_engine, make_session_factory
from engine.storage.tables import SystemSetting
from engine.storage.uow import UnitOfWork
from forms.validation import Form, load_forms


@dataclass(frozen=True)
class Actor:
    """The person (or, with user_id None, the system) on whose behalf the engine acts."""

    user_id: int | None
    username: str
    roles: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (region, role)

    @property
    def is_system(self) -> bool:
        return self.user_id is None

    def has_role(self, region: str, *roles: str) -> bool:
        return any((region, role) in self.roles for role in roles)

    def regions(self) -> list[str]:
        return sorted({region for region, _ in self.roles})


SYSTEM = Actor(None, "systeem")


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    db: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    forms: dict[str, Form]
    # Security limits (login throttling, session lifetimes) always run on real time, even when the
    # case clock is simulated or frozen; tests substitute a clock they move by hand.
    wall_clock: Clock = field(default_factory=SystemClock)

    def uow(self, *, autocommit: bool = False) -> UnitOfWork:
        return UnitOfWork(self.session_factory, autocommit=autocommit)


DEMO_MODE_KEY = "demo_mode"


def build_runtime(settings: Settings) -> Runtime:
    """Connect and load the forms. Clock mode 'auto' is simulated once demo data was loaded
    (CONTRACT §4) and the system clock otherwise."""
    db = make_engine(settings.database_url)
    session_factory = make_session_factory(db)
    mode = settings.clock_mode
    if mode == "auto":
        mode = "simulated" if is_demo_database(session_factory) else "system"
    clock = make_clock(mode, session_factory)
    return Runtime(settings, db, session_factory, clock, load_forms(settings.forms_dir))


def is_demo_database(session_factory: sessionmaker[Session]) -> bool:
    try:
        with session_factory() as session:
            return session.get(SystemSetting, DEMO_MODE_KEY) is not None
    except (OperationalError, ProgrammingError):  # no schema yet
        return False
