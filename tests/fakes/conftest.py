"""Fixtures shared by the tests of the fake Slack Web API."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.fakes.slack_api import FakeSlackApi, running_slack_api


@pytest.fixture(scope="module")
def server() -> Iterator[FakeSlackApi]:
    """One fake per test module, on loopback."""
    with running_slack_api() as fake:
        yield fake


@pytest.fixture
def slack(server: FakeSlackApi) -> FakeSlackApi:
    """The module's fake, back to its starting state and the real clock for each test."""
    server.reset()
    server.clock = time.monotonic
    return server
