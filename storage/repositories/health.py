"""What the operator's metrics read from the database: outbox depth by state, the oldest due message, the leader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.delivery_ports import DeliveryStatus
from storage.delivery_models import DeliveryRow, SchedulerLeaderRow
from storage.repositories.convert import aware

WAITING = (DeliveryStatus.PENDING.value, DeliveryStatus.FAILED.value, DeliveryStatus.SENDING.value)


@dataclass(frozen=True)
class OutboxHealth:
    by_state: dict[str, int]
    oldest_due: dt.datetime | None  # the earliest not_before of a message due and not yet sent
    leader: str | None
    leader_seen: dt.datetime | None


async def outbox_health(session: AsyncSession, now: dt.datetime) -> OutboxHealth:
    counts = await session.execute(select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status))
    by_state = {state.value: 0 for state in DeliveryStatus} | {str(s): int(n) for s, n in counts.all()}
    oldest = await session.scalar(
        select(func.min(DeliveryRow.not_before)).where(DeliveryRow.status.in_(WAITING), DeliveryRow.not_before <= now)
    )
    leader = (await session.execute(select(SchedulerLeaderRow.holder, SchedulerLeaderRow.seen_at))).first()
    return OutboxHealth(
        by_state=by_state,
        oldest_due=aware(oldest) if oldest is not None else None,
        leader=leader[0] if leader else None,
        leader_seen=aware(leader[1]) if leader else None,
    )
