"""Participants and their platform identities."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.model import Participant
from storage.models import ParticipantRow, PlatformIdentityRow
from storage.repositories.convert import to_participant


class SqlParticipantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _load(self, query: Select[ParticipantRow]) -> list[Participant]:
        rows = list((await self.session.execute(query)).scalars())
        if not rows:
            return []
        ids = [row.id for row in rows]
        identities: dict[int, list[PlatformIdentityRow]] = defaultdict(list)
        for chunk in _chunks(ids, 500):
            found = select(PlatformIdentityRow).where(PlatformIdentityRow.participant_id.in_(chunk))
            for identity in (await self.session.execute(found)).scalars():
                identities[identity.participant_id].append(identity)
        return [to_participant(row, identities[row.id]) for row in rows]

    async def by_email(self, programme_id: int, email: str) -> Participant | None:
        query = select(ParticipantRow).where(
            ParticipantRow.programme_id == programme_id, func.lower(ParticipantRow.email) == email.lower()
        )
        found = await self._load(query)
        return found[0] if found else None

    async def by_email_anywhere(self, email: str) -> list[Participant]:
        query = select(ParticipantRow).where(func.lower(ParticipantRow.email) == email.lower())
        return await self._load(query.order_by(ParticipantRow.programme_id))

    async def by_platform(self, platform: str, workspace: str, user_id: str) -> list[Participant]:
        owners = select(PlatformIdentityRow.participant_id).where(
            PlatformIdentityRow.platform == platform,
            PlatformIdentityRow.workspace == workspace,
            PlatformIdentityRow.user_id == user_id,
        )
        return await self._load(select(ParticipantRow).where(ParticipantRow.id.in_(owners)))

    async def in_programme(
        self, programme_id: int, *, agency: str | None = None, team: str | None = None
    ) -> list[Participant]:
        query = select(ParticipantRow).where(ParticipantRow.programme_id == programme_id)
        if agency is not None:
            query = query.where(ParticipantRow.agency == agency)
        if team is not None:
            query = query.where(ParticipantRow.team == team)
        return await self._load(query.order_by(ParticipantRow.email))

    async def add_identity(self, participant_id: int, platform: str, workspace: str, user_id: str) -> None:
        known = select(PlatformIdentityRow.id).where(
            PlatformIdentityRow.participant_id == participant_id,
            PlatformIdentityRow.platform == platform,
            PlatformIdentityRow.workspace == workspace,
            PlatformIdentityRow.user_id == user_id,
        )
        if (await self.session.execute(known)).first() is None:
            self.session.add(
                PlatformIdentityRow(
                    participant_id=participant_id, platform=platform, workspace=workspace, user_id=user_id
                )
            )

    async def agency_sizes(self, programme_id: int) -> dict[str, int]:
        query = (
            select(ParticipantRow.agency, func.count())
            .where(ParticipantRow.programme_id == programme_id)
            .group_by(ParticipantRow.agency)
        )
        return {agency: int(n) for agency, n in (await self.session.execute(query)).all()}

    async def names(self, programme_id: int) -> list[str]:
        query = select(ParticipantRow.name).where(ParticipantRow.programme_id == programme_id)
        return list((await self.session.execute(query)).scalars())

    async def set_away(self, participant_id: int, until: dt.date | None) -> None:
        await self.session.execute(
            update(ParticipantRow).where(ParticipantRow.id == participant_id).values(away_until=until)
        )

    async def set_peers(self, participant_id: int, opt_in: bool) -> None:
        await self.session.execute(
            update(ParticipantRow).where(ParticipantRow.id == participant_id).values(peers_opt_in=opt_in)
        )


def _chunks(items: Sequence[int], size: int) -> list[Sequence[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
