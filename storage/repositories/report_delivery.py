"""The delivery report's facts: outbox messages per broadcast and schedule, by status, with failure reasons.

Counted in the database (GROUP BY), so a broadcast to thousands of people is a handful of rows here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.reports.facts import DeliveryLine, Notice
from storage.delivery_models import BroadcastAckRow, BroadcastRow, DeliveryRow, ScheduleRow
from storage.repositories.convert import aware

FAILED = ("failed", "dead")
LIMIT = 200
NOTICE_PREFIX = "safeguarding:"  # the outbox key of a notice to the safeguarding contact (bot/notify.py)


def _label(text: str, prompt_id: str) -> str:
    if prompt_id:
        return f"prompt {prompt_id}"
    words = text.split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")


class SqlDeliveryFacts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lines(self, programme_id: int) -> list[DeliveryLine]:
        """The latest broadcasts (newest first), then every schedule."""
        return [*(await self._broadcasts(programme_id)), *(await self._schedules(programme_id))]

    async def _counts(self, programme_id: int, column: str) -> dict[int, dict[str, int]]:
        key = getattr(DeliveryRow, column)
        query = (
            select(key, DeliveryRow.status, func.count())
            .where(DeliveryRow.programme_id == programme_id, key.is_not(None))
            .group_by(key, DeliveryRow.status)
        )
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for ref, status, n in (await self.session.execute(query)).all():
            counts[ref][status] = int(n)
        return counts

    async def _last_sent(self, programme_id: int, column: str) -> dict[int, dt.datetime]:
        key = getattr(DeliveryRow, column)
        query = (
            select(key, func.max(DeliveryRow.sent_at))
            .where(DeliveryRow.programme_id == programme_id, key.is_not(None), DeliveryRow.sent_at.is_not(None))
            .group_by(key)
        )
        return {ref: moment for ref, at in (await self.session.execute(query)).all() if (moment := aware(at))}

    async def notices(self, programme_id: int) -> list[Notice]:
        """Notices to the safeguarding contact, oldest first: when, how and whether they arrived."""
        query = (
            select(DeliveryRow.not_before, DeliveryRow.sent_at, DeliveryRow.platform, DeliveryRow.status,
                   DeliveryRow.last_error)
            .where(DeliveryRow.programme_id == programme_id, DeliveryRow.key.startswith(NOTICE_PREFIX))
            .order_by(DeliveryRow.not_before)
            .limit(LIMIT)
        )  # fmt: skip
        return [
            Notice(due=aware(due) or due, sent=aware(sent), platform=platform, status=status, reason=error or "")
            for due, sent, platform, status, error in (await self.session.execute(query)).all()
        ]

    async def _reasons(self, programme_id: int, column: str) -> dict[int, list[tuple[str, int]]]:
        key = getattr(DeliveryRow, column)
        query = (
            select(key, DeliveryRow.status, DeliveryRow.last_error, func.count())
            .where(DeliveryRow.programme_id == programme_id, key.is_not(None), DeliveryRow.status.in_(FAILED))
            .group_by(key, DeliveryRow.status, DeliveryRow.last_error)
            .order_by(DeliveryRow.status, func.count().desc())
        )
        reasons: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for ref, status, error, n in (await self.session.execute(query)).all():
            later = " (will be tried again)" if status == "failed" else ""
            reasons[ref].append(((error or "no reason given") + later, int(n)))
        return reasons

    async def _broadcasts(self, programme_id: int) -> list[DeliveryLine]:
        query = (
            select(BroadcastRow)
            .where(BroadcastRow.programme_id == programme_id, BroadcastRow.status != "draft")
            .order_by(BroadcastRow.id.desc())
            .limit(LIMIT)
        )
        rows = list((await self.session.execute(query)).scalars())
        counts = await self._counts(programme_id, "broadcast_id")
        reasons = await self._reasons(programme_id, "broadcast_id")
        acks_query = (
            select(BroadcastAckRow.broadcast_id, func.count())
            .join(BroadcastRow, BroadcastRow.id == BroadcastAckRow.broadcast_id)
            .where(BroadcastRow.programme_id == programme_id)
            .group_by(BroadcastAckRow.broadcast_id)
        )
        acks = {ref: int(n) for ref, n in (await self.session.execute(acks_query)).all()}
        last = await self._last_sent(programme_id, "broadcast_id")
        return [
            DeliveryLine(
                kind="broadcast",
                ref=f"B{row.id}",
                label=_label(row.text, row.prompt_id),
                audience=", ".join(row.audience),
                when=aware(row.send_at),
                counts=counts.get(row.id, {}),
                reasons=tuple(reasons.get(row.id, [])),
                acknowledged=acks.get(row.id, 0),
                audience_parts=tuple(row.audience),
                prompt_id=row.prompt_id or "",
                last_sent=last.get(row.id),
            )
            for row in rows
            if row.status != "cancelled" or counts.get(row.id)  # a preview dropped unsent is no broadcast
        ]

    async def _schedules(self, programme_id: int) -> list[DeliveryLine]:
        query = select(ScheduleRow).where(ScheduleRow.programme_id == programme_id).order_by(ScheduleRow.key)
        rows = list((await self.session.execute(query)).scalars())
        counts = await self._counts(programme_id, "schedule_id")
        reasons = await self._reasons(programme_id, "schedule_id")
        last = await self._last_sent(programme_id, "schedule_id")
        return [
            DeliveryLine(
                kind="schedule",
                ref=row.key,
                label=f"{row.kind} ({row.rule})" + ("" if row.active else ", paused"),
                audience=", ".join(str(a) for a in row.spec.get("audience", ())) or "as scheduled",
                when=aware(row.fired_through),
                counts=counts.get(row.id, {}),
                reasons=tuple(reasons.get(row.id, [])),
                audience_parts=tuple(str(a) for a in row.spec.get("audience", ())),
                schedule_kind=row.kind,
                rule=row.rule,
                cycle=str(row.spec.get("cycle") or ""),
                prompt_audience=row.spec.get("prompt_audience"),
                active=row.active,
                last_sent=last.get(row.id),
            )
            for row in rows
        ]
