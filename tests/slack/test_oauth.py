"""Multi-workspace OAuth: /slack/install redirects to the consent page beside SLACK_API_URL, /slack/oauth_redirect
exchanges the code with the fake and stores the installation in our database; requests are then authorized by it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.clock import SimulatedClock
from bot.slack.oauth import BOT_SCOPES, authorization_url
from handlers.library import Library
from handlers.model import Status
from storage import slack_models
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import OWNER_ID, TEAM, Harness, running_harness
from tests.slack.test_commands import action

pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")


@pytest.fixture
async def oauth(
    sqlite_url: str, slack: FakeSlackApi, clock: SimulatedClock, library: Library
) -> AsyncIterator[Harness]:
    credentials = {"client_id": slack.client_id, "client_secret": slack.client_secret, "bot_token": None}
    async for running in running_harness(sqlite_url, slack, clock, library, **credentials):
        yield running


async def install(harness: Harness, team: str = TEAM) -> str:
    """The browser's part: /slack/install, Slack's consent (a code from the fake), back to /slack/oauth_redirect."""
    started = await harness.client.get("/slack/install")
    assert started.status_code == 302
    state = parse_qs(urlparse(started.headers["location"]).query)["state"][0]
    code = harness.slack.new_oauth_code(team_id=team, scopes=BOT_SCOPES)
    cookie = started.headers["set-cookie"].split(";")[0]  # Secure, so the test sends it as an https browser would
    finished = await harness.client.get(
        "/slack/oauth_redirect", params={"code": code, "state": state}, headers={"cookie": cookie}
    )
    assert finished.status_code == 200, finished.text
    return state


async def test_install_redirects_to_the_consent_page_with_least_privilege_scopes(oauth: Harness):
    response = await oauth.client.get("/slack/install")

    assert response.status_code == 302
    location = urlparse(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{oauth.slack.root_url}/oauth/v2/authorize"
    query = parse_qs(location.query)
    assert query["client_id"] == [oauth.slack.client_id]
    assert query["scope"] == [",".join(BOT_SCOPES)]
    assert "slack-app-oauth-state" in response.headers["set-cookie"]


async def test_the_redirect_exchanges_the_code_with_the_fake_and_stores_the_installation(oauth: Harness):
    await install(oauth)

    exchanged = oauth.slack.calls_to("oauth.v2.access")
    assert [call.ok for call in exchanged] == [True]
    async with oauth.runtime.engine.connect() as conn:
        rows = (await conn.execute(sa.select(slack_models.slack_bots))).mappings().all()
    assert [(row["team_id"], row["bot_token"].startswith(f"xoxb-{TEAM}-")) for row in rows] == [(TEAM, True)]


async def test_a_state_cannot_be_used_twice(oauth: Harness):
    state = await install(oauth)
    code = oauth.slack.new_oauth_code(team_id=TEAM)

    cookie = f"slack-app-oauth-state={state}"
    again = await oauth.client.get(
        "/slack/oauth_redirect", params={"code": code, "state": state}, headers={"cookie": cookie}
    )

    assert again.status_code in (400, 401)  # Bolt answers invalid_state with 401
    assert "invalid_state" in again.text
    assert len(oauth.slack.calls_to("oauth.v2.access")) == 1


async def test_commands_from_an_installed_workspace_use_its_installation(oauth: Harness):
    await install(oauth)

    response = await oauth.command("/actions A07 on track", user=OWNER_ID)

    assert response.status_code == 200
    assert response.json()["text"].startswith("A07 is now 'On track'")
    token = oauth.slack.calls_to("oauth.v2.access")[0]
    assert token.ok


async def test_a_workspace_that_never_installed_the_app_is_turned_away(oauth: Harness):
    response = await oauth.command("/actions A07 on track", user=OWNER_ID)

    assert response.status_code == 200
    assert "A07 is now" not in response.text
    assert (await action(oauth, "A07")).status is Status.NOT_STARTED


def test_authorization_url_sits_beside_the_web_api():
    assert authorization_url("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize"
    assert authorization_url("http://127.0.0.1:9/api") == "http://127.0.0.1:9/oauth/v2/authorize"


def _shape(table: sa.Table) -> list[tuple[str, str, bool]]:
    return [(c.name, repr(c.type), bool(c.nullable)) for c in table.columns]


def test_our_tables_are_the_ones_slack_sdk_builds():
    """storage/ may not import slack_sdk, so the tables are written out; this guards them against drift."""
    metadata = sa.MetaData()
    expected = {
        "slack_installations": SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"),
        "slack_bots": SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
        "slack_oauth_states": SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states"),
    }
    ours = {
        "slack_installations": slack_models.slack_installations,
        "slack_bots": slack_models.slack_bots,
        "slack_oauth_states": slack_models.slack_oauth_states,
    }
    for name, table in expected.items():
        assert _shape(ours[name]) == _shape(table), name
        assert {i.name for i in ours[name].indexes} == {i.name for i in table.indexes}
