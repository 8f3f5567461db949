"""Programmes, agencies, teams and recommendations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from handlers.errors import NotFound
from handlers.model import Agency, Programme, Recommendation, Team
from storage.models import AgencyRow, ProgrammeRow, ProgrammeWorkspaceRow, RecommendationRow, TeamRow
from storage.repositories.convert import to_programme, to_recommendation
from storage.repositories.held import held, hold


class SqlProgrammeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, programme_id: int) -> Programme:
        """Read once per transaction (storage/repositories/held.py): the door's lookup of the person usually
        brought it already."""
        programme = held(self.session, programme_id)
        if programme is None:
            row = await self.session.get(ProgrammeRow, programme_id)
            if row is None:
                raise NotFound("That programme no longer exists.")
            programme = to_programme(row)
            hold(self.session, programme)
        return programme

    async def by_code(self, code: str) -> Programme | None:
        row = (await self.session.execute(select(ProgrammeRow).where(ProgrammeRow.code == code))).scalar_one_or_none()
        return to_programme(row) if row else None

    async def all(self) -> list[Programme]:
        rows = (await self.session.execute(select(ProgrammeRow).order_by(ProgrammeRow.id))).scalars()
        return [to_programme(row) for row in rows]

    async def workspaces(self, platform: str) -> dict[int, set[str]]:
        """Programme id → the workspaces (Slack) or tenants (Teams) it reaches; a programme reaching none is absent."""
        query = select(ProgrammeWorkspaceRow.programme_id, ProgrammeWorkspaceRow.workspace).where(
            ProgrammeWorkspaceRow.platform == platform
        )
        found: dict[int, set[str]] = {}
        for pid, workspace in (await self.session.execute(query)).all():
            found.setdefault(int(pid), set()).add(str(workspace))
        return found

    async def agencies(self, programme_id: int) -> list[Agency]:
        query = select(AgencyRow).where(AgencyRow.programme_id == programme_id).order_by(AgencyRow.code)
        return [Agency(code=r.code, name=r.name, kind=r.kind) for r in (await self.session.execute(query)).scalars()]

    async def teams(self, programme_id: int) -> list[Team]:
        query = select(TeamRow).where(TeamRow.programme_id == programme_id).order_by(TeamRow.code)
        return [Team(code=r.code, agency=r.agency, name=r.name) for r in (await self.session.execute(query)).scalars()]

    async def agency(self, programme_id: int, code: str) -> Agency | None:
        query = select(AgencyRow).where(AgencyRow.programme_id == programme_id, AgencyRow.code == code)
        row = (await self.session.execute(query)).scalar_one_or_none()
        return Agency(code=row.code, name=row.name, kind=row.kind) if row else None

    async def team(self, programme_id: int, code: str) -> Team | None:
        query = select(TeamRow).where(TeamRow.programme_id == programme_id, TeamRow.code == code)
        row = (await self.session.execute(query)).scalar_one_or_none()
        return Team(code=row.code, agency=row.agency, name=row.name) if row else None

    async def recommendations(self, programme_id: int) -> list[Recommendation]:
        query = select(RecommendationRow).where(RecommendationRow.programme_id == programme_id)
        rows = (await self.session.execute(query.order_by(RecommendationRow.code))).scalars()
        return [to_recommendation(r) for r in rows]

    async def recommendation(self, programme_id: int, code: str) -> Recommendation | None:
        query = select(RecommendationRow).where(
            RecommendationRow.programme_id == programme_id, RecommendationRow.code == code
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return to_recommendation(row) if row else None

    async def _with_document(self, programme_id: int) -> ProgrammeRow:
        query = select(ProgrammeRow).options(undefer(ProgrammeRow.document)).where(ProgrammeRow.id == programme_id)
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            raise NotFound("That programme no longer exists.")
        return row

    async def schedule_documents(self, programme_id: int) -> list[dict[str, Any]]:
        row = await self._with_document(programme_id)
        return [dict(s) for s in (row.document or {}).get("schedules") or [] if isinstance(s, dict)]

    async def save_schedule_documents(self, programme_id: int, documents: list[dict[str, Any]]) -> None:
        """Kept in the stored document, which the scheduler reads on its next pass; marked as changed in chat."""
        row = await self._with_document(programme_id)
        row.document = {**(row.document or {}), "schedules": documents, "schedules_changed_in_chat": True}

    async def move_checkin(self, programme_id: int, code: str, day: dt.date) -> None:
        row = await self._with_document(programme_id)
        row.checkins = [{**c, "date": day.isoformat()} if c.get("code") == code else c for c in row.checkins]
        cycles = (row.document or {}).get("checkins") or []
        moved = [{**c, "date": day.isoformat()} if c.get("id") == code else c for c in cycles]
        row.document = {**(row.document or {}), "checkins": moved}
