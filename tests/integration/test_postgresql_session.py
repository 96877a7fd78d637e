"""Every PostgreSQL session of the app plans a prepared statement once for any parameters and never
JIT-compiles (issue 13: the lists' statements cost more to plan than to run, and a generic plan's
cost estimate set off a JIT compilation three times longer than the query)."""

from __future__ import annotations

from sqlalchemy import text

from engine.runtime import Runtime
from tests.processes import needs_postgresql

pytestmark = needs_postgresql


def test_a_postgresql_session_plans_generically_and_without_jit(pg_rt: Runtime) -> None:
    with pg_rt.db.connect() as connection:
        settings = dict(
            connection.execute(
                text("SELECT name, setting FROM pg_settings WHERE name IN ('plan_cache_mode', 'jit')")
            ).all()
        )
        for n in range(8):  # psycopg prepares a statement on its fifth execution
            connection.execute(text("SELECT count(*) FROM cases WHERE id > :n"), {"n": n})
        plans = connection.execute(
            text(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE 'SELECT count(*) FROM cases WHERE id > $1%'"
            )
        ).one()
    assert settings == {"plan_cache_mode": "force_generic_plan", "jit": "off"}
    assert plans.generic_plans >= 3
    assert plans.custom_plans == 0
