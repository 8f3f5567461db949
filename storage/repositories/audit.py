"""The audit trail: who changed what, and when. Never reflections or check-in answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.model import AuditEvent
from storage.models import AuditEventRow
from storage.repositories.convert import aware, table


class SqlAuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, programme_id: int, event: AuditEvent) -> None:
        await self.session.execute(RECORD, event_values(programme_id, event))

    async def recent(self, programme_id: int, limit: int = 50) -> list[AuditEvent]:
        query = select(AuditEventRow).where(AuditEventRow.programme_id == programme_id)
        rows = (await self.session.execute(query.order_by(AuditEventRow.id.desc()).limit(limit))).scalars()
        return [
            AuditEvent(at=aware(r.at) or r.at, actor_email=r.actor_email, verb=r.verb, target=r.target, detail=r.detail)
            for r in rows
        ]


EVENTS = table(AuditEventRow)
RECORD = insert(EVENTS)
"""A plain INSERT of one event (no ORM unit of work or bulk path)."""


def event_values(programme_id: int, event: AuditEvent) -> dict[str, Any]:
    """The row of one event, for ``RECORD`` (and for a change saved in one statement, storage/repositories/actions)."""
    return {
        "programme_id": programme_id,
        "at": event.at,
        "actor_email": event.actor_email,
        "verb": event.verb,
        "target": event.target,
        "detail": event.detail,
    }
