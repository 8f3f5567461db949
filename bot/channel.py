"""The port every delivery channel implements: Slack, Teams, the console, and the HTTP channel used by the fakes."""

from __future__ import annotations

from typing import Protocol

from bot.rate_limits import Pace
from handlers.delivery_ports import Recipient
from handlers.reply import Reply


class Channel(Protocol):
    """One platform's way of sending. Slack and Teams implement it in bot/slack and bot/teams.

    ``send`` returns when the platform has accepted the message, and raises ``DeliveryError`` (with
    ``retry_after`` for a 429) for a failure worth retrying, or ``PermanentDeliveryError`` for one that never will
    succeed. ``was_sent`` answers, for a message whose worker vanished mid-send, whether it arrived (True/False) or
    that it cannot tell (None, and the message is sent again: at least once). ``paces`` names the rate-limit keys.
    """

    platform: str

    def paces(self, recipient: Recipient) -> list[Pace]: ...

    async def send(self, recipient: Recipient, reply: Reply) -> None: ...

    async def was_sent(self, recipient: Recipient) -> bool | None: ...

    async def close(self) -> None: ...
