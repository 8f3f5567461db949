"""Erasure of one person (``aftercare erase --participant EMAIL``): no trace of them is left in any table.

Their participant record, platform accounts and acknowledgement go. Rows that must keep their history (action
updates, audit entries, owner changes, notes that mention them, the stored programme file, outbox rows) keep it
with a neutral placeholder instead of the email, the name or a platform account id. Reflections and check-in
answers never held any of these.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import JSON, String, Table, Text, cast, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.anonymous_models import AcknowledgementRow
from storage.models import ActionRow, ActionUpdateRow, AuditEventRow, ParticipantRow, PlatformIdentityRow
from storage.repositories.anonymous import SqlReflectionStore
from storage.schema import metadata

ERASED = "erased"
ERASED_NAME = "A former participant"
SHORTEST_NAME = 4  # shorter names or account ids are not swept as free text, so that nothing else is damaged


async def erase_participant(session: AsyncSession, email: str, secret: bytes | None = None) -> int:
    """Remove one person's personal data from every programme. Returns how many participant records went.

    ``secret`` (the anonymity secret) lets their acknowledgement, a keyed hash, be found and removed too.
    """
    key = email.lower()
    people = list(
        (await session.execute(select(ParticipantRow).where(func.lower(ParticipantRow.email) == key))).scalars()
    )
    ids = [person.id for person in people]
    accounts = select(PlatformIdentityRow.user_id).where(PlatformIdentityRow.participant_id.in_(ids or [-1]))
    needles = {key, *(p.name for p in people), *(await session.execute(accounts)).scalars()}
    for person in people:
        await session.execute(
            update(ParticipantRow)
            .where(ParticipantRow.programme_id == person.programme_id, func.lower(ParticipantRow.manager_email) == key)
            .values(manager_email=None)
        )
        if secret is not None:
            await _forget_acknowledgements(session, person.id, secret)
        await session.delete(person)
    await session.flush()
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
    for table in metadata.sorted_tables:
        await _sweep(session, table, {n for n in needles if n and len(n) >= SHORTEST_NAME})
    return len(people)


async def _forget_acknowledgements(session: AsyncSession, participant_id: int, secret: bytes) -> None:
    store = SqlReflectionStore(session, secret)
    for version in set((await session.execute(select(AcknowledgementRow.statement_hash))).scalars()):
        row = await session.get(AcknowledgementRow, store.acknowledgement_token(participant_id, version))
        if row is not None:
            await session.delete(row)


async def _sweep(session: AsyncSession, table: Table, needles: set[str]) -> None:
    """Replace every mention of the person in this table's text and JSON columns with the placeholder."""
    keys = list(table.primary_key.columns)
    columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON) and c not in keys]
    if not keys or not columns or not needles:
        return
    pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)), re.IGNORECASE)
    for column in columns:
        mentions = or_(*(func.lower(cast(column, Text)).contains(n.lower()) for n in needles))
        for row in (await session.execute(select(*keys, column).where(mentions))).all():
            where = [k == value for k, value in zip(keys, row[:-1], strict=True)]
            await session.execute(update(table).where(*where).values({column.name: _scrub(row[-1], pattern)}))


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, pattern) for v in value]
    if isinstance(value, str):
        return pattern.sub(ERASED_NAME, value)
    return value
