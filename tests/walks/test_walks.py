"""The walks of docs/design.md, measured: which of our files a Slack and a Teams request run code in, from the signed
request to the platform's answer. The adapter's files and the pipeline (bot/runtime.py) are the walk; the handlers
and storage behind the ports, and what every request passes whatever its platform (metrics, logs, the clock, the
ports built in bot/compose.py, the pipeline's helpers bot/accounts.py and bot/form_seal.py) are listed, not counted.
A walk may only get shorter: a new file on it fails here."""

from __future__ import annotations

import asyncio

from bot.clock import SimulatedClock
from handlers.home import HOME_REFRESH
from handlers.library import Library
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.teams_connector import FakeConnector
from tests.slack.conftest import OWNER_ID, running_harness
from tests.slack.test_home import home_opened, published
from tests.teams.conftest import OWNER_AAD, Harness, chat_of, harness, loaded_runtime
from tests.walks.tracing import files_run

PIPELINE = {"bot/runtime.py"}
SHARED = {"bot/accounts.py", "bot/form_seal.py", "bot/compose.py", "bot/metrics.py", "bot/logs.py", "bot/clock.py",
          "bot/notify.py", "bot/plan_poster.py", "bot/reports/poster.py"}  # fmt: skip
SLACK_WALK = {"bot/slack/edge.py", "bot/slack/inbound.py", "bot/slack/listeners.py", "bot/slack/render.py"}
TEAMS_WALK = {"bot/teams/edge.py", "bot/teams/inbound.py", "bot/teams/listeners.py", "bot/teams/render.py"}


def walk(found: set[str], platform: str) -> set[str]:
    """The adapter's files and the pipeline; anything else of bot/ must be one of the shared ones."""
    ours = {f for f in found if f.startswith("bot/")}
    assert ours - PIPELINE - SHARED - {f for f in ours if f.startswith(f"bot/{platform}/")} == set()
    return {f for f in ours if f.startswith(f"bot/{platform}/")} | (ours & PIPELINE)


async def test_a_slack_command_and_the_app_home_walk_through_five_files(
    sqlite_url: str, slack: FakeSlackApi, clock: SimulatedClock, library: Library
):
    async for slack_app in running_harness(sqlite_url, slack, clock, library):
        await slack_app.command("/actions A07")  # imports and first-time set-up are not the walk
        with files_run() as found:
            response = await slack_app.command("/actions A07 on track")
        assert response.status_code == 200 and "On track" in response.text
        assert walk(found, "slack") == SLACK_WALK | PIPELINE
        assert {"handlers/dispatch.py", "handlers/actions.py"} <= found  # the handler the walk reached

        with files_run() as found:
            await slack_app.event(home_opened(OWNER_ID))
            await published(slack_app, OWNER_ID)
            await asyncio.sleep(0.1)
        assert walk(found, "slack") == SLACK_WALK | PIPELINE
        assert "handlers/home.py" in found
    assert len(SLACK_WALK | PIPELINE) == 5


async def test_a_teams_message_and_a_home_button_walk_through_five_files(
    sqlite_url: str, fake: FakeConnector, clock: SimulatedClock
):
    runtime = await loaded_runtime(sqlite_url, clock)
    try:
        async with harness(fake, runtime) as teams:
            await teams.say(OWNER_AAD, "actions A07")  # imports and first-time set-up are not the walk
            with files_run() as found:
                await teams.say(OWNER_AAD, "actions A07 on track")
            assert "On track" in str(teams.replies(OWNER_AAD)[-1])
            assert walk(found, "teams") == TEAMS_WALK | PIPELINE
            assert {"handlers/dispatch.py", "handlers/actions.py"} <= found

            message_id = await home_message(teams)
            with files_run() as found:
                await teams.press(OWNER_AAD, HOME_REFRESH, "1", reply_to_id=message_id)
            assert walk(found, "teams") == TEAMS_WALK | PIPELINE
            assert "handlers/home.py" in found
    finally:
        await runtime.close()
    assert len(TEAMS_WALK | PIPELINE) == 5


async def home_message(teams: Harness) -> str:
    await teams.say(OWNER_AAD, "home")
    return teams.fake.sent_to(chat_of(teams.fake, OWNER_AAD))[-1].activity_id
