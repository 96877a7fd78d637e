"""Fixtures of the monitoring tests: a real local SMTP server (aiosmtpd) that keeps every message
it accepted, and a runtime on the test models whose mail goes to it."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from config.monitoring import MonitoringConfig
from engine.runtime import Runtime, build_runtime
from tests.api.conftest import api, wall_clock  # noqa: F401 (the served app, for the API tests here)
from tests.conftest import TEST_MODELS, settings_for
from tests.integration.test_cli import cli, initialised  # noqa: F401 (the mda subprocess, for the CLI test)

TEST_MONITORING = MonitoringConfig(
    evaluation_forms=("test_evaluatie",),
    evaluation_timers=("wacht",),
    closure_reason_fields=("besluit", "advies"),
)


class Inbox:
    """aiosmtpd handler: every accepted message, parsed."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def mon_rt(database_url: str, smtp: tuple[Inbox, int]) -> Iterator[Runtime]:
    """The test models' runtime, mailing to the local SMTP server."""
    settings = settings_for(database_url, TEST_MODELS).with_overrides(
        smtp_host="127.0.0.1", smtp_port=smtp[1], monitoring=TEST_MONITORING
    )
    runtime = build_runtime(settings)
    yield runtime
    runtime.db.dispose()


@pytest.fixture
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]
