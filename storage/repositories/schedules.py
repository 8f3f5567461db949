"""Schedules (kept in step with each programme's file), prompt history and peer-learning rounds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.model import Programme
from handlers.schedules import ScheduleSpec
from storage.delivery_models import PeerPairRow, PromptHistoryRow, ScheduleRow
from storage.models import ProgrammeRow
from storage.repositories.convert import aware, to_programme
from storage.repositories.outbox import upsert


@dataclass(frozen=True)
class StoredSchedule:
    id: int
    programme_id: int
    spec: ScheduleSpec
    fired_through: dt.datetime | None


async def programmes_with_schedules(session: AsyncSession) -> list[tuple[Programme, list[dict[str, Any]]]]:
    """Each programme, with the ``schedules`` list of its last imported file (empty when it has none)."""
    query = select(ProgrammeRow).order_by(ProgrammeRow.id)
    found = []
    for row in (await session.execute(query)).scalars():
        document = await session.scalar(select(ProgrammeRow.document).where(ProgrammeRow.id == row.id)) or {}
        schedules = document.get("schedules") or []
        found.append((to_programme(row), [s for s in schedules if isinstance(s, dict)]))
    return found


async def sync_schedules(
    session: AsyncSession, programme_id: int, specs: Sequence[ScheduleSpec], now: dt.datetime
) -> int:
    """Make the programme's stored schedules match ``specs`` (by key); ones no longer given become inactive.

    Returns how many rows changed. A schedule whose spec is unchanged keeps its ``fired_through``.
    """
    query = select(ScheduleRow).where(ScheduleRow.programme_id == programme_id)
    rows = {row.key: row for row in (await session.execute(query)).scalars()}
    changed = 0
    for spec in specs:
        document = spec.model_dump(mode="json")
        row = rows.pop(spec.key, None)
        if row is None:
            row = ScheduleRow(programme_id=programme_id, key=spec.key, fired_through=None)
            session.add(row)
        elif row.spec == document and row.active == spec.active:
            continue
        row.kind, row.rule, row.spec, row.active, row.updated_at = (
            spec.kind.value,
            spec.rule,
            document,
            spec.active,
            now,
        )
        changed += 1
    for row in rows.values():
        if row.active:
            row.active, row.updated_at = False, now
            changed += 1
    await session.flush()
    return changed


async def active_schedules(session: AsyncSession, programme_id: int | None = None) -> list[StoredSchedule]:
    query = select(ScheduleRow).where(ScheduleRow.active.is_(True)).order_by(ScheduleRow.id)
    if programme_id is not None:
        query = query.where(ScheduleRow.programme_id == programme_id)
    return [_stored(row) for row in (await session.execute(query)).scalars()]


async def schedule(session: AsyncSession, schedule_id: int) -> StoredSchedule | None:
    row = await session.get(ScheduleRow, schedule_id)
    return _stored(row) if row is not None else None


async def schedule_by_key(session: AsyncSession, programme_id: int, key: str) -> StoredSchedule | None:
    query = select(ScheduleRow).where(ScheduleRow.programme_id == programme_id, ScheduleRow.key == key)
    row = (await session.execute(query)).scalar_one_or_none()
    return _stored(row) if row is not None else None


async def mark_fired(session: AsyncSession, schedule_id: int, through: dt.datetime) -> None:
    """Remember the latest occurrence fired, never moving backwards."""
    row = await session.get(ScheduleRow, schedule_id)
    if row is None:
        return
    before = aware(row.fired_through)
    if before is None or before < through:
        await session.execute(update(ScheduleRow).where(ScheduleRow.id == schedule_id).values(fired_through=through))


def _stored(row: ScheduleRow) -> StoredSchedule:
    return StoredSchedule(row.id, row.programme_id, ScheduleSpec.model_validate(row.spec), aware(row.fired_through))


async def prompts_seen(session: AsyncSession, participant_ids: Iterable[int]) -> dict[int, set[str]]:
    wanted = sorted(set(participant_ids))
    seen: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(wanted), 500):
        query = select(PromptHistoryRow.participant_id, PromptHistoryRow.prompt_id).where(
            PromptHistoryRow.participant_id.in_(wanted[start : start + 500])
        )
        for pid, prompt_id in (await session.execute(query)).all():
            seen[pid].add(prompt_id)
    return dict(seen)


async def peer_groups(session: AsyncSession, programme_id: int, round_key: str | None = None) -> list[tuple[int, ...]]:
    """Every group formed so far in the programme, or only those of one round."""
    query = select(PeerPairRow).where(PeerPairRow.programme_id == programme_id)
    if round_key is not None:
        query = query.where(PeerPairRow.round == round_key)
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for row in (await session.execute(query)).scalars():
        groups[(row.round, row.group_no)].append(row.participant_id)
    return [tuple(sorted(members)) for _, members in sorted(groups.items())]


async def save_peer_round(
    session: AsyncSession, programme_id: int, round_key: str, groups: Sequence[tuple[int, ...]]
) -> None:
    rows = [
        {"programme_id": programme_id, "round": round_key, "group_no": number, "participant_id": pid}
        for number, group in enumerate(groups, start=1)
        for pid in group
    ]
    if rows:
        await session.execute(upsert(session, PeerPairRow).on_conflict_do_nothing(), rows)
