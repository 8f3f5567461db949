from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime
from handlers.programme_doc import ProgrammeDoc
from storage.models import ActionRow, ActionUpdateRow, ParticipantRow, PlatformIdentityRow
from storage.programme_store import store_programme
from storage.schema import metadata
from tests.factories import make_programme_dict

NOW = dt.datetime(2026, 6, 20, 9, 0, tzinfo=dt.UTC)


async def row_counts(runtime: Runtime) -> dict[str, int]:
    async with runtime.sessions() as session:
        return {
            name: (await session.execute(select(func.count()).select_from(table))).scalar_one()
            for name, table in metadata.tables.items()
        }


async def test_reimport_updates_in_place_and_never_duplicates(runtime: Runtime):
    before = await row_counts(runtime)
    changed = make_programme_dict()
    changed["actions"][2]["due"] = dt.date(2026, 8, 31)
    changed["participants"][2]["name"] = "Pat Worker-Jones"
    async with runtime.sessions() as session, session.begin():
        summary = await store_programme(session, ProgrammeDoc.model_validate(changed), NOW, "Europe/London")
    after = await row_counts(runtime)
    assert after["participants"] == before["participants"]
    assert after["actions"] == before["actions"]
    assert after["platform_identities"] == before["platform_identities"]
    assert after["action_updates"] == before["action_updates"] + 1  # the changed A07 is recorded
    assert summary.updated["actions"] == 1
    async with runtime.sessions() as session:
        due = (await session.execute(select(ActionRow.due).where(ActionRow.code == "A07"))).scalar_one()
        name = (
            await session.execute(select(ParticipantRow.name).where(ParticipantRow.email == "worker@council.example"))
        ).scalar_one()
        history = (await session.execute(select(ActionUpdateRow.note, ActionUpdateRow.old, ActionUpdateRow.new))).all()
    assert due == dt.date(2026, 8, 31)
    assert name == "Pat Worker-Jones"
    assert [tuple(row) for row in history] == [("due date", "2026-06-30", "2026-08-31")]


async def test_a_failure_part_way_leaves_the_database_as_it_was(runtime: Runtime):
    before = await row_counts(runtime)
    broken = make_programme_dict()
    broken["participants"].append(dict(broken["participants"][0], email="new@council.example"))
    broken["participants"][-1]["slack"] = [{"team": "T0TEST001", "user": "U0NEW0001"}]
    doc = ProgrammeDoc.model_validate(broken)
    with pytest.raises(RuntimeError):
        async with runtime.sessions() as session, session.begin():
            await store_programme(session, doc, NOW, "Europe/London")
            raise RuntimeError("crash after writing")
    assert await row_counts(runtime) == before


async def test_identities_are_stored_per_platform(runtime: Runtime):
    async with runtime.sessions() as session:
        rows = (await session.execute(select(PlatformIdentityRow.platform, PlatformIdentityRow.user_id))).all()
    assert sorted(tuple(r) for r in rows) == [("slack", "U0OWNER01"), ("teams", "aad-worker")]
    async with runtime.unit() as deps:
        found = await deps.participants.by_platform("teams", "tenant-a", "aad-worker")
        other_tenant = await deps.participants.by_platform("teams", "tenant-b", "aad-worker")
    assert [p.email for p in found] == ["worker@council.example"]
    assert other_tenant == []
