"""Socket Mode, when SLACK_APP_TOKEN is set: the connection is asked for at SLACK_API_URL with the app token."""

from __future__ import annotations

import asyncio
import contextlib

from bot.clock import SimulatedClock
from handlers.library import Library
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import eventually, running_harness

APP_TOKEN = "xapp-1-A0FAKEAPP1-1234-abcdef"


async def test_socket_mode_connects_through_the_configured_web_api_without_holding_up_http(
    sqlite_url: str, slack: FakeSlackApi, clock: SimulatedClock, library: Library
):
    async for harness in running_harness(sqlite_url, slack, clock, library, app_token=APP_TOKEN):
        # The fake has no WebSocket server, so the client keeps asking; HTTP is served meanwhile.
        assert (await harness.client.get("/healthz")).status_code == 200
        calls = await eventually(lambda: slack.calls_to("apps.connections.open"))
        assert calls[0].token == APP_TOKEN
        task = harness.app.state.slack.socket_task
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_stopping_the_server_closes_socket_mode(
    sqlite_url: str, slack: FakeSlackApi, clock: SimulatedClock, library: Library
):
    async for harness in running_harness(sqlite_url, slack, clock, library, app_token=APP_TOKEN):
        await eventually(lambda: slack.calls_to("apps.connections.open"))
        state = harness.app.state.slack
    # running_harness has left the app's lifespan: the server has stopped
    assert state.socket_task.done()
    assert state.socket.client.closed
    asked = len(slack.calls_to("apps.connections.open"))
    await asyncio.sleep(1.5)
    assert len(slack.calls_to("apps.connections.open")) == asked, "Socket Mode kept reconnecting after the stop"
