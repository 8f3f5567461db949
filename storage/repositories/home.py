"""The read port of the Home feature (handlers/home.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.delivery_ports import BroadcastRecord
from storage.repositories.broadcasts import SqlBroadcastRepository
from storage.repositories.slack import delivery_counts, recent_prompts


class SqlHomeReads:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def recent_prompts(self, participant_id: int, since: dt.date) -> list[str]:
        return await recent_prompts(self.session, participant_id, since)

    async def delivery_counts(self, programme_id: int, since: dt.datetime) -> dict[str, int]:
        return await delivery_counts(self.session, programme_id, since)

    async def recent_broadcasts(self, programme_id: int, limit: int) -> list[BroadcastRecord]:
        return await SqlBroadcastRepository(self.session).recent(programme_id, limit=limit)
