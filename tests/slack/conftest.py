"""The Slack app through the real FastAPI app of `aftercare serve`, the real Bolt AsyncApp and real HMAC signatures,
with every Web API call going to the fake Slack on loopback (tests/fakes/slack_api.py)."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select

from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.prompt_files import default_folder, load_library
from bot.runtime import Runtime
from bot.server import create_app
from bot.settings import Settings, SlackSettings
from bot.slack.delivery import make_channel
from handlers.delivery_ports import Recipient
from handlers.library import Library
from handlers.reply import Reply
from storage.programme_store import store_programme
from tests.factories import FACILITATOR, MANAGER, OWNER, PRACTITIONER, make_programme_doc
from tests.fakes.slack_api import FakeSlackApi, running_slack_api

T = TypeVar("T")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "slack"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0TEST001"  # the test programme's workspace (tests/factories.py gives the owner this Slack identity)
BOT_TOKEN = "xoxb-T0TEST001-fake"
OTHER_TEAM = "T0OTHER01"
OWNER_ID = "U0OWNER01"  # known by Slack id from the programme file
MANAGER_ID = "U0MANAGR1"  # known by email only
WORKER_ID = "U0WORKER1"
FACILITATOR_ID = "U0FACIL01"
STRANGER_ID = "U0STRANG1"  # in the programme's workspace, not in the programme
SPOOF_ID = "U0SPOOF01"  # another workspace, same email as the owner
BY_EMAIL = {MANAGER_ID: MANAGER, WORKER_ID: PRACTITIONER, FACILITATOR_ID: FACILITATOR}


async def eventually(check: Callable[[], T], seconds: float = 5.0) -> T:
    """Poll until ``check()`` is truthy: for work Slack lets the app finish after its HTTP answer."""
    async with asyncio.timeout(seconds):
        while True:
            value = check()
            if value:
                return value
            await asyncio.sleep(0.01)  # the fake runs in another thread: there is no event to wait on


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return copy.deepcopy(loaded)


def signed_headers(
    body: bytes, content_type: str, *, timestamp: int | None = None, secret: str = SECRET
) -> dict[str, str]:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body) or ""
    return {"content-type": content_type, "x-slack-request-timestamp": stamp, "x-slack-signature": signature}


@pytest.fixture(scope="module")
def shared_slack() -> Iterator[FakeSlackApi]:
    with running_slack_api() as fake:
        yield fake


@pytest.fixture
def slack(shared_slack: FakeSlackApi) -> FakeSlackApi:
    """The fake, emptied, with the programme's workspace (people known by id, by email, and a stranger) and another
    workspace holding an account with the owner's email."""
    fake = shared_slack
    fake.reset()
    fake.clock = time.monotonic
    fake.add_workspace(TEAM, bot_token=BOT_TOKEN)
    fake.add_user(OWNER_ID, team_id=TEAM, name="olu.owner", email=OWNER)
    for user_id, email in BY_EMAIL.items():
        fake.add_user(user_id, team_id=TEAM, email=email)
    fake.add_user(STRANGER_ID, team_id=TEAM, email="stranger@council.example")
    fake.add_workspace(OTHER_TEAM)
    fake.add_user(SPOOF_ID, team_id=OTHER_TEAM, email=OWNER)
    fake.add_channel("C0TESTGEN", team_id=TEAM, name="aftercare-updates")
    return fake


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(default_folder())


@dataclass
class Harness:
    app: FastAPI
    client: httpx.AsyncClient
    slack: FakeSlackApi
    runtime: Runtime

    async def post(self, body: bytes, content_type: str, **headers: str) -> httpx.Response:
        sent = signed_headers(body, content_type)
        sent.update(headers)
        return await self.client.post("/slack/events", content=body, headers=sent)

    def command_body(self, line: str, user: str = OWNER_ID, team: str = TEAM) -> dict[str, Any]:
        command, _, text = line.partition(" ")
        body = fixture("slash_command")
        body.update(command=command, text=text, user_id=user, team_id=team)
        body.update(trigger_id=self.slack.new_trigger_id(user_id=user, team_id=team))
        body.update(response_url=self.slack.new_response_url(team_id=team))
        return body

    async def command(self, line: str, user: str = OWNER_ID, team: str = TEAM) -> httpx.Response:
        """A signed slash command, form-encoded as Slack sends it, e.g. ``/actions A07 on track``."""
        body = urlencode(self.command_body(line, user, team)).encode()
        return await self.post(body, "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, "application/x-www-form-urlencoded")

    async def event(self, payload: dict[str, Any], **headers: str) -> httpx.Response:
        return await self.post(json.dumps(payload).encode(), "application/json", **headers)

    async def count(self, model: Any) -> int:
        async with self.runtime.sessions() as session:
            return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


def slack_settings(slack: FakeSlackApi, **extra: Any) -> SlackSettings:
    values: dict[str, Any] = {"signing_secret": SECRET, "bot_token": BOT_TOKEN, "api_url": slack.base_url, **extra}
    return SlackSettings(**values)


async def loaded_runtime(url: str, clock: SimulatedClock, library: Library) -> Runtime:
    runtime = assemble(url, clock=clock, secret=b"slack-tests", library=library)
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), clock.now(), "Europe/London")
    return runtime


async def running_harness(
    url: str, slack: FakeSlackApi, clock: SimulatedClock, library: Library, **extra: Any
) -> AsyncIterator[Harness]:
    runtime = await loaded_runtime(url, clock, library)
    app = create_app(Settings(database_url=url, slack=slack_settings(slack, **extra)), runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
            yield Harness(app, client, slack, runtime)


@pytest.fixture
async def harness(
    sqlite_url: str, slack: FakeSlackApi, clock: SimulatedClock, library: Library
) -> AsyncIterator[Harness]:
    async for running in running_harness(sqlite_url, slack, clock, library):
        yield running


@pytest.fixture
async def any_db_harness(
    db_url: str, slack: FakeSlackApi, clock: SimulatedClock, library: Library
) -> AsyncIterator[Harness]:
    """The same, on SQLite and (when AFTERCARE_TEST_POSTGRES_URL is set) PostgreSQL."""
    async for running in running_harness(db_url, slack, clock, library):
        yield running


async def post_to(slack: FakeSlackApi, user: str, reply: Reply) -> tuple[str, dict[str, Any]]:
    """Send a message to this person through the Slack delivery channel (as the outbox would); return the DM and it."""
    channel = make_channel(Settings(slack=slack_settings(slack)))
    await channel.send(Recipient(key=f"test:{user}", platform="slack", address=f"{TEAM}:{user}"), reply)
    await channel.close()
    dm = str(slack.calls_to("chat.postMessage")[-1].params["channel"])
    return dm, slack.messages(dm)[-1]
