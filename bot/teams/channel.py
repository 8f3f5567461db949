"""Proactive Teams messages for the delivery outbox: the `Channel` port (bot/channel.py) for platform "teams".

A recipient's address is ``TENANT:AAD-OBJECT-ID`` (handlers/audiences.py). The message goes to the person's 1:1
chat with the bot, whose reference was stored when they installed the app; if none is stored, the chat is opened
at the tenant's serviceUrl (POST /v3/conversations answers the same id for the same person) and remembered.

One try per call: the dispatcher (bot/delivery_attempt.py) is the retrying path. A 429, 412, 502 or 504 becomes a
`DeliveryError` with `retry_after` when Teams gave one; a person who blocked the bot, an app that was removed or a
conversation that no longer exists is a `PermanentDeliveryError` with the reason, and the stored reference is
dropped. `paces` gives the dispatcher the tenant key (30 requests/s) and the conversation keys (7/1 s, 8/2 s, 60/30 s,
1800/3600 s); the 1:1 chat is identified by the address, so one person's messages share one set of keys.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from bot.compose import Release
from bot.rate_limits import Pace, teams_paces
from bot.settings import PaceSettings
from bot.teams import render
from bot.teams.edge import Connector
from bot.teams.files import FileOffers, offer_files
from handlers.delivery_ports import ConversationRef, ConversationRefs, Recipient
from handlers.errors import PermanentDeliveryError
from handlers.reply import Reply

logger = logging.getLogger(__name__)

GONE = ("ConversationNotFound", "BotNotInConversationRoster", "ForbiddenOperationException")
SENT_MEMORY = 200_000  # idempotency keys remembered as accepted, for a row reclaimed after its lease ran out


def parse_address(address: str) -> tuple[str, str]:
    tenant, _, aad = address.partition(":")
    if not tenant or not aad:
        raise PermanentDeliveryError(f"'{address}' is not a Teams address (TENANT:AAD-OBJECT-ID)")
    return tenant, aad


class TeamsChannel:
    platform = "teams"

    def __init__(
        self,
        connector: Connector,
        refs: ConversationRefs,
        *,
        fallback_service_url: str,
        offers: FileOffers,
        release: Release | None = None,
        pace_settings: PaceSettings | None = None,
    ) -> None:
        self.pace_settings = pace_settings or PaceSettings()
        self.connector = connector
        self.offers = offers
        self.refs = refs
        self.fallback_service_url = fallback_service_url
        self.release = release  # closes the channel's own database connection (bot/teams/delivery.py)
        self._sent: OrderedDict[str, None] = OrderedDict()  # keys Teams accepted, newest last

    def paces(self, recipient: Recipient) -> list[Pace]:
        return teams_paces(recipient.address, self.pace_settings)

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        tenant, aad = parse_address(recipient.address)
        ref = await self.chat_with(tenant, aad)
        try:
            await self.connector.send(ref.service_url, ref.conversation_id, render.message(reply), attempts=1)
        except PermanentDeliveryError as error:
            if any(code in error.reason for code in GONE):
                await self.refs.forget(tenant, ref.conversation_id)
            raise
        self._sent[recipient.key] = None
        if reply.files:
            await offer_files(
                self.connector, ref.service_url, ref.conversation_id, reply.files, self.offers, (tenant, aad)
            )
        if len(self._sent) > SENT_MEMORY:
            self._sent.popitem(last=False)

    async def chat_with(self, tenant: str, aad: str) -> ConversationRef:
        """The person's 1:1 chat in this tenant: stored, or opened now and stored."""
        known = await self.refs.personal(tenant, aad)
        if known is not None:
            return known
        service_url = await self.refs.service_url(tenant) or self.fallback_service_url
        conversation_id = await self.connector.open_personal(service_url, tenant, aad, attempts=1)
        ref = ConversationRef(tenant, conversation_id, service_url, "personal", aad)
        await self.refs.remember(ref)
        logger.info("opened a 1:1 Teams chat in tenant %s", tenant)
        return ref

    async def was_sent(self, recipient: Recipient) -> bool | None:
        """True when this process saw Teams accept it; otherwise nobody can tell (Teams cannot be asked about our
        key), and the message is sent again: at least once."""
        return True if recipient.key in self._sent else None

    async def close(self) -> None:
        if self.release is not None:
            await self.connector.close()
            await self.release()
