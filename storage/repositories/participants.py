"""Participants and their platform identities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.model import Participant, Role
from storage.models import ParticipantRow, PlatformIdentityRow, ProgrammeRow
from storage.repositories.convert import to_participant, to_programme
from storage.repositories.held import held, hold
from storage.repositories.slack import unlinked_emails


class SqlParticipantRepository:
    """Emails are stored in lower case (``store_programme``), so a lookup compares them as they are and uses the
    index."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _load(self, query: Select[ParticipantRow], *, hold_programme: bool = False) -> list[Participant]:
        """The participants the query selects, each with its platform identities, in one round trip.

        ``hold_programme`` (the door's lookup of one person): their programme comes in the same query and is held
        for the rest of the transaction (storage/repositories/held.py), so the command reads it without a query.
        """
        if hold_programme:
            query = query.join(ProgrammeRow, ProgrammeRow.id == ParticipantRow.programme_id).add_columns(ProgrammeRow)
        joined = (
            query.outerjoin(PlatformIdentityRow, PlatformIdentityRow.participant_id == ParticipantRow.id)
            .add_columns(PlatformIdentityRow)
            .order_by(PlatformIdentityRow.id)
        )
        found: dict[int, tuple[ParticipantRow, list[PlatformIdentityRow]]] = {}
        for row, *more in await self.session.execute(joined):
            if row.id not in found and hold_programme and held(self.session, row.programme_id) is None:
                hold(self.session, to_programme(more[0]))
            _, identities = found.setdefault(row.id, (row, []))
            if more[-1] is not None:
                identities.append(more[-1])
        return [to_participant(row, identities) for row, identities in found.values()]

    async def by_email(self, programme_id: int, email: str) -> Participant | None:
        query = select(ParticipantRow).where(
            ParticipantRow.programme_id == programme_id, ParticipantRow.email == email.lower()
        )
        found = await self._load(query)
        return found[0] if found else None

    async def by_email_anywhere(self, email: str) -> list[Participant]:
        query = select(ParticipantRow).where(ParticipantRow.email == email.lower())
        return await self._load(query.order_by(ParticipantRow.programme_id), hold_programme=True)

    async def by_email_within(self, email: str, programme_ids: Collection[int]) -> list[Participant]:
        """The participants with this email in the programmes given (and nowhere else)."""
        if not programme_ids:
            return []
        query = select(ParticipantRow).where(
            ParticipantRow.email == email.lower(), ParticipantRow.programme_id.in_(sorted(programme_ids))
        )
        return await self._load(query.order_by(ParticipantRow.programme_id), hold_programme=True)

    async def by_platform(self, platform: str, workspace: str, user_id: str) -> list[Participant]:
        owners = select(PlatformIdentityRow.participant_id).where(
            PlatformIdentityRow.platform == platform,
            PlatformIdentityRow.workspace == workspace,
            PlatformIdentityRow.user_id == user_id,
        )
        query = select(ParticipantRow).where(ParticipantRow.id.in_(owners))
        return await self._load(query.order_by(ParticipantRow.programme_id), hold_programme=True)

    async def in_programme(
        self, programme_id: int, *, agency: str | None = None, team: str | None = None
    ) -> list[Participant]:
        query = select(ParticipantRow).where(ParticipantRow.programme_id == programme_id)
        if agency is not None:
            query = query.where(ParticipantRow.agency == agency)
        if team is not None:
            query = query.where(ParticipantRow.team == team)
        return await self._load(query.order_by(ParticipantRow.email))

    async def unlinked(self, programme_id: int, platform: str) -> dict[int, str]:
        return await unlinked_emails(self.session, programme_id, platform)

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

    async def agencies_and_roles(self, programme_id: int) -> list[tuple[str, frozenset[Role]]]:
        query = select(ParticipantRow.agency, ParticipantRow.roles).where(ParticipantRow.programme_id == programme_id)
        return [
            (agency, frozenset(Role(r) for r in roles or [])) for agency, roles in await self.session.execute(query)
        ]

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
