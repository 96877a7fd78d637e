"""Bringing a database to a working state: schema migrations, regions, the published models of
workflows/, and optionally the demo users. Shared by `mda init`, the tests and the benchmarks."""

from __future__ import annotations

from engine import accounts, model_files
from engine.runtime import DEMO_MODE_KEY, SYSTEM, Runtime
from engine.storage.db import upgrade
from engine.storage.tables import SystemSetting


def prepare_database(rt: Runtime, *, demo: bool = False) -> model_files.SeedReport:
    """Upgrade the schema, ensure the regions, seed the models of workflows/ (never over a
    person's version) and, with `demo`, mark the database as a demo one and create the demo users.
    Returns what seeding published and which files differ from what is live.
    Raises Invalid for a model file that does not validate; Conflict for demo mode in production."""
    upgrade(rt.db)
    with rt.uow() as uow:
        accounts.ensure_regions(uow.session)
        if demo and uow.session.get(SystemSetting, DEMO_MODE_KEY) is None:
            uow.session.add(SystemSetting(key=DEMO_MODE_KEY, value="true"))
        uow.commit()
    published = model_files.seed_from_directory(rt, SYSTEM)
    if demo:
        accounts.create_demo_users(rt)
    return published
