"""Acceptance: `aftercare serve` itself, configured only by the environment, with SLACK_API_URL at the fake.

Signed /actions, /reflect, /checkin, /broadcast and a button press over real HTTP make the right Web API calls and
database changes.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select

from bot.clock import SimulatedClock
from bot.compose import assemble
from handlers.action_views import ACTION_STATUS_BUTTON
from handlers.model import Status
from storage.delivery_models import DeliveryRow
from storage.programme_store import store_programme
from tests.conftest import START
from tests.factories import make_programme_doc
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import BOT_TOKEN, FACILITATOR_ID, OWNER_ID, SECRET, TEAM, fixture, post_to, signed_headers
from tests.slack.payloads import block_actions
from tests.slack.test_interactions import CHECK_IN

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(sqlite_url: str, slack: FakeSlackApi, tmp_path: Path) -> Iterator[str]:
    """`aftercare serve --no-worker` in a subprocess, on a database holding the test programme."""

    async def load() -> None:
        runtime = assemble(sqlite_url, clock=SimulatedClock(START), secret=b"serve-test-anonymity-secret-of-32-bytes")
        async with runtime.sessions() as session, session.begin():
            await store_programme(session, make_programme_doc(), START, "Europe/London")
        await runtime.close()

    asyncio.run(load())
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "AFTERCARE_"))},
        "AFTERCARE_DATABASE_URL": sqlite_url,
        "AFTERCARE_ANONYMITY_SECRET": "serve-test-anonymity-secret-of-32-bytes",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": slack.base_url,
    }
    command = [sys.executable, "-m", "bot", "serve", "--no-worker", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise AssertionError("aftercare serve did not start")
        yield url
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=15)
        assert b"Traceback" not in errors, errors.decode()


@pytest.fixture
async def client(served: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=served) as http:
        yield http


async def command(client: httpx.AsyncClient, slack: FakeSlackApi, line: str, user: str = OWNER_ID) -> httpx.Response:
    name, _, text = line.partition(" ")
    body = fixture("slash_command")
    body.update(
        command=name, text=text, user_id=user, team_id=TEAM, trigger_id=slack.new_trigger_id(user_id=user, team_id=TEAM)
    )
    encoded = urlencode(body).encode()
    return await client.post(
        "/slack/events", content=encoded, headers=signed_headers(encoded, "application/x-www-form-urlencoded")
    )


async def test_aftercare_serve_answers_signed_slack_requests(
    client: httpx.AsyncClient, slack: FakeSlackApi, sqlite_url: str
):
    runtime = assemble(sqlite_url, secret=b"serve-test-anonymity-secret-of-32-bytes")
    try:
        updated = await command(client, slack, "/actions A07 at risk Waiting for the panel")
        assert updated.json()["text"].startswith("A07 is now 'At risk'")

        await command(client, slack, "/reflect")
        await command(client, slack, "/checkin")
        assert [c.ok for c in slack.calls_to("views.open")] == [True, True]

        shown = await command(client, slack, '/broadcast all "The learning brief is out."', user=FACILITATOR_ID)
        assert shown.json()["text"].startswith("Preview of B1: nothing has been sent yet")
        sent = await command(client, slack, "/broadcast confirm B1", user=FACILITATOR_ID)
        assert sent.json()["text"].startswith("Confirmed: B1 will go to 9 recipients")
        async with runtime.sessions() as session:
            assert len(list((await session.execute(select(DeliveryRow))).scalars())) == 9

        press = await _press_status(client, slack)
        assert press.status_code == 200
        assert [c.ok for c in slack.calls_to("chat.update")] == [True]
        async with runtime.unit() as deps:
            found = await deps.actions.get((await deps.programmes.all())[0].id, "A07")
        assert found is not None and found.status is Status.ON_TRACK
    finally:
        await runtime.close()


async def _press_status(client: httpx.AsyncClient, slack: FakeSlackApi) -> httpx.Response:
    dm, message = await post_to(slack, OWNER_ID, CHECK_IN)
    payload = block_actions(slack, dm, message, ACTION_STATUS_BUTTON, "A07:on_track")
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return await client.post(
        "/slack/events", content=body, headers=signed_headers(body, "application/x-www-form-urlencoded")
    )
