"""A generic HTTP delivery channel: POSTs each message as JSON to ``BASE/send``. Used with the test fakes and bench.

Request: ``{"key", "platform", "address", "text", "reply"}``. Answers: 2xx accepted; 429 with ``Retry-After``;
5xx, 408, 412 transient; any other 4xx permanent, with ``{"error": reason}``. ``GET BASE/sent?key=K`` answers
``{"sent": true|false}`` for the in-doubt check. Pacing comes from ``paces`` (none by default).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import aiohttp

from bot.rate_limits import Pace
from handlers.delivery_ports import Recipient
from handlers.errors import DeliveryError, PermanentDeliveryError
from handlers.reply import Reply

logger = logging.getLogger(__name__)

TRANSIENT = {408, 412, 425}


class HttpChannel:
    def __init__(
        self,
        base_url: str,
        *,
        platform: str = "console",
        paces: Callable[[Recipient], list[Pace]] | None = None,
        timeout: float = 10.0,
        connections: int = 100,
    ) -> None:
        self.platform = platform
        self.base_url = base_url.rstrip("/")
        self._paces = paces
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    def paces(self, recipient: Recipient) -> list[Pace]:
        return self._paces(recipient) if self._paces is not None else []

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(timeout=self._timeout, connector=connector)
        return self._session

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        body = {
            "key": recipient.key,
            "platform": recipient.platform,
            "address": recipient.address,
            "text": reply.text,
            "reply": reply.model_dump(mode="json"),
        }
        try:
            async with self._client().post(f"{self.base_url}/send", json=body) as response:
                if response.status < 300:
                    return
                reason = await _reason(response)
                if response.status == 429:
                    raise DeliveryError(reason, retry_after=float(response.headers.get("Retry-After", "1")))
                if response.status >= 500 or response.status in TRANSIENT:
                    raise DeliveryError(f"HTTP {response.status}: {reason}")
                raise PermanentDeliveryError(reason)
        except aiohttp.ClientError as error:
            raise DeliveryError(f"connection failed: {type(error).__name__}") from error

    async def was_sent(self, recipient: Recipient) -> bool | None:
        try:
            async with self._client().get(f"{self.base_url}/sent", params={"key": recipient.key}) as response:
                if response.status != 200:
                    return None
                return bool((await response.json()).get("sent"))
        except aiohttp.ClientError:
            return None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


async def _reason(response: aiohttp.ClientResponse) -> str:
    try:
        data = await response.json(content_type=None)
    except ValueError:
        return response.reason or f"HTTP {response.status}"
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return response.reason or f"HTTP {response.status}"
