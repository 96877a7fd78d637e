"""Login throttling without lock-out (issue 8): a guesser is slowed down per (username, address)
pair with growing waits (429 + Retry-After), the owner signs in from elsewhere meanwhile, and the
waits run on the wall clock (moved by hand here), never on the simulated case clock."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from engine import throttling
from engine.runtime import Runtime
from tests.api.conftest import Api, Client, ManualClock, assert_error, serving
from web import create_app

OWNER = "utrecht.procesregisseur"
ATTACKER = "203.0.113.66"


@pytest.fixture
def proxied(rt: Runtime, wall_clock: ManualClock) -> Iterator[Api]:
    """The app behind one trusted proxy, so each test client can say which address it comes from."""
    settings = rt.settings.with_overrides(trusted_proxies=1)
    runtime = dataclasses.replace(rt, settings=settings, wall_clock=wall_clock)
    with serving(create_app(runtime)) as base:
        yield Api(runtime, base)


def from_address(api: Api, address: str) -> Client:
    client = api.anonymous()
    client.headers["X-Forwarded-For"] = address
    return client


def guess(client: Client, password: str = "geraden", username: str = OWNER) -> requests.Response:
    return client.post("/login", json={"username": username, "password": password})


def test_the_owner_still_signs_in_from_another_address_during_an_attack(proxied: Api) -> None:
    attacker = from_address(proxied, ATTACKER)
    for _ in range(throttling.FREE_FAILURES_PER_PAIR):
        assert_error(guess(attacker), 401, "bad_credentials")
    assert_error(guess(attacker), 429, "too_many_attempts")
    assert_error(guess(attacker, "demo"), 429)  # while it waits, even the right password is not heard
    owner = from_address(proxied, "198.51.100.7")
    assert guess(owner, "demo").status_code == 200
    assert_error(guess(attacker), 429)  # the owner's success does not free the guesser


def test_the_guesser_waits_longer_after_each_failure(proxied: Api, wall_clock: ManualClock) -> None:
    attacker = from_address(proxied, ATTACKER)
    for _ in range(throttling.FREE_FAILURES_PER_PAIR):
        assert_error(guess(attacker), 401)
    waits = []
    for _ in range(5):
        refused = guess(attacker)
        assert_error(refused, 429, "too_many_attempts")
        wait = int(refused.headers["Retry-After"])
        assert refused.json()["error"]["details"] == {"retry_after": wait}
        waits.append(wait)
        wall_clock.advance(seconds=wait - 1)
        assert_error(guess(attacker), 429)  # one second early: still refused
        wall_clock.advance(seconds=1)
        assert_error(guess(attacker), 401)  # heard again, and wrong again
    assert waits == [2, 4, 8, 16, 32]


def test_waits_are_capped_and_forgotten_on_the_wall_clock_while_the_case_clock_stands_still(
    proxied: Api, wall_clock: ManualClock
) -> None:
    case_clock_before = proxied.rt.clock.now()
    attacker = from_address(proxied, ATTACKER)
    cap = int(throttling.MAX_DELAY.total_seconds())
    waits: list[int] = []
    for _ in range(40):
        response = guess(attacker)
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            wall_clock.advance(seconds=waits[-1])
        if waits and waits[-1] == cap:
            break
    assert waits[-1] == cap and max(waits) == cap  # the waits grow up to the cap, not beyond
    assert_error(guess(attacker), 401)  # heard again after waiting
    assert int(assert_error(guess(attacker), 429)["details"]["retry_after"]) == cap
    wall_clock.advance(seconds=throttling.MAX_DELAY.total_seconds())
    assert guess(attacker, "demo").status_code == 200  # the limit expired on the wall clock
    assert proxied.rt.clock.now() == case_clock_before  # the (frozen) case clock did not move


def test_failures_are_forgotten_after_a_day(proxied: Api, wall_clock: ManualClock) -> None:
    attacker = from_address(proxied, ATTACKER)
    for _ in range(throttling.FREE_FAILURES_PER_PAIR):
        assert_error(guess(attacker), 401)
    wall_clock.advance(seconds=throttling.MEMORY.total_seconds() + 1)
    for _ in range(throttling.FREE_FAILURES_PER_PAIR):
        assert_error(guess(attacker), 401)  # free guesses again, not 429


def test_one_address_guessing_many_usernames_is_slowed_down_too(proxied: Api) -> None:
    sprayer = from_address(proxied, ATTACKER)
    for number in range(throttling.FREE_FAILURES_PER_ADDRESS):  # one guess each: no pair is slowed
        assert_error(guess(sprayer, username=f"gok{number}"), 401)
    assert_error(guess(sprayer, username="west-brabant.teamlid"), 429, "too_many_attempts")
    assert guess(from_address(proxied, "198.51.100.7"), "demo", "west-brabant.teamlid").status_code == 200


def test_parallel_guesses_cannot_slip_through_before_a_failure_counts(proxied: Api) -> None:
    attackers = [from_address(proxied, ATTACKER) for _ in range(12)]
    with ThreadPoolExecutor(max_workers=len(attackers)) as pool:
        statuses = sorted(pool.map(lambda client: guess(client).status_code, attackers))
    assert statuses.count(401) == throttling.FREE_FAILURES_PER_PAIR
    assert statuses.count(429) == len(attackers) - throttling.FREE_FAILURES_PER_PAIR
