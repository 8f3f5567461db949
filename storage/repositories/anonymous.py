"""Storing what people said without storing who said it (docs/anonymity.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.anonymity_ports import Flag, NewReflection, Stored
from handlers.cycles import week_start
from storage.anonymous_models import (
    AcknowledgementRow,
    CycleKeyRow,
    IndicatorResponseRow,
    ParticipationCountRow,
    ReflectionRow,
    SafeguardingFlagRow,
)
from storage.repositories.convert import aware

REFLECTION = "reflection"
CHECKIN = "checkin"


def random_id() -> str:
    return secrets.token_hex(16)


def contributor_token(secret: bytes, purpose: str, programme_id: int, cycle: str, salt: str, author_id: int) -> str:
    material = f"{purpose}:{programme_id}:{cycle}:{salt}".encode()
    key = hmac.new(secret, material, hashlib.sha256).digest()
    return hmac.new(key, str(author_id).encode(), hashlib.sha256).hexdigest()


async def answered_checkin(
    session: AsyncSession, secret: bytes, programme_id: int, cycle: str, people: Sequence[int]
) -> set[int]:
    """Which of ``people`` have check-in answers stored for this open cycle, worked out in memory from their
    contributor hashes (the cycle's salt and the secret); nothing is written. Used only when a reminder goes out
    (bot/reminders.py). Without the cycle's salt (nobody has answered yet, or the cycle has closed) it is none."""
    query = select(CycleKeyRow.salt).where(CycleKeyRow.programme_id == programme_id, CycleKeyRow.cycle == cycle)
    salt = (await session.execute(query)).scalar_one_or_none()
    if salt is None or not people:
        return set()
    tokens = {contributor_token(secret, CHECKIN, programme_id, cycle, salt, pid): pid for pid in people}
    found = (
        select(IndicatorResponseRow.contributor)
        .distinct()
        .where(
            IndicatorResponseRow.programme_id == programme_id,
            IndicatorResponseRow.cycle == cycle,
            IndicatorResponseRow.contributor.in_(list(tokens)),
        )
    )
    return {tokens[token] for token in (await session.execute(found)).scalars()}


class SqlReflectionStore:
    """``secret`` lives outside the database (AFTERCARE_ANONYMITY_SECRET or a key file); with the per-cycle salt in
    the database it keys the contributor hash. Deleting the salt when the cycle closes makes the hashes unlinkable."""

    def __init__(self, session: AsyncSession, secret: bytes) -> None:
        self.session = session
        self.secret = secret

    async def contributor(self, programme_id: int, cycle: str, author_id: int, today: dt.date, purpose: str) -> str:
        """The author's keyed hash for one purpose (``reflection`` or ``checkin``) in one cycle.

        Each purpose has its own key, so the same person has unrelated values in the two pools and they cannot be
        joined (docs/anonymity.md, "No join between pools").
        """
        query = select(CycleKeyRow).where(CycleKeyRow.programme_id == programme_id, CycleKeyRow.cycle == cycle)
        key_row = (await self.session.execute(query)).scalar_one_or_none()
        if key_row is None:
            key_row = CycleKeyRow(programme_id=programme_id, cycle=cycle, salt=secrets.token_hex(32),
                                  created_on=week_start(today))  # fmt: skip
            self.session.add(key_row)
            await self.session.flush()
        return contributor_token(self.secret, purpose, programme_id, cycle, key_row.salt, author_id)

    async def add(self, reflection: NewReflection, author_id: int, today: dt.date) -> Stored:
        token = await self.contributor(reflection.programme_id, reflection.cycle, author_id, today, REFLECTION)
        seen = select(ReflectionRow.id).where(
            ReflectionRow.programme_id == reflection.programme_id,
            ReflectionRow.cycle == reflection.cycle,
            ReflectionRow.contributor == token,
        )
        first = (await self.session.execute(seen.limit(1))).first() is None
        self.session.add(
            ReflectionRow(
                id=random_id(),
                programme_id=reflection.programme_id,
                cycle=reflection.cycle,
                cohort=reflection.cohort,
                prompt_id=reflection.prompt_id,
                text=reflection.text,
                tags=list(reflection.tags),
                in_themes=reflection.in_themes,
                contributor=token,
                stored_on=week_start(today),
            )
        )
        if first:
            await self._count(reflection.programme_id, reflection.cycle, reflection.cohort, "reflection")
        return Stored(first_this_cycle=first)

    async def replace_answers(
        self, programme_id: int, cycle: str, cohort: str, answers: dict[str, int | None], author_id: int, today: dt.date
    ) -> Stored:
        token = await self.contributor(programme_id, cycle, author_id, today, CHECKIN)
        where = (
            IndicatorResponseRow.programme_id == programme_id,
            IndicatorResponseRow.cycle == cycle,
            IndicatorResponseRow.contributor == token,
        )
        removed = await self.session.execute(delete(IndicatorResponseRow).where(*where))
        first = removed.rowcount == 0  # type: ignore[attr-defined]
        for item, score in sorted(answers.items()):
            self.session.add(
                IndicatorResponseRow(
                    id=random_id(),
                    programme_id=programme_id,
                    cycle=cycle,
                    cohort=cohort,
                    item=item,
                    score=score,
                    contributor=token,
                    stored_on=week_start(today),
                )
            )
        if first:
            await self._count(programme_id, cycle, cohort, "checkin")
        return Stored(first_this_cycle=first)

    async def _count(self, programme_id: int, cycle: str, cohort: str, kind: str) -> None:
        query = select(ParticipationCountRow).where(
            ParticipationCountRow.programme_id == programme_id,
            ParticipationCountRow.cycle == cycle,
            ParticipationCountRow.cohort == cohort,
            ParticipationCountRow.kind == kind,
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            self.session.add(
                ParticipationCountRow(programme_id=programme_id, cycle=cycle, cohort=cohort, kind=kind, count=1)
            )
        else:
            row.count += 1

    def acknowledgement_token(self, participant_id: int, statement_hash: str) -> str:
        """That a person read one version of the statement, as a keyed hash: the table lists no person and no date,
        so it cannot tell who did (or never did) take part (docs/anonymity.md)."""
        material = f"acknowledgement:{statement_hash}:{participant_id}".encode()
        return hmac.new(self.secret, material, hashlib.sha256).hexdigest()

    async def acknowledged(self, participant_id: int, statement_hash: str) -> bool:
        token = self.acknowledgement_token(participant_id, statement_hash)
        return await self.session.get(AcknowledgementRow, token) is not None

    async def acknowledge(self, participant_id: int, statement_hash: str, today: dt.date) -> None:
        token = self.acknowledgement_token(participant_id, statement_hash)
        if await self.session.get(AcknowledgementRow, token) is None:
            self.session.add(AcknowledgementRow(token=token, statement_hash=statement_hash))


class SqlFlagStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def raise_flag(
        self, programme_id: int, participant_id: int, at: dt.datetime, urgent: bool, about_staff: bool
    ) -> Flag:
        row = SafeguardingFlagRow(id=random_id(), programme_id=programme_id, participant_id=participant_id,
                                  raised_at=at, urgent=urgent, about_staff=about_staff, choice="awaiting",
                                  status="open")  # fmt: skip
        self.session.add(row)
        await self.session.flush()
        return _flag(row)

    async def get(self, flag_id: str) -> Flag | None:
        row = await self.session.get(SafeguardingFlagRow, flag_id)
        return _flag(row) if row else None

    async def set_choice(self, flag_id: str, choice: str) -> None:
        await self.session.execute(
            update(SafeguardingFlagRow).where(SafeguardingFlagRow.id == flag_id).values(choice=choice)
        )

    async def mark_notified(self, flag_id: str, at: dt.datetime) -> None:
        await self.session.execute(
            update(SafeguardingFlagRow)
            .where(SafeguardingFlagRow.id == flag_id)
            .values(status="contact_notified", notified_at=at)
        )

    async def unanswered(self, programme_id: int, raised_before: dt.datetime) -> list[Flag]:
        query = select(SafeguardingFlagRow).where(
            SafeguardingFlagRow.programme_id == programme_id,
            SafeguardingFlagRow.choice == "awaiting",
            SafeguardingFlagRow.status == "open",
            SafeguardingFlagRow.raised_at <= raised_before,
        )
        return [_flag(row) for row in (await self.session.execute(query)).scalars()]


def _flag(row: SafeguardingFlagRow) -> Flag:
    return Flag(id=row.id, programme_id=row.programme_id, participant_id=row.participant_id,
                raised_at=aware(row.raised_at) or row.raised_at, urgent=row.urgent, about_staff=row.about_staff,
                choice=row.choice, status=row.status)  # fmt: skip
