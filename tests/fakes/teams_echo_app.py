"""A bare Teams SDK echo bot wired to the fake connector.

It proves the fake works with the real SDK end to end (JWT validation against the fake's keys, replies and
proactive sends through the fake's `/v3/conversations` API), and it is the baseline for latency benchmarks:
whatever our own bot adds on top of this is our cost, not the SDK's.

Under pytest's filterwarnings=error, note that microsoft-teams-apps 2.1.1 warns by itself: an ExperimentalWarning
when `microsoft_teams.apps` is imported (guarded below) and a DeprecationWarning ("The bot client is deprecated")
every time it builds an `ApiClient`, which includes every inbound activity. Tests that run the SDK must ignore
that DeprecationWarning (see `pytestmark` in test_teams_echo_app.py), or every activity answers 500.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

from fastapi import FastAPI
from microsoft_teams.api.activities import MessageActivity
from microsoft_teams.api.activities.invoke import AdaptiveCardInvokeActivity
from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
from microsoft_teams.api.auth.credentials import TokenProvider
from microsoft_teams.api.models import AdaptiveCardActionMessageResponse, AdaptiveCardInvokeResponse
from microsoft_teams.common.experimental import ExperimentalWarning

from tests.fakes.teams_connector import FakeConnector

with warnings.catch_warnings():
    # microsoft-teams-apps 2.1.1 warns at import time about its preview HTML-widget policy; pytest runs with
    # filterwarnings=error, so importing the package unguarded would fail the test run.
    warnings.simplefilter("ignore", ExperimentalWarning)
    from microsoft_teams.apps import ActivityContext, App, FastAPIAdapter

logger = logging.getLogger(__name__)

MESSAGING_ENDPOINT = "/api/messages"


@dataclass(frozen=True)
class EchoBot:
    api: FastAPI
    """The ASGI app: serve it, or call it through `httpx.ASGITransport`."""
    app: App
    """The Teams SDK app; `await app.initialize()` before the first request or `app.send()`."""


def build_echo_bot(*, app_id: str, openid_metadata_url: str, service_url: str, token: TokenProvider) -> EchoBot:
    """An SDK `App` mounted on a FastAPI app at /api/messages, echoing each message as "Echo: <text>"."""
    api = FastAPI()
    app = App(
        client_id=app_id,
        token=token,  # with no client_secret, the SDK uses this callable for every outbound call
        cloud=with_overrides(PUBLIC, openid_metadata_url=openid_metadata_url),
        service_url=service_url,
        http_server_adapter=FastAPIAdapter(app=api),
        messaging_endpoint=MESSAGING_ENDPOINT,
    )

    @app.on_message
    async def echo(ctx: ActivityContext[MessageActivity]) -> None:
        await ctx.send(f"Echo: {ctx.activity.text}")

    @app.on_card_action
    async def acknowledge(ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> AdaptiveCardInvokeResponse:
        return AdaptiveCardActionMessageResponse(value=f"Done: {ctx.activity.value.action.verb}")

    return EchoBot(api=api, app=app)


def echo_bot_for(fake: FakeConnector) -> EchoBot:
    """The echo bot wired to a running fake connector."""
    return build_echo_bot(
        app_id=fake.app_id,
        openid_metadata_url=fake.openid_metadata_url,
        service_url=fake.service_url,
        token=fake.token_provider,
    )
