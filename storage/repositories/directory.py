"""Fast look-ups for delivery: a programme's members for audiences, people by id for their working window, zones.

``SqlDirectory.members`` reads plain columns and builds the models without validating them again (the rows were
validated when they were stored), so a broadcast to 10,000 people resolves its audience in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.model import Account, Participant, Role, WorkingPattern
from storage.models import ParticipantRow, PlatformIdentityRow, ProgrammeRow
from storage.repositories.convert import to_participant

CHUNK = 500
MEMBER_COLUMNS = (
    ParticipantRow.id, ParticipantRow.programme_id, ParticipantRow.email, ParticipantRow.name, ParticipantRow.agency,
    ParticipantRow.team, ParticipantRow.roles, ParticipantRow.job_title, ParticipantRow.manager_email,
    ParticipantRow.timezone, ParticipantRow.region, ParticipantRow.working_pattern, ParticipantRow.away_until,
    ParticipantRow.peers_opt_in,
)  # fmt: skip


class SqlDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def members(self, programme_id: int) -> list[Participant]:
        accounts = await self._accounts(programme_id)
        query = (
            select(*MEMBER_COLUMNS).where(ParticipantRow.programme_id == programme_id).order_by(ParticipantRow.email)
        )
        patterns: dict[str, WorkingPattern] = {}
        rows = (await self.session.execute(query)).all()
        return [_member(row, accounts.get(row[0], []), patterns) for row in rows]

    async def _accounts(self, programme_id: int) -> dict[int, list[Account]]:
        accounts: dict[int, list[Account]] = {}
        query = (
            select(PlatformIdentityRow.participant_id, PlatformIdentityRow.platform, PlatformIdentityRow.workspace,
                   PlatformIdentityRow.user_id)
            .join(ParticipantRow, ParticipantRow.id == PlatformIdentityRow.participant_id)
            .where(ParticipantRow.programme_id == programme_id)
            .order_by(PlatformIdentityRow.id)
        )  # fmt: skip
        for pid, platform, workspace, user_id in (await self.session.execute(query)).all():
            accounts.setdefault(pid, []).append(
                Account.model_construct(platform=platform, workspace=workspace, user_id=user_id)
            )
        return accounts


def _member(row: Any, accounts: list[Account], patterns: dict[str, WorkingPattern]) -> Participant:
    """Every field given, so that pydantic neither validates nor copies defaults (this runs 10,000 times)."""
    pid, programme_id, email, name, agency, team, roles, title, manager, zone, region, pattern, away, peers = row
    key = str(pattern)
    if key not in patterns:
        patterns[key] = WorkingPattern.model_validate(pattern)
    return Participant.model_construct(
        id=pid, programme_id=programme_id, email=email, name=name, agency=agency, team=team,
        roles=frozenset(Role(r) for r in roles), job_title=title, manager_email=manager, timezone=zone, region=region,
        working_pattern=patterns[key], accounts=tuple(accounts), away_until=away,
        peers_opt_in=peers,
    )  # fmt: skip


async def participants_by_id(session: AsyncSession, ids: Iterable[int]) -> dict[int, Participant]:
    """Participants without their platform identities (a working window does not need them)."""
    wanted = sorted(set(ids))
    found: dict[int, Participant] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(ParticipantRow).where(ParticipantRow.id.in_(wanted[start : start + CHUNK]))
        for row in (await session.execute(query)).scalars():
            found[row.id] = to_participant(row, [])
    return found


async def programme_zones(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    query = select(ProgrammeRow.id, ProgrammeRow.timezone).where(ProgrammeRow.id.in_(sorted(set(ids))))
    return {pid: zone for pid, zone in (await session.execute(query)).all()}
