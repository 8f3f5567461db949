"""The Slack app: a Bolt AsyncApp mounted in the FastAPI app of `aftercare serve` (CONTRACT §4).

``mount_slack`` adds POST /slack/events (Events API, slash commands and interactivity on one Request URL, as in
manifest.yaml) and GET /slack/install and /slack/oauth_redirect (multi-workspace OAuth), and, when
``SLACK_APP_TOKEN`` is set, connects Socket Mode as well, in the background (it retries until Slack answers).
Bolt verifies every request's signature and timestamp (a bad signature or one older than five minutes gets 401
and reaches no listener). Every Web API call, the OAuth token exchange and Socket Mode's connection included, goes
to ``SLACK_API_URL``.

Logging: Bolt and slack_sdk write request bodies at DEBUG and, for a bad signature, at INFO; their loggers here
stop at INFO and drop any record that mentions a body, so payloads, tokens and what people wrote never reach the
logs, even under ``--debug``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from fastapi import FastAPI
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot import plan_uploads
from bot.runtime import Runtime
from bot.settings import Settings, SlackSettings
from bot.slack import render
from bot.slack.edge import SlackApp
from bot.slack.listeners import APOLOGY, Listeners, SlackPeople
from bot.slack.oauth import INSTALL_PATH, REDIRECT_PATH, Installations, SingleWorkspace, is_oauth, oauth_settings
from bot.slack.plan_files import PlanFiles
from handlers.dispatch import BUTTON_HANDLERS, FORM_HANDLERS
from handlers.grammar import COMMANDS

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
SLASH_COMMANDS = tuple(f"/{word}" for word in COMMANDS)
EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked", "file_shared")


class NoBodies(logging.Filter):
    """Drops log records that would carry a request or response body, or a token; and Bolt's warning that it read
    SLACK_BOT_TOKEN from the environment although it was given a client, which is expected here."""

    WORDS = ("body", "Body", "xoxb-", "xoxp-", "xapp-", "payload", "`token` will be unused")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(word in message for word in self.WORDS)


def quiet_logger(name: str) -> logging.Logger:
    found = logging.getLogger(name)
    found.setLevel(logging.INFO)
    if not any(isinstance(f, NoBodies) for f in found.filters):
        found.addFilter(NoBodies())
    return found


def api_url(slack: SlackSettings) -> str:
    return slack.api_url if slack.api_url.endswith("/") else slack.api_url + "/"


def web_client(slack: SlackSettings, token: str | None = None, *, interactive: bool = True) -> AsyncWebClient:
    """A client for ``SLACK_API_URL``. Interactive paths retry one 429 or 5xx; the outbox handles its own."""
    handlers: list[Any] = [AsyncConnectionErrorRetryHandler()]
    if interactive:
        handlers += [
            AsyncRateLimitErrorRetryHandler(max_retry_count=1),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ]
    return AsyncWebClient(
        token=token, base_url=api_url(slack), logger=quiet_logger("bot.slack.sdk"), retry_handlers=handlers
    )


def action_pattern() -> re.Pattern[str]:
    """Every button the handlers define, with or without the ``~n`` suffix render adds to repeated ids."""
    ids = sorted({*BUTTON_HANDLERS, *plan_uploads.BUTTONS})
    return re.compile("^(?:" + "|".join(re.escape(i) for i in ids) + ")(?:" + re.escape(render.SUFFIX) + r"\d+)?$")


def build_slack(slack: SlackSettings, runtime: Runtime) -> SlackApp:
    if slack.signing_secret is None:
        raise ValueError("Slack needs SLACK_SIGNING_SECRET.")
    oauth = is_oauth(slack)
    if not oauth and slack.bot_token is None:
        raise ValueError("Slack needs SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth.")
    token = None if oauth or slack.bot_token is None else slack.bot_token.get_secret_value()
    client = web_client(slack, token)
    settings = oauth_settings(slack, runtime.engine) if oauth else None
    bolt = AsyncApp(
        signing_secret=slack.signing_secret.get_secret_value(),
        client=client,
        oauth_settings=settings,
        logger=quiet_logger("bot.slack.bolt"),
        request_verification_enabled=True,
        # Listeners manage the 3-second deadline themselves (bot/slack/listeners.py); this spares every request
        # Bolt's 10 ms polling for the acknowledgement.
        process_before_response=True,
    )
    if settings is not None and settings.installation_store is not None:
        tokens: Installations | SingleWorkspace = Installations(settings.installation_store)
    else:
        tokens = SingleWorkspace(token or "", client)
    people = SlackPeople(runtime, tokens)
    listeners = Listeners(people)
    register(bolt, listeners, oauth=oauth, plan_files=PlanFiles(listeners, api_url(slack)))
    verifier = SignatureVerifier(slack.signing_secret.get_secret_value())
    return SlackApp(bolt, AsyncSlackRequestHandler(bolt), people, verifier=verifier)


def register(bolt: AsyncApp, listeners: Listeners, *, oauth: bool, plan_files: PlanFiles | None = None) -> None:
    for command in SLASH_COMMANDS:
        bolt.command(command)(listeners.command)
    bolt.action(action_pattern())(listeners.button)
    for form_id in FORM_HANDLERS:
        bolt.view(form_id)(listeners.submission)
    bolt.event("app_home_opened")(listeners.home_opened)
    if plan_files is not None:
        bolt.event("file_shared")(plan_files.shared)  # files sent to the bot in its DM (bot/slack/plan_files.py)
    if oauth:
        bolt.enable_token_revocation_listeners()
    else:
        bolt.event("app_uninstalled")(listeners.uninstalled)
        bolt.event("tokens_revoked")(listeners.uninstalled)

    @bolt.error
    async def on_error(error: Exception, body: dict[str, Any], respond: AsyncRespond | None = None) -> None:
        logger.error("a Slack request failed: %s", type(error).__name__, exc_info=error)
        if respond is not None and respond.response_url is not None:
            await respond(text=APOLOGY, response_type="ephemeral", replace_original=False)


async def mount_slack(settings: Settings, runtime: Runtime, app: FastAPI) -> None:
    """Called by bot.server at start-up when SLACK_SIGNING_SECRET is set."""
    slack = build_slack(settings.slack, runtime)
    app.state.slack = slack
    app.add_api_route(EVENTS_PATH, slack.handle, methods=["POST"], include_in_schema=False)
    app.add_api_route(INSTALL_PATH, slack.handle, methods=["GET"], include_in_schema=False)
    app.add_api_route(REDIRECT_PATH, slack.handle, methods=["GET"], include_in_schema=False)
    mode = "multi-workspace OAuth" if is_oauth(settings.slack) else "single-workspace"
    if settings.slack.app_token is not None:
        slack.socket = AsyncSocketModeHandler(
            slack.bolt,
            settings.slack.app_token.get_secret_value(),
            logger=quiet_logger("bot.slack.socket"),
            web_client=slack.bolt.client,
        )
        # In the background: the client keeps retrying until Slack answers, and HTTP must not wait for it.
        connecting = slack.socket.connect_async()  # type: ignore[no-untyped-call]
        slack.socket_task = asyncio.create_task(connecting, name="slack-socket-mode")
        mode += ", Socket Mode"
    logger.info("Slack is on (%s) at %s", mode, EVENTS_PATH)


async def close_slack(slack: SlackApp) -> None:
    """Disconnect Socket Mode (and stop its connecting task) and close the Web API client's session."""
    if slack.socket is not None:
        await slack.socket.close_async()  # type: ignore[no-untyped-call]
    if slack.socket_task is not None:
        slack.socket_task.cancel()
        await asyncio.gather(slack.socket_task, return_exceptions=True)
    session = slack.bolt.client.session
    if session is not None and not session.closed:
        await session.close()
