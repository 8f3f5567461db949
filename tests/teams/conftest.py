"""The Teams app over the fake Bot Connector: the real SDK, real RS256 tokens, the small test programme loaded."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from bot.settings import TeamsOptions, TeamsSettings
from bot.teams.wiring import MESSAGING_ENDPOINT, TeamsBot, build_teams, close_teams
from storage.programme_store import store_programme
from tests.factories import FACILITATOR, MANAGER, OWNER, PRACTITIONER, make_programme_doc
from tests.fakes.teams_connector import FakeConnector, running_connector
from tests.fakes.teams_tokens import (
    FAKE_TENANT_ID,
    invoke_adaptive_card_action,
    message_activity,
    mint_token,
    task_fetch,
    task_submit,
)

OWNER_AAD = "0a000000-0000-4000-8000-00000000a001"
MANAGER_AAD = "0a000000-0000-4000-8000-00000000a002"
WORKER_AAD = "0a000000-0000-4000-8000-00000000a003"
FACILITATOR_AAD = "0a000000-0000-4000-8000-00000000a004"
STRANGER_AAD = "0a000000-0000-4000-8000-00000000a0ff"
PEOPLE = {OWNER_AAD: OWNER, MANAGER_AAD: MANAGER, WORKER_AAD: PRACTITIONER, FACILITATOR_AAD: FACILITATOR}


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeConnector]:
    with running_connector(validate_schema=True) as fake:
        yield fake


@pytest.fixture
def fake(shared_fake: FakeConnector) -> FakeConnector:
    """The fake connector, emptied, knowing three people of the test programme (by email) and a stranger."""
    shared_fake.reset()
    for aad, email in PEOPLE.items():
        shared_fake.add_user(aad, email=email)
        shared_fake.add_conversation(chat_of(shared_fake, aad), members=[aad])
    shared_fake.add_user(STRANGER_AAD, email="stranger@elsewhere.example")
    shared_fake.add_conversation(chat_of(shared_fake, STRANGER_AAD), members=[STRANGER_AAD])
    return shared_fake


def chat_of(fake: FakeConnector, aad: str, tenant: str = FAKE_TENANT_ID) -> str:
    """The person's 1:1 chat with the bot (the id Teams gives it)."""
    return fake.personal_conversation_id(aad, tenant)


async def loaded_runtime(url: str, clock: SimulatedClock) -> Runtime:
    runtime = assemble(url, clock=clock, secret=b"teams-tests")
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), clock.now(), "Europe/London")
    return runtime


@dataclass
class Harness:
    fake: FakeConnector
    bot: TeamsBot
    client: httpx.AsyncClient
    runtime: Runtime

    def token(self, **claims: Any) -> str:
        options: dict[str, Any] = {"aud": self.fake.app_id, "serviceurl": self.fake.service_url, **claims}
        return mint_token(**options)

    async def post(
        self, activity: dict[str, Any], token: str | None = None, *, anonymous: bool = False
    ) -> httpx.Response:
        """POST an activity with a valid token, the token given, or (anonymous) no Authorization header."""
        headers = {} if anonymous else {"Authorization": f"Bearer {token or self.token()}"}
        return await self.client.post(MESSAGING_ENDPOINT, json=activity, headers=headers)

    def ids(self, aad: str) -> tuple[str, str, str, str]:
        return aad, FAKE_TENANT_ID, chat_of(self.fake, aad), self.fake.service_url

    async def say(self, aad: str, text: str, **extra: Any) -> httpx.Response:
        response = await self.post(message_activity(text, *self.ids(aad), **extra))
        assert response.status_code == 200, response.text
        return response

    async def press(self, aad: str, verb: str, value: str, reply_to_id: str | None = None) -> dict[str, Any]:
        activity = invoke_adaptive_card_action(verb, {"value": value}, *self.ids(aad), reply_to_id=reply_to_id)
        response = await self.post(activity)
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def fetch(self, aad: str, data: dict[str, Any]) -> dict[str, Any]:
        response = await self.post(task_fetch(data, *self.ids(aad)))
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def submit(self, aad: str, data: dict[str, Any]) -> dict[str, Any]:
        response = await self.post(task_submit(data, *self.ids(aad)))
        assert response.status_code == 200, response.text
        return dict(response.json())

    def replies(self, aad: str) -> list[dict[str, Any]]:
        return [a.body for a in self.fake.sent_to(chat_of(self.fake, aad)) if a.operation in ("send", "reply")]


def build(fake: FakeConnector, runtime: Runtime, api: FastAPI, **options: Any) -> TeamsBot:
    settings = TeamsSettings(
        client_id=fake.app_id, tenant_id=FAKE_TENANT_ID, openid_metadata_url=fake.openid_metadata_url
    )
    chosen = TeamsOptions(service_url=fake.service_url, **options)
    return build_teams(settings, runtime, api, token=fake.token_provider, options=chosen)


@contextlib.asynccontextmanager
async def harness(fake: FakeConnector, runtime: Runtime, **options: Any) -> AsyncIterator[Harness]:
    api = FastAPI()
    bot = build(fake, runtime, api, **options)
    await bot.app.initialize()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://bot.test") as client:
            yield Harness(fake=fake, bot=bot, client=client, runtime=runtime)
    finally:
        await close_teams(bot)


@pytest.fixture
async def teams_runtime(sqlite_url: str, clock: SimulatedClock) -> AsyncIterator[Runtime]:
    runtime = await loaded_runtime(sqlite_url, clock)
    yield runtime
    await runtime.close()


@pytest.fixture
async def teams(fake: FakeConnector, teams_runtime: Runtime) -> AsyncIterator[Harness]:
    """The Teams app on SQLite, talking to the fake connector."""
    async with harness(fake, teams_runtime) as ready:
        yield ready
    refused = [r for r in fake.requests if r.status in (400, 413)]
    assert refused == [], "the fake connector refused a message (card schema or size)"
