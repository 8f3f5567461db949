"""Broadcasts and their acknowledgements."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.delivery_ports import BroadcastRecord, BroadcastState, NewBroadcast
from handlers.forums import Forum, forums_from
from storage.delivery_models import BroadcastAckRow, BroadcastRow, DeliveryRow
from storage.models import ProgrammeRow
from storage.repositories.convert import aware
from storage.repositories.outbox import upsert


class SqlBroadcastRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, broadcast: NewBroadcast) -> BroadcastRecord:
        values = broadcast.model_dump(exclude={"state", "audience"})
        row = BroadcastRow(**values, audience=list(broadcast.audience), status=broadcast.state.value)
        self.session.add(row)
        await self.session.flush()
        return to_record(row)

    async def get(self, programme_id: int, broadcast_id: int) -> BroadcastRecord | None:
        row = await self.session.get(BroadcastRow, broadcast_id)
        return to_record(row) if row is not None and row.programme_id == programme_id else None

    async def recent(self, programme_id: int, limit: int = 10) -> list[BroadcastRecord]:
        query = select(BroadcastRow).where(BroadcastRow.programme_id == programme_id)
        rows = (await self.session.execute(query.order_by(BroadcastRow.id.desc()).limit(limit))).scalars()
        return [to_record(row) for row in rows]

    async def set_state(self, broadcast_id: int, state: BroadcastState, *, recipients: int | None = None) -> None:
        values: dict[str, object] = {"status": state.value}
        if recipients is not None:
            values["recipients"] = recipients
        await self.session.execute(update(BroadcastRow).where(BroadcastRow.id == broadcast_id).values(**values))

    async def claim(self, broadcast_id: int, was: BroadcastState, now: BroadcastState) -> bool:
        statement = (
            update(BroadcastRow)
            .where(BroadcastRow.id == broadcast_id, BroadcastRow.status == was.value)
            .values(status=now.value)
            .returning(BroadcastRow.id)
        )
        return (await self.session.execute(statement)).first() is not None

    async def revise(
        self,
        broadcast_id: int,
        *,
        prompt_id: str,
        text: str,
        send_at: dt.datetime,
        recipients: int,
        previewed_at: dt.datetime | None = None,
    ) -> None:
        values: dict[str, object] = {"prompt_id": prompt_id, "text": text, "send_at": send_at, "recipients": recipients}
        if previewed_at is not None:
            values["created_at"] = previewed_at
        await self.session.execute(update(BroadcastRow).where(BroadcastRow.id == broadcast_id).values(**values))

    async def forums(self, programme_id: int) -> list[Forum]:
        document = await self.session.scalar(select(ProgrammeRow.document).where(ProgrammeRow.id == programme_id))
        entries = (document or {}).get("forums") or []
        return forums_from(entries if isinstance(entries, list) else [])

    async def acknowledge(self, broadcast_id: int, participant_id: int, at: dt.datetime) -> bool:
        statement = (
            upsert(self.session, BroadcastAckRow)
            .values(broadcast_id=broadcast_id, participant_id=participant_id, at=at)
            .on_conflict_do_nothing()
            .returning(BroadcastAckRow.id)
        )
        return (await self.session.execute(statement)).first() is not None

    async def sent_to(self, broadcast_id: int, participant_id: int) -> bool:
        query = select(DeliveryRow.id).where(
            DeliveryRow.broadcast_id == broadcast_id,
            DeliveryRow.status == "sent",
            or_(DeliveryRow.participant_id == participant_id, DeliveryRow.participant_id.is_(None)),
        )
        return (await self.session.execute(query.limit(1))).first() is not None

    async def acknowledged(self, broadcast_id: int) -> int:
        query = select(func.count()).select_from(BroadcastAckRow).where(BroadcastAckRow.broadcast_id == broadcast_id)
        return int((await self.session.execute(query)).scalar_one())

    async def acknowledged_by(self, broadcast_id: int) -> set[int]:
        query = select(BroadcastAckRow.participant_id).where(BroadcastAckRow.broadcast_id == broadcast_id)
        return set((await self.session.execute(query)).scalars())


def to_record(row: BroadcastRow) -> BroadcastRecord:
    return BroadcastRecord(
        id=row.id,
        programme_id=row.programme_id,
        created_by=row.created_by,
        created_by_name=row.created_by_name,
        audience=tuple(row.audience),
        prompt_id=row.prompt_id,
        text=row.text,
        send_at=aware(row.send_at) or row.send_at,
        state=BroadcastState(row.status),
        recipients=row.recipients,
        created_at=aware(row.created_at) or row.created_at,
    )
