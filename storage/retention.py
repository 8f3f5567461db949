"""Retention and erasure: raw reflection text goes after the retention period; a person's data on request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cycles import cycle_code
from handlers.model import Governance
from storage.anonymous_models import CycleKeyRow, ReflectionRow, SafeguardingFlagRow
from storage.models import ActionRow, ActionUpdateRow, AuditEventRow, ParticipantRow, ProgrammeRow
from storage.repositories.convert import to_programme

ERASED = "erased"
ERASED_NAME = "A former participant"


@dataclass
class PurgeSummary:
    texts_deleted: int = 0
    keys_destroyed: int = 0
    flags_unlinked: int = 0


async def purge(session: AsyncSession, today: dt.date) -> PurgeSummary:
    """Delete reflection text past retention, destroy closed cycles' keys, and unlink old safeguarding flags."""
    summary = PurgeSummary()
    for row in (await session.execute(select(ProgrammeRow))).scalars():
        programme = to_programme(row)
        governance: Governance = programme.governance
        cutoff = today - dt.timedelta(days=governance.retention_days)
        texts = await session.execute(
            update(ReflectionRow)
            .where(
                ReflectionRow.programme_id == row.id, ReflectionRow.stored_on < cutoff, ReflectionRow.text.is_not(None)
            )
            .values(text=None)
        )
        summary.texts_deleted += texts.rowcount  # type: ignore[attr-defined]
        current = cycle_code(programme, today)
        keys = await session.execute(
            delete(CycleKeyRow).where(CycleKeyRow.programme_id == row.id, CycleKeyRow.cycle != current)
        )
        summary.keys_destroyed += keys.rowcount  # type: ignore[attr-defined]
        old = dt.datetime.combine(cutoff, dt.time(), tzinfo=dt.UTC)
        flags = await session.execute(
            update(SafeguardingFlagRow)
            .where(
                SafeguardingFlagRow.programme_id == row.id,
                SafeguardingFlagRow.raised_at < old,
                SafeguardingFlagRow.participant_id.is_not(None),
            )
            .values(participant_id=None)
        )
        summary.flags_unlinked += flags.rowcount  # type: ignore[attr-defined]
    return summary


async def erase_participant(session: AsyncSession, email: str) -> int:
    """Remove one person's personal data from every programme. Returns how many participant records went.

    Reflections and check-in answers never held it. Actions they owned keep their role title but lose the email;
    their updates and audit entries say "A former participant".
    """
    key = email.lower()
    people = list(
        (await session.execute(select(ParticipantRow).where(func.lower(ParticipantRow.email) == key))).scalars()
    )
    for person in people:
        await session.execute(
            update(ParticipantRow)
            .where(ParticipantRow.programme_id == person.programme_id, func.lower(ParticipantRow.manager_email) == key)
            .values(manager_email=None)
        )
        await session.delete(person)
    await session.execute(update(ActionRow).where(func.lower(ActionRow.owner_email) == key).values(owner_email=ERASED))
    await session.execute(
        update(ActionUpdateRow)
        .where(func.lower(ActionUpdateRow.actor_email) == key)
        .values(actor_email=ERASED, actor_name=ERASED_NAME)
    )
    await session.execute(
        update(AuditEventRow).where(func.lower(AuditEventRow.actor_email) == key).values(actor_email=ERASED)
    )
    await session.execute(update(AuditEventRow).where(func.lower(AuditEventRow.target) == key).values(target=ERASED))
    documents = (await session.execute(select(ProgrammeRow.id, ProgrammeRow.document))).all()
    for programme_id, document in documents:
        await session.execute(
            update(ProgrammeRow).where(ProgrammeRow.id == programme_id).values(document=_scrub(document, key))
        )
    return len(people)


def _scrub(value: Any, email: str) -> Any:
    """The stored programme file with every mention of one email replaced."""
    if isinstance(value, dict):
        return {k: _scrub(v, email) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, email) for v in value]
    if isinstance(value, str) and value.lower() == email:
        return ERASED
    return value
