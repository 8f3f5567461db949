"""Inbound tokens: only a valid Bot Framework token reaches a handler; no bypass unless explicitly named."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from bot.compose import assemble
from bot.runtime import Runtime
from bot.settings import TeamsSettings
from bot.teams.wiring import build_app, close_teams
from storage.models import ActionRow
from tests.fakes.teams_connector import FakeConnector
from tests.fakes.teams_tokens import FAKE_TENANT_ID, message_activity, rogue_private_key
from tests.teams.conftest import OWNER_AAD, Harness, chat_of, harness

CHANGE = "actions A07 on track Weekly huddles started"


async def a07_status(runtime: Runtime) -> str:
    async with runtime.sessions() as session:
        return str((await session.execute(select(ActionRow.status).where(ActionRow.code == "A07"))).scalar_one())


def change(teams: Harness) -> dict[str, Any]:
    return message_activity(CHANGE, *teams.ids(OWNER_AAD))


async def test_a_valid_token_gets_200_and_the_command_runs(teams: Harness):
    response = await teams.post(change(teams))
    assert response.status_code == 200
    assert await a07_status(teams.runtime) == "on_track"
    assert [r["text"] for r in teams.replies(OWNER_AAD)] == [
        "A07 is now 'On track'. Note saved: Weekly huddles started"
    ]


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"exp_in": -600}, id="expired"),
        pytest.param({"aud": "another-bot"}, id="wrong audience"),
        pytest.param({"serviceurl": "https://smba.trafficmanager.net/amer/"}, id="wrong serviceurl claim"),
        pytest.param({"serviceurl": None}, id="no serviceurl claim"),
        pytest.param({"kid": "unknown-key"}, id="unknown key"),
        pytest.param({"private_key": "rogue"}, id="signed by an unpublished key"),
        pytest.param({"iss": "https://sts.example.test/"}, id="wrong issuer"),
    ],
)
async def test_a_bad_token_gets_401_and_no_handler_runs(teams: Harness, claims: dict[str, Any]):
    if claims.get("private_key") == "rogue":
        claims = {**claims, "private_key": rogue_private_key()}
    response = await teams.post(change(teams), teams.token(**claims))
    assert response.status_code == 401
    assert await a07_status(teams.runtime) == "not_started"
    assert teams.fake.activities == []


async def test_a_missing_token_gets_401(teams: Harness):
    response = await teams.post(change(teams), anonymous=True)
    assert response.status_code == 401
    assert await a07_status(teams.runtime) == "not_started"
    assert teams.fake.activities == []


async def test_the_sdks_own_bypass_variable_is_ignored(
    fake: FakeConnector, teams_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "true")
    async with harness(fake, teams_runtime) as teams:
        assert (await teams.post(change(teams), anonymous=True)).status_code == 401
    assert await a07_status(teams_runtime) == "not_started"


async def test_the_named_development_bypass_accepts_unsigned_requests(
    fake: FakeConnector, teams_runtime: Runtime, caplog: pytest.LogCaptureFixture
):
    async with harness(fake, teams_runtime, dangerously_allow_unauthenticated=True) as teams:
        assert (await teams.post(change(teams), anonymous=True)).status_code == 200
    assert await a07_status(teams_runtime) == "on_track"
    assert "NOT validated" in caplog.text


@pytest.mark.parametrize("variable", ["CLIENT_SECRET", "TENANT_ID"])
def test_sdk_environment_credentials_are_refused(fake: FakeConnector, monkeypatch: pytest.MonkeyPatch, variable: str):
    monkeypatch.setenv(variable, "from-the-environment")
    settings = TeamsSettings(client_id=fake.app_id, openid_metadata_url=fake.openid_metadata_url)
    with pytest.raises(RuntimeError, match="unset them"):
        build_app(settings, FastAPI(), fake.token_provider, service_url=fake.service_url)


async def test_an_activity_whose_two_tenants_disagree_is_ignored(teams: Harness):
    activity = change(teams)
    activity["conversation"]["tenantId"] = "another-tenant"
    assert (await teams.post(activity)).status_code == 200
    assert await a07_status(teams.runtime) == "not_started"
    assert teams.fake.activities == []


async def test_outbound_calls_use_the_injected_token_provider(teams: Harness):
    await teams.say(OWNER_AAD, "help")
    assert teams.fake.token_requests
    assert {scope for scope, _tenant in teams.fake.token_requests} == {"https://api.botframework.com/.default"}
    assert teams.fake.sent_to(chat_of(teams.fake, OWNER_AAD, FAKE_TENANT_ID))


async def test_the_server_mounts_teams_at_api_messages(
    fake: FakeConnector, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
):
    """`aftercare serve` wiring: with TEAMS_CLIENT_ID set, POST /api/messages exists and demands a token."""
    from bot.server import create_app
    from bot.settings import Settings

    settings = Settings(
        database_url=sqlite_url,
        teams=TeamsSettings(
            client_id=fake.app_id, client_secret="s3cret", openid_metadata_url=fake.openid_metadata_url
        ),
    )
    app = create_app(settings, assemble(sqlite_url, secret=b"x"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
            activity = message_activity("help", *("aad", FAKE_TENANT_ID, "a:1x", fake.service_url))
            assert (await client.post("/api/messages", json=activity)).status_code == 401
            assert (await client.get("/healthz")).status_code == 200
    await close_teams(app.state.teams)
