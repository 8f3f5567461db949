"""The console transport as a delivery channel: prints each message as text and remembers what it delivered.

In the demo it stands in for every platform, so the transcript shows deliveries arriving through the same outbox,
windows and dispatcher as Slack and Teams. ``aftercare worker`` uses it for people with no Slack or Teams account.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.console import render_text
from bot.rate_limits import Pace
from handlers.delivery_ports import Recipient
from handlers.errors import PermanentDeliveryError
from handlers.ports import Clock
from handlers.reply import Reply

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivered:
    recipient: Recipient
    reply: Reply
    at: dt.datetime


def print_delivery(delivered: Delivered) -> None:
    recipient = delivered.recipient
    print(f"── to {recipient.address} ({recipient.platform}, {recipient.kind.value}) ──")
    print(render_text(delivered.reply))


class ConsoleChannel:
    """Delivers by showing; ``refuse`` holds addresses that fail permanently (to show dead-lettering)."""

    def __init__(
        self, clock: Clock, show: Callable[[Delivered], None] | None = print_delivery, platform: str = "console"
    ) -> None:
        self.platform = platform
        self.clock = clock
        self.show = show
        self.delivered: list[Delivered] = []
        self.refuse: dict[str, str] = {}
        self._keys: set[str] = set()

    def paces(self, recipient: Recipient) -> list[Pace]:
        return []

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        reason = self.refuse.get(recipient.address)
        if reason is not None:
            raise PermanentDeliveryError(reason)
        delivered = Delivered(recipient, reply, self.clock.now())
        self.delivered.append(delivered)
        self._keys.add(recipient.key)
        if self.show is not None:
            self.show(delivered)

    async def was_sent(self, recipient: Recipient) -> bool | None:
        return True if recipient.key in self._keys else None

    async def close(self) -> None:
        return None
