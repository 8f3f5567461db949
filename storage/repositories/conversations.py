"""Conversation references in the ``teams_conversation_refs`` table (the ``ConversationRefs`` port of
handlers/delivery_ports.py): where the bot can reach a person or a chat, stored per tenant.

Stored from installationUpdate, conversationUpdate and messages (conversation id, serviceUrl, tenant, and for a
personal chat the user's object id), so that proactive messages go to the right regional endpoint. Lookups always
name the tenant: a reference from one tenant is never used for another. Built in bot/compose.py.
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.delivery_ports import ConversationRef
from handlers.ports import Clock
from storage.teams_models import TeamsConversationRefRow

logger = logging.getLogger(__name__)

PERSONAL_TTL = 600.0  # seconds a tenant's 1:1 chats are trusted from memory (another replica may add some)


def _ref(row: TeamsConversationRefRow) -> ConversationRef:
    return ConversationRef(row.tenant_id, row.conversation_id, row.service_url, row.conversation_type,
                           row.aad_object_id)  # fmt: skip


class SqlConversationRefs:
    """The `teams_conversation_refs` table. Writes for a reference already stored unchanged are skipped, and a
    person's 1:1 chat is kept in memory for a few minutes, so that a broadcast does not ask the database each time.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock
        self._known: set[ConversationRef] = set()
        self._personal: dict[tuple[str, str], ConversationRef] = {}
        self._loaded: dict[str, float] = {}  # tenant → when its chats must be read again
        self._loading = asyncio.Lock()

    async def remember(self, ref: ConversationRef) -> None:
        if ref in self._known:
            return
        async with self.sessions() as session, session.begin():
            await self._upsert(session, ref)
        self._known.add(ref)
        self._keep(ref)

    def _keep(self, ref: ConversationRef) -> None:
        if ref.conversation_type == "personal" and ref.aad_object_id:
            self._personal[(ref.tenant_id, ref.aad_object_id)] = ref

    async def _upsert(self, session: AsyncSession, ref: ConversationRef) -> None:
        query = select(TeamsConversationRefRow).where(
            TeamsConversationRefRow.tenant_id == ref.tenant_id,
            TeamsConversationRefRow.conversation_id == ref.conversation_id,
        )
        row = (await session.execute(query)).scalar_one_or_none()
        now = self.clock.now()
        if row is None:
            session.add(
                TeamsConversationRefRow(tenant_id=ref.tenant_id, conversation_id=ref.conversation_id,
                                        service_url=ref.service_url, conversation_type=ref.conversation_type,
                                        aad_object_id=ref.aad_object_id, installed=True, updated_at=now)
            )  # fmt: skip
            return
        row.service_url, row.conversation_type, row.installed, row.updated_at = (
            ref.service_url, ref.conversation_type, True, now
        )  # fmt: skip
        row.aad_object_id = ref.aad_object_id or row.aad_object_id

    async def forget(self, tenant_id: str, conversation_id: str) -> None:
        """The app was removed from this conversation: keep the row (for the record), mark it unusable."""
        gone = (tenant_id, conversation_id)
        self._known = {r for r in self._known if (r.tenant_id, r.conversation_id) != gone}
        self._personal = {k: v for k, v in self._personal.items() if (v.tenant_id, v.conversation_id) != gone}
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(TeamsConversationRefRow)
                .where(TeamsConversationRefRow.tenant_id == tenant_id,
                       TeamsConversationRefRow.conversation_id == conversation_id)
                .values(installed=False, updated_at=self.clock.now())
            )  # fmt: skip

    async def personal(self, tenant_id: str, aad_object_id: str) -> ConversationRef | None:
        """The person's 1:1 chat with the bot in this tenant, if the app is installed there.

        A tenant's chats are read in one query and kept for `PERSONAL_TTL` seconds, so that a broadcast to
        thousands of people does not ask the database once per person. A chat stored meanwhile by another replica
        is simply opened again (Teams answers the same id).
        """
        if self._loaded.get(tenant_id, 0.0) <= time.monotonic():
            async with self._loading:
                if self._loaded.get(tenant_id, 0.0) <= time.monotonic():
                    await self._load_tenant(tenant_id)
        return self._personal.get((tenant_id, aad_object_id))

    async def _load_tenant(self, tenant_id: str) -> None:
        query = (
            select(TeamsConversationRefRow)
            .where(
                TeamsConversationRefRow.tenant_id == tenant_id,
                TeamsConversationRefRow.conversation_type == "personal",
                TeamsConversationRefRow.installed.is_(True),
            )
            .order_by(TeamsConversationRefRow.updated_at)
        )
        async with self.sessions() as session:
            rows = list((await session.execute(query)).scalars())
        self._personal = {key: value for key, value in self._personal.items() if key[0] != tenant_id}
        for row in rows:
            self._keep(_ref(row))
        self._loaded[tenant_id] = time.monotonic() + PERSONAL_TTL

    async def service_url(self, tenant_id: str) -> str | None:
        """The most recent serviceUrl seen in this tenant (a tenant's conversations share a regional endpoint)."""
        query = (
            select(TeamsConversationRefRow.service_url)
            .where(TeamsConversationRefRow.tenant_id == tenant_id)
            .order_by(TeamsConversationRefRow.updated_at.desc())
            .limit(1)
        )
        async with self.sessions() as session:
            return (await session.execute(query)).scalar_one_or_none()
