"""The Teams wire, both ways: what a request to POST /api/messages meets first, which activities get in and where
each goes, and the Bot Connector calls our answers go out by.

In: the SDK answers a body it cannot read (not JSON, not an object, not an activity it knows) with a 500, after
logging the exception's text. Here a request without a bearer token gets 401 (the SDK's answer), and a body that
is not a JSON object the SDK can read as an activity gets 400; only then does the SDK check the token and hand the
activity to ``route`` (``App.server.handle_request``, the SDK's public entry point for this). ``Door.admitted`` lets
an activity go further only when it comes from Teams itself (``channelId`` ``msteams``) in an allowed tenant: for
any other nothing is stored and no handler runs (a message from a tenant not allowed gets a kind word, nothing
else). ``route`` puts one handler on the SDK's router for the one table of routes (bot/teams/wiring.py).

Out: ``Connector`` makes every Bot Connector call through our own retrying path (the Teams SDK does not retry, not
even a 429). A failure becomes a ``DeliveryError`` (bot/teams/connector_errors.py says which are permanent);
``Connector`` retries the others a few times itself when asked to (replies while a person waits); the delivery
worker gets the error and reschedules (proactive messages).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI
from microsoft_teams.api import Account, ActivityTypeAdapter, ApiClient, ConversationAccount
from microsoft_teams.api.activities import MessageActivity
from microsoft_teams.api.activities.message import MessageActivityInput
from microsoft_teams.api.clients.conversation.params import CreateConversationParams
from microsoft_teams.common.experimental import ExperimentalWarning
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.teams import render
from bot.teams.connector_errors import delivery_error
from bot.teams.inbound import tenant_of, turn_of
from handlers.errors import DeliveryError, PermanentDeliveryError
from handlers.reply import refusal

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ExperimentalWarning)
    from microsoft_teams.apps import App
    from microsoft_teams.apps.events import CoreActivity
    from microsoft_teams.apps.http.adapter import HttpRequest

logger = logging.getLogger(__name__)

T = TypeVar("T")
CHANNEL = "msteams"  # the Bot Framework channel id of Microsoft Teams
TENANT_NOT_ALLOWED = "This Teams organisation isn't set up for Aftercare; please ask your facilitator."
BASE_BACKOFF = 0.5  # seconds, doubled on each attempt, with full jitter

Handler = Callable[[Any], Awaitable[Any]]


# ----- in: admission and the route table -----
class Door:
    """Which activities may go any further: from Teams itself, in an allowed tenant."""

    def __init__(self, allowed_tenants: frozenset[str] | None) -> None:
        """``allowed_tenants``: the tenants whose people may use the bot; None only when the operator has
        explicitly allowed every tenant (AFTERCARE_TEAMS_ALLOW_ALL_TENANTS, bot/teams/wiring.py)."""
        self.allowed_tenants = allowed_tenants

    def tenant_allowed(self, tenant_id: str) -> bool:
        return self.allowed_tenants is None or tenant_id in self.allowed_tenants

    def admitted(self, activity: Any) -> bool:
        """Whether an activity may go any further. Nothing is stored and no handler runs for one that is not."""
        fields: set[str] = getattr(activity, "model_fields_set", set())
        if "channel_id" not in fields or getattr(activity, "channel_id", None) != CHANNEL:
            logger.warning("an activity from another channel than Teams was refused")
            return False
        tenant = tenant_of(activity)
        if tenant is None or not self.tenant_allowed(tenant):
            logger.warning("an activity from a tenant that is not allowed was refused")
            return False
        return True


@dataclass(frozen=True)
class Route:
    kinds: type | tuple[type, ...]
    handler: Handler
    refused: Callable[[], Any]  # the answer to an activity of this kind that was not admitted


def route(router: Any, table: tuple[Route, ...], door: Door, connector: Connector) -> None:
    """One handler on the SDK's router: admission once, then the one route for the activity's kind."""

    def find(activity: Any) -> Route | None:
        return next((r for r in table if isinstance(activity, r.kinds)), None)

    async def handle(ctx: Any) -> Any:
        chosen = find(ctx.activity)
        if chosen is None:
            return None
        if not door.admitted(ctx.activity):
            if isinstance(ctx.activity, MessageActivity):
                await turn_away(door, connector, ctx.activity)
            return chosen.refused()
        return await chosen.handler(ctx)

    router.add_handler(lambda activity: find(activity) is not None, handle)


async def turn_away(door: Door, connector: Connector, activity: Any) -> None:
    """A kind word to someone of a tenant that is not allowed (from Teams itself only); nothing is stored."""
    turn = turn_of(activity)
    if turn is None or getattr(activity, "channel_id", None) != CHANNEL or door.tenant_allowed(turn.tenant_id):
        return
    try:
        await connector.send(turn.service_url, turn.conversation_id, render.message(refusal(TENANT_NOT_ALLOWED)))
    except Exception as error:  # best effort
        logger.warning("a refusal could not be sent to Teams (%s)", type(error).__name__)


def readable(body: Any) -> bool:
    """Whether the SDK can read this body as an activity (as it will, after the token check)."""
    if not isinstance(body, dict):
        return False
    try:
        core = CoreActivity.model_validate(body)
        ActivityTypeAdapter.validate_python(core.model_dump(by_alias=True, exclude_none=True))
    except Exception:  # whatever pydantic raises on it: not an activity the Bot Connector sends
        return False
    return True


def guard_messages(api: FastAPI, app: App, path: str, *, require_token: bool = True) -> None:
    """Route POST ``path`` through the checks above; call before ``app.initialize()`` so this route comes first."""

    async def messages(request: Request) -> Response:
        authorization = request.headers.get("authorization", "")
        if require_token and not authorization.startswith("Bearer "):
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        if not readable(body):
            logger.warning("a Teams request that is not a readable activity was refused")
            return JSONResponse({"error": "Bad request"}, status_code=400)
        result = await app.server.handle_request(HttpRequest(body=body, headers=dict(request.headers)))
        answer = result.get("body")
        if answer is not None:
            return JSONResponse(answer, status_code=result["status"])
        return Response(status_code=result["status"])

    api.add_api_route(path, messages, methods=["POST"], include_in_schema=False)


# ----- out: the Bot Connector -----
def jitter(attempt: int) -> float:
    """Exponential backoff with full jitter, as Microsoft recommends for the Bot Connector."""
    return random.uniform(0, BASE_BACKOFF * 2 ** (attempt - 1))  # noqa: S311 (timing, not secrecy)


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    attempts: int,
    max_wait: float,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Run `call`, retrying retryable failures up to `attempts` times in all; waits never exceed `max_wait`."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except (httpx.HTTPStatusError, httpx.TransportError) as raw:
            error = delivery_error(raw)
            if isinstance(error, PermanentDeliveryError) or attempt == attempts:
                raise error from raw
            wait = error.retry_after if error.retry_after is not None else jitter(attempt)
            if wait > max_wait:
                raise error from raw
            logger.info("Teams send retried after %.2f s (%s)", wait, error.reason)
            await sleep(wait)
    raise AssertionError("unreachable")


class Connector:
    """The Bot Connector calls Aftercare makes, for any serviceUrl, each through `with_retries`."""

    def __init__(
        self,
        api: ApiClient,
        app_id: str,
        *,
        attempts: int = 3,
        max_wait: float = 4.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._root = api
        self.app_id = app_id
        self.attempts = attempts
        self.max_wait = max_wait
        self._sleep = sleep
        self._apis: dict[str, ApiClient] = {}

    async def close(self) -> None:
        """Close the HTTP connections this connector's API clients share."""
        await self._root.http.http.aclose()

    def api(self, service_url: str) -> ApiClient:
        url = service_url.rstrip("/")
        found = self._apis.get(url)
        if found is None:
            found = self._root if url == self._root.service_url else self._root.clone(service_url=url)
            self._apis[url] = found
        return found

    async def _retrying(self, call: Callable[[], Awaitable[T]], attempts: int | None) -> T:
        return await with_retries(call, attempts=attempts or self.attempts, max_wait=self.max_wait, sleep=self._sleep)

    def _activity(self, conversation_id: str, activity: dict[str, Any]) -> MessageActivityInput:
        built = MessageActivityInput.model_validate(activity)
        built.from_ = Account(id=self.app_id)
        built.conversation = ConversationAccount(id=conversation_id)
        return built

    async def send(
        self, service_url: str, conversation_id: str, activity: dict[str, Any], *, attempts: int | None = None
    ) -> str:
        """Post a message; returns its activity id."""
        conversations = self.api(service_url).conversations
        message = self._activity(conversation_id, activity)
        sent = await self._retrying(lambda: conversations.create_activity(conversation_id, message), attempts)
        return str(sent.id)

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None:
        """Replace a message the bot sent (a card updated in place)."""
        conversations = self.api(service_url).conversations
        message = self._activity(conversation_id, activity)
        await self._retrying(lambda: conversations.update_activity(conversation_id, activity_id, message), None)

    async def open_personal(
        self, service_url: str, tenant_id: str, member_id: str, *, attempts: int | None = None
    ) -> str:
        """The id of the bot's 1:1 chat with a person (created if needed; Teams answers the same id again)."""
        params = CreateConversationParams(
            members=[Account(id=member_id)], tenant_id=tenant_id, channel_data={"tenant": {"id": tenant_id}}
        )
        conversations = self.api(service_url).conversations
        created = await self._retrying(lambda: conversations.create(params), attempts)
        return str(created.id)

    async def member_emails(self, service_url: str, conversation_id: str, member_id: str, tenant_id: str) -> list[str]:
        """The addresses Teams holds for a member (email, then UPN); none if Teams will not say."""
        conversations = self.api(service_url).conversations
        try:
            member = await self._retrying(lambda: conversations.get_member_by_id(conversation_id, member_id), 2)
        except DeliveryError as error:
            logger.info("member lookup in tenant %s failed: %s", tenant_id, error.reason)
            return []
        if member.tenant_id and member.tenant_id != tenant_id:
            return []
        found = [member.email, member.user_principal_name]
        return list(dict.fromkeys(address.lower() for address in found if address and "@" in address))
