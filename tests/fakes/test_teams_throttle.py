"""The fake connector's throttling, driven by a manual clock: Teams' per-conversation and per-tenant limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.teams_connector import FakeConnector, running_connector
from tests.fakes.teams_throttle import ManualClock

Clocked = tuple[FakeConnector, ManualClock, httpx.Client]


def send(client: httpx.Client, conversation_id: str, **fields: Any) -> httpx.Response:
    return client.post(f"/v3/conversations/{conversation_id}/activities", json={"type": "message", **fields})


def error_code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


@pytest.fixture
def clocked() -> Iterator[Clocked]:
    clock = ManualClock()
    with running_connector(clock=clock) as fake, httpx.Client(base_url=fake.base_url) as client:
        client.headers["Authorization"] = f"Bearer {fake.bot_token}"
        fake.add_conversation("a:chat")
        yield fake, clock, client


def test_the_eighth_message_in_a_second_is_throttled(clocked: Clocked) -> None:
    fake, clock, client = clocked
    statuses = [send(client, "a:chat", text=str(n)).status_code for n in range(7)]
    throttled = send(client, "a:chat", text="8")
    assert statuses == [201] * 7
    assert (throttled.status_code, throttled.headers["Retry-After"], error_code(throttled)) == (429, "1", "Throttled")
    clock.advance(1.0)
    assert send(client, "a:chat", text="8 again").status_code == 201
    two_second_window = send(client, "a:chat", text="9")
    assert (two_second_window.status_code, two_second_window.headers["Retry-After"]) == (429, "1")
    assert fake.violations == []


def test_sixty_messages_in_thirty_seconds_is_the_ceiling(
    clocked: Clocked,
) -> None:
    _fake, clock, client = clocked
    for n in range(60):
        assert send(client, "a:chat", text=str(n)).status_code == 201
        clock.advance(0.25)
    throttled = send(client, "a:chat", text="61")
    assert (throttled.status_code, throttled.headers["Retry-After"]) == (429, "15")


def test_retrying_before_retry_after_is_a_recorded_violation(
    clocked: Clocked,
) -> None:
    fake, clock, client = clocked
    for n in range(8):
        send(client, "a:chat", text=str(n))
    clock.advance(0.5)
    early = send(client, "a:chat", text="too soon")
    assert early.status_code == 429
    [violation] = fake.violations
    assert (violation.key, violation.not_before - violation.arrived_at) == ("send:a:chat", 0.5)
    clock.advance(0.5)
    assert send(client, "a:chat", text="on time").status_code == 201
    assert len(fake.violations) == 1


def test_a_tenant_gets_thirty_requests_a_second(clocked: Clocked) -> None:
    fake, _clock, client = clocked
    for n in range(31):
        fake.add_conversation(f"a:{n}", tenant_id="tenant-a")
    fake.add_conversation("a:other", tenant_id="tenant-b")
    statuses = [send(client, f"a:{n}", text="hi").status_code for n in range(31)]
    assert statuses == [201] * 30 + [429]
    assert send(client, "a:other", text="hi").status_code == 201


def test_throttling_can_be_switched_off() -> None:
    with running_connector(throttling=False) as fake, httpx.Client(base_url=fake.base_url) as client:
        client.headers["Authorization"] = f"Bearer {fake.bot_token}"
        assert {send(client, "a:chat", text=str(n)).status_code for n in range(40)} == {201}
