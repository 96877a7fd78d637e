"""On PostgreSQL a case's workflow state is compressed with lz4, cheaper to write than with the
default pglz (issue 13, migration 0012)."""

from __future__ import annotations

from sqlalchemy import text

from engine.runtime import Runtime
from tests.factories import complete_open, start_test_case
from tests.processes import needs_postgresql

pytestmark = needs_postgresql


def test_on_postgresql_a_case_state_written_by_a_step_is_compressed_with_lz4(pg_rt: Runtime) -> None:
    case = start_test_case(pg_rt)
    complete_open(pg_rt, case.id, "triage")
    with pg_rt.db.connect() as connection:
        methods = connection.execute(
            text(
                "SELECT attrelid::regclass::text, attcompression FROM pg_attribute"
                " WHERE attname = 'state' AND attrelid IN ('cases'::regclass, 'model_trials'::regclass)"
            )
        ).all()
        stored = connection.execute(
            text("SELECT pg_column_compression(state), octet_length(state) FROM cases WHERE id = :id"),
            {"id": case.id},
        ).one()
    assert sorted(methods) == [("cases", "l"), ("model_trials", "l")]
    assert stored[1] > 2_000, "a state this small would not be compressed at all"
    assert stored[0] == "lz4"
