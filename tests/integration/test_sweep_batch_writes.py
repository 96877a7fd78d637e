"""The sweep writes a batch of cases together: their rows in one version-checked statement (a
case changed in between makes the whole batch a conflict, and nothing of it is stored), and
every case still moves exactly once, with its own audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from engine import timers
from engine.case_state import write_cases
from engine.errors import Conflict
from engine.runtime import Runtime
from engine.storage.tables import Case
from tests.factories import open_tasks, start_test_case, walk_to_monitoring
from tests.integration.case_rows import case_row, events_of
from tests.sql import starting_with, statements


def detached_rows(rt: Runtime, case_ids: list[int]) -> list[Case]:
    with rt.uow() as uow:
        query = select(Case).options(undefer(Case.state))  # as the sweep claims them: with their state
        rows = list(uow.session.scalars(query.where(Case.id.in_(case_ids)).order_by(Case.id)))
        for row in rows:
            uow.session.expunge(row)
    return rows


def test_a_batch_written_over_a_case_changed_in_between_is_a_conflict_and_stores_nothing(
    rt: Runtime,
) -> None:
    first, second = start_test_case(rt), start_test_case(rt)
    rows = detached_rows(rt, [first.id, second.id])
    with rt.uow() as uow:  # someone else changes the second case meanwhile
        uow.session.get_one(Case, second.id).title = "Gewijzigd"
        uow.commit()
    for row in rows:
        row.phase = "analyse"
    with pytest.raises(Conflict) as stale:
        with rt.uow() as uow:
            write_cases(uow.session, rows)
            uow.commit()
    assert stale.value.code == "stale_case"
    assert case_row(rt, first.id).phase != "analyse"
    assert case_row(rt, second.id).title == "Gewijzigd"


def test_rows_written_in_a_batch_take_the_next_version(rt: Runtime) -> None:
    case = start_test_case(rt)
    (row,) = detached_rows(rt, [case.id])
    version = row.version
    row.phase = "analyse"
    with rt.uow() as uow:
        write_cases(uow.session, [row])
        uow.commit()
    stored = case_row(rt, case.id)
    assert (stored.version, stored.phase, row.version) == (version + 1, "analyse", version + 1)


def test_a_sweep_writes_the_case_rows_of_a_batch_in_one_statement(rt: Runtime) -> None:
    ids = []
    for _ in range(3):
        case = start_test_case(rt)
        walk_to_monitoring(rt, case.id)
        ids.append(case.id)
    rt.clock.advance("P3M")
    with statements(rt) as sent:
        result = timers.run_due(rt)
    updates = starting_with(sent, "UPDATE CASES")
    assert result.cases_advanced == 3 and len(updates) == 1
    for case_id in ids:
        assert [t.spec_id for t in open_tasks(rt, case_id)] == ["evaluatie"]
        assert len(events_of(rt, case_id, "timer_fired")) == 1


def test_a_row_the_sweep_left_as_it_was_is_not_written(rt: Runtime) -> None:
    """A case another worker advanced just before our claim is loaded, finds nothing due and is
    synced to the very same values: like the unit of work, the batch writes nothing for it."""
    case = start_test_case(rt)
    (row,) = detached_rows(rt, [case.id])
    version = row.version
    row.state, row.last_activity_at, row.phase = row.state, row.last_activity_at, row.phase
    with rt.uow() as uow:
        write_cases(uow.session, [row])
        uow.commit()
    assert (case_row(rt, case.id).version, row.version) == (version, version)
