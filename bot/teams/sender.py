"""Calls to the Bot Connector, through our own retrying path (the Teams SDK does not retry, not even a 429).

Every failure becomes a `DeliveryError` with a reason: `PermanentDeliveryError` when it will never succeed (the
person blocked the bot, the app was removed, the conversation is gone, Teams refused the message), otherwise a
retryable one carrying `retry_after` (429 with its Retry-After; 412, 502, 504 and other transient failures, which
Microsoft asks bots to retry with backoff and jitter). `Connector` retries those a few times itself when asked to
(replies while a person waits); the delivery worker gets the error and reschedules (proactive messages).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from microsoft_teams.api import Account, ApiClient, ConversationAccount
from microsoft_teams.api.activities.message import MessageActivityInput
from microsoft_teams.api.clients.conversation.params import CreateConversationParams

from handlers.errors import DeliveryError, PermanentDeliveryError

logger = logging.getLogger(__name__)

T = TypeVar("T")
PERMANENT_REASONS = {
    "ConversationBlockedByUser": "the person blocked the bot",
    "BotNotInConversationRoster": "the app was removed from this conversation",
    "ForbiddenOperationException": "the app is not installed for this person",
    "ConversationNotFound": "the conversation no longer exists",
    "MemberNotFoundInConversation": "the person is not in this conversation",
    "MessageSizeTooBig": "the message is too large for Teams",
}
RETRYABLE_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
BASE_BACKOFF = 0.5  # seconds, doubled on each attempt, with full jitter


def error_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("code", "")) if isinstance(error, dict) else ""


def retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(raw)) if raw else None
    except ValueError:
        return None


def delivery_error(error: Exception) -> DeliveryError:
    """A Bot Connector failure as the domain's delivery error, with the reason a person can read."""
    if isinstance(error, httpx.HTTPStatusError):
        status, code = error.response.status_code, error_code(error.response)
        label = f"Teams answered {status}{' ' + code if code else ''}"
        if status in RETRYABLE_STATUSES or status == 401:
            return DeliveryError(label, retry_after=retry_after(error.response))
        reason = PERMANENT_REASONS.get(code, "Teams refused the message")
        return PermanentDeliveryError(f"{label}: {reason}")
    if isinstance(error, httpx.TransportError):
        return DeliveryError(f"Teams could not be reached ({type(error).__name__})")
    raise error


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
