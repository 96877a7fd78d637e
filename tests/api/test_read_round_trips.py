"""What the three requests of the HTTP bench (issue 13: the inbox, the case list and one case,
through the JSON API with a token) send to the database: a pinned number of statements on every
database, and on PostgreSQL one round trip per statement: no BEGIN, COMMIT or ROLLBACK around
reads (and their one-statement access log), no liveness ping of a connection in use moments ago."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.factories import start_test_case
from tests.sql import round_trips, statements

# Who is asking (1), the simulated clock (1, not for the inbox), then the service's own statements:
# inbox: the page and its total; case list: the page, its total, the reader's role on the page's
# cases (first team place and first workable task per case), one access-log INSERT; case: the case
# with its model version number and the reader's role, open tasks, timers, team, history,
# household links, one access-log INSERT.
STATEMENTS = {"inbox": 3, "case_list": 6, "case": 9}


def bench_paths(api: Api) -> dict[str, str]:
    case = start_test_case(api.rt)
    start_test_case(api.rt)
    return {"inbox": "/tasks?limit=20", "case_list": "/cases?limit=20", "case": f"/cases/{case.id}"}


@pytest.mark.parametrize("request_kind", sorted(STATEMENTS))
def test_each_bench_request_sends_a_pinned_number_of_statements(api: Api, request_kind: str) -> None:
    path = bench_paths(api)[request_kind]
    client = api.as_role("utrecht", "coordinator")
    assert client.get(path).status_code == 200  # the first request warms up the process
    with statements(api.rt) as sent:
        assert client.get(path).status_code == 200
    assert len(sent) == STATEMENTS[request_kind], "\n".join(sent)


@pytest.mark.parametrize("request_kind", sorted(STATEMENTS))
def test_on_postgresql_each_statement_is_one_round_trip_without_transaction_control_or_ping(
    api: Api, request_kind: str
) -> None:
    if api.rt.db.dialect.name != "postgresql":
        pytest.skip("the wire protocol of PostgreSQL")
    path = bench_paths(api)[request_kind]
    client = api.as_role("utrecht", "coordinator")
    assert client.get(path).status_code == 200
    with round_trips(api.rt) as trips:
        assert client.get(path).status_code == 200
    assert len(trips) == STATEMENTS[request_kind], "\n".join(trips)
    for trip in trips:
        for command in ("BEGIN", "COMMIT", "ROLLBACK", "DEALLOCATE", '";"'):
            assert command not in trip, trip
