"""Queries the Slack adapter needs: interactions already seen, workspaces a programme lives in, Home summaries."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.delivery_models import DeliveryRow, PromptHistoryRow
from storage.models import ParticipantRow, PlatformIdentityRow
from storage.repositories.outbox import upsert
from storage.slack_models import SlackSeenRow


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


async def first_time(session: AsyncSession, key: str, today: dt.date) -> bool:
    """Remember ``key`` in this transaction; False when it was already remembered (a retry or a double click).

    Concurrent transactions with the same key wait for each other on the primary key, so exactly one sees True.
    """
    statement = (
        upsert(session, SlackSeenRow)
        .values(key=digest(key), seen_on=today)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(SlackSeenRow.key)
    )
    return (await session.execute(statement)).first() is not None


async def forget_seen(session: AsyncSession, before: dt.date) -> int:
    """Drop keys older than ``before``: Slack retries for minutes, not days."""
    result = await session.execute(delete(SlackSeenRow).where(SlackSeenRow.seen_on < before))
    return int(getattr(result, "rowcount", 0) or 0)


async def programmes_in_workspace(session: AsyncSession, platform: str, workspace: str) -> set[int]:
    """Programmes with at least one person already known in this workspace (from the import or an earlier match)."""
    query = (
        select(ParticipantRow.programme_id)
        .join(PlatformIdentityRow, PlatformIdentityRow.participant_id == ParticipantRow.id)
        .where(PlatformIdentityRow.platform == platform, PlatformIdentityRow.workspace == workspace)
        .distinct()
    )
    return {int(pid) for pid in (await session.execute(query)).scalars()}


async def unlinked_emails(session: AsyncSession, programme_id: int, platform: str) -> dict[int, str]:
    """Participant id → email for the people of a programme with no identity on this platform yet."""
    linked = select(PlatformIdentityRow.participant_id).where(PlatformIdentityRow.platform == platform)
    query = select(ParticipantRow.id, ParticipantRow.email).where(
        ParticipantRow.programme_id == programme_id, ParticipantRow.id.not_in(linked)
    )
    return {int(pid): str(email) for pid, email in (await session.execute(query.order_by(ParticipantRow.id))).all()}


async def recent_prompts(session: AsyncSession, participant_id: int, since: dt.date) -> list[str]:
    """Prompt ids sent to this person since a day, newest first (whether they answered is never known)."""
    query = (
        select(PromptHistoryRow.prompt_id)
        .where(PromptHistoryRow.participant_id == participant_id, PromptHistoryRow.sent_on >= since)
        .order_by(PromptHistoryRow.sent_on.desc(), PromptHistoryRow.id.desc())
    )
    return list((await session.execute(query)).scalars())


async def delivery_counts(session: AsyncSession, programme_id: int, since: dt.datetime) -> dict[str, int]:
    """Outbox rows of a programme created since a moment, by status."""
    query = (
        select(DeliveryRow.status, func.count())
        .where(DeliveryRow.programme_id == programme_id, DeliveryRow.created_at >= since)
        .group_by(DeliveryRow.status)
    )
    return {str(status): int(n) for status, n in (await session.execute(query)).all()}
