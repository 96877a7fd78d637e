"""API tests over real HTTP: create_app(rt) served by werkzeug on a free local port in a thread,
for each test, on every configured database (the `rt` fixture). Clients are requests sessions
that authenticate with a personal API token, a login cookie, or not at all."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from engine import accounts
from engine.runtime import Runtime
from web import create_app

API = "/api/v1"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class Client(requests.Session):
    """A requests session whose paths are relative to /api/v1 of the served app."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return super().request(method, f"{self.base}{API}{url!s}", *args, **kwargs)


class Api:
    def __init__(self, rt: Runtime, base: str) -> None:
        self.rt = rt
        self.base = base

    def anonymous(self) -> Client:
        return Client(self.base)

    def as_user(self, username: str) -> Client:
        """A client with a fresh personal API token of this user."""
        client = Client(self.base)
        client.headers["Authorization"] = f"Bearer {accounts.create_token(self.rt, username)}"
        return client

    def as_role(self, region: str, role: str) -> Client:
        return self.as_user(f"{region}.{role}")

    def login(self, username: str, password: str = "demo") -> Client:
        """A client with a session cookie; it sends the CSRF token it got at login."""
        client = Client(self.base)
        response = client.post("/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        client.headers["X-CSRFToken"] = response.json()["csrf_token"]
        return client


class ManualClock:
    """A wall clock the test moves by hand: login throttling and session lifetimes run on it,
    so their limits are tested without sleeping."""

    is_simulated = False

    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def wall_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def api(rt: Runtime, wall_clock: ManualClock) -> Iterator[Api]:
    runtime = dataclasses.replace(rt, wall_clock=wall_clock)
    with serving(create_app(runtime)) as base:
        yield Api(runtime, base)


def assert_error(response: requests.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The CONTRACT's one error shape, with this status (and code)."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]
