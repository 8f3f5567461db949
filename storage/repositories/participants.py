"""Participants and their platform identities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.model import Account, Participant, Role
from storage.models import ParticipantRow, PlatformIdentityRow, ProgrammeRow
from storage.repositories.convert import (
    PARTICIPANT_FIELDS,
    PROGRAMME_FIELDS,
    account_of,
    columns,
    participant_of,
    programme_of,
)
from storage.repositories.held import held, hold
from storage.repositories.slack import unlinked_emails


class SqlParticipantRepository:
    """Emails are stored in lower case (``store_programme``), so a lookup compares them as they are and uses the
    index."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _load(
        self, query: Select[Any], params: dict[str, Any] | None = None, *, hold_programme: bool = False
    ) -> list[Participant]:
        """The participants a ``people(...)`` query selects, each with its platform identities, in one round trip.

        ``hold_programme`` (the door's lookup of one person, whose query also selects the programme): their programme
        is held for the rest of the transaction (storage/repositories/held.py), so the command reads it without a
        query.
        """
        found: dict[int, tuple[tuple[Any, ...], list[Account]]] = {}
        for row in await self.session.execute(query, params):
            person, account, programme = row[:PERSON], row[PERSON:ACCOUNT], row[ACCOUNT:]
            if person[0] not in found and hold_programme and held(self.session, person[1]) is None:
                hold(self.session, programme_of(programme))
            _, accounts = found.setdefault(person[0], (person, []))
            if account[0] is not None:
                accounts.append(account_of(*account))
        return [participant_of(person, accounts) for person, accounts in found.values()]

    async def by_email(self, programme_id: int, email: str) -> Participant | None:
        found = await self._load(BY_EMAIL, {"pid": programme_id, "email": email.lower()})
        return found[0] if found else None

    async def by_email_anywhere(self, email: str) -> list[Participant]:
        return await self._load(BY_EMAIL_ANYWHERE, {"email": email.lower()}, hold_programme=True)

    async def by_email_within(self, email: str, programme_ids: Collection[int]) -> list[Participant]:
        """The participants with this email in the programmes given (and nowhere else)."""
        if not programme_ids:
            return []
        params = {"email": email.lower(), "pids": sorted(programme_ids)}
        return await self._load(BY_EMAIL_WITHIN, params, hold_programme=True)

    async def by_platform(self, platform: str, workspace: str, user_id: str) -> list[Participant]:
        params = {"platform": platform, "workspace": workspace, "user_id": user_id}
        return await self._load(BY_PLATFORM, params, hold_programme=True)

    async def in_programme(
        self, programme_id: int, *, agency: str | None = None, team: str | None = None
    ) -> list[Participant]:
        where = [PEOPLE.c.programme_id == programme_id]
        if agency is not None:
            where.append(PEOPLE.c.agency == agency)
        if team is not None:
            where.append(PEOPLE.c.team == team)
        return await self._load(people(*where, order=PEOPLE.c.email))

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


PEOPLE, ACCOUNTS, PROGRAMMES = ParticipantRow.__table__, PlatformIdentityRow.__table__, ProgrammeRow.__table__
PERSON_COLUMNS = columns(PEOPLE, PARTICIPANT_FIELDS)
ACCOUNT_COLUMNS = columns(ACCOUNTS, ("platform", "workspace", "user_id"))
PERSON, ACCOUNT = len(PERSON_COLUMNS), len(PERSON_COLUMNS) + len(ACCOUNT_COLUMNS)  # where each part of a row ends


def people(*where: ColumnElement[bool], order: ColumnElement[Any], programme: bool = False) -> Select[Any]:
    """People with their accounts (one row per account, or one with no account), and their programme if asked: plain
    columns, no ORM objects. The door's look-ups are built once, with bound parameters (building a statement costs
    more CPU than running it)."""
    joined = PEOPLE.outerjoin(ACCOUNTS, ACCOUNTS.c.participant_id == PEOPLE.c.id)
    chosen = [*PERSON_COLUMNS, *ACCOUNT_COLUMNS]
    if programme:
        joined = joined.join(PROGRAMMES, PROGRAMMES.c.id == PEOPLE.c.programme_id)
        chosen += columns(PROGRAMMES, PROGRAMME_FIELDS)
    return select(*chosen).select_from(joined).where(*where).order_by(order, ACCOUNTS.c.id)


_email = bindparam("email", type_=String)
BY_EMAIL = people(PEOPLE.c.programme_id == bindparam("pid", type_=Integer), PEOPLE.c.email == _email,
                  order=PEOPLE.c.programme_id)  # fmt: skip
BY_EMAIL_ANYWHERE = people(PEOPLE.c.email == _email, order=PEOPLE.c.programme_id, programme=True)
BY_EMAIL_WITHIN = people(PEOPLE.c.email == _email, PEOPLE.c.programme_id.in_(bindparam("pids", expanding=True)),
                         order=PEOPLE.c.programme_id, programme=True)  # fmt: skip
_owners = select(ACCOUNTS.c.participant_id).where(
    ACCOUNTS.c.platform == bindparam("platform", type_=String),
    ACCOUNTS.c.workspace == bindparam("workspace", type_=String),
    ACCOUNTS.c.user_id == bindparam("user_id", type_=String),
)
BY_PLATFORM = people(PEOPLE.c.id.in_(_owners), order=PEOPLE.c.programme_id, programme=True)
