"""The simulated clock over HTTP: beheerders only, simulated mode only."""

from __future__ import annotations

from sqlalchemy import select

from engine.runtime import Runtime, build_runtime
from engine.storage.tables import Event
from tests.api.conftest import Api, Client, assert_error, serving
from web import create_app


def test_beheerder_reads_and_moves_the_simulated_clock(api: Api) -> None:
    client = api.as_role("nml", "beheerder")
    assert client.get("/clock").json() == {
        "now": "2026-01-05T09:00:00+00:00",
        "is_simulated": True,
        "cases_advanced": 0,
    }
    moved = client.post("/clock", json={"advance": "P3M"}).json()
    assert moved["now"] == "2026-04-05T09:00:00+00:00"
    assert (
        client.post("/clock", json={"set": "2026-05-01T12:00:00+02:00"}).json()["now"]
        == "2026-05-01T10:00:00+00:00"
    )
    assert api.rt.clock.now().isoformat() == "2026-05-01T10:00:00+00:00"
    with api.rt.uow() as uow:
        assert uow.session.scalars(select(Event.kind)).all() == ["clock_moved", "clock_moved"]


def test_only_a_beheerder_may_touch_the_clock(api: Api) -> None:
    for role in ("coordinator", "procesontwerper", "teamlid"):
        assert_error(api.as_role("utrecht", role).get("/clock"), 403, "wrong_role")
        assert_error(api.as_role("utrecht", role).post("/clock", json={"advance": "P1D"}), 403, "wrong_role")
    assert_error(api.anonymous().post("/clock", json={"advance": "P1D"}), 401)
    assert api.rt.clock.now().isoformat() == "2026-01-05T09:00:00+00:00"


def test_bad_clock_moves_are_refused(api: Api) -> None:
    client = api.as_role("utrecht", "beheerder")
    assert_error(client.post("/clock", json={"advance": "drie maanden"}), 422, "bad_duration")
    assert_error(client.post("/clock", json={"advance": "P9999Y"}), 422)
    assert_error(client.post("/clock", json={"set": "2025-01-01T00:00:00"}), 422, "clock_backwards")
    assert_error(client.post("/clock", json={"set": "gisteren"}), 422, "bad_moment")
    assert_error(client.post("/clock", json={"advance": "P1D", "set": "2027-01-01"}), 422, "bad_clock_move")
    assert_error(client.post("/clock", json={}), 422, "bad_clock_move")
    assert_error(client.post("/clock", json={"vooruit": "P1D"}), 400)
    assert_error(client.post("/clock", json={"advance": 3}), 400)
    assert api.rt.clock.now().isoformat() == "2026-01-05T09:00:00+00:00"


def test_the_clock_is_refused_when_it_is_not_simulated(rt: Runtime) -> None:
    from engine import accounts

    token = accounts.create_token(rt, "utrecht.beheerder")
    system = build_runtime(rt.settings.with_overrides(clock_mode="system"))
    try:
        with serving(create_app(system)) as base:
            client = Client(base)
            client.headers["Authorization"] = f"Bearer {token}"
            assert_error(client.get("/clock"), 403, "clock_not_simulated")
            assert_error(client.post("/clock", json={"advance": "P1D"}), 403, "clock_not_simulated")
    finally:
        system.db.dispose()
