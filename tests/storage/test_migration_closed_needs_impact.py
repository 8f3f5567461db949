"""Migration 0010: an action an earlier import closed without evidence of impact is no longer called closed."""

from __future__ import annotations

import asyncio

from sqlalchemy import select, update

from bot.compose import assemble
from bot.runtime import Runtime
from storage.migrate import downgrade, upgrade
from storage.models import ActionRow, ActionUpdateRow


async def test_closed_without_impact_evidence_becomes_complete_with_history(sqlite_runtime: Runtime, sqlite_url: str):
    async with sqlite_runtime.sessions() as session, session.begin():
        await session.execute(update(ActionRow).where(ActionRow.code == "A07").values(status="closed"))
        await session.execute(
            update(ActionRow).where(ActionRow.code == "A09").values(status="closed", evidence_of_impact="Audit: 9/10")
        )
    await sqlite_runtime.close()
    await asyncio.to_thread(downgrade, sqlite_url, "0008_anonymity")  # the revision before 0010
    await asyncio.to_thread(upgrade, sqlite_url)
    runtime = assemble(sqlite_url, clock=sqlite_runtime.clock, secret=b"k")
    async with runtime.sessions() as session:
        status = {
            code: value for code, value in (await session.execute(select(ActionRow.code, ActionRow.status))).all()
        }
        history = [
            tuple(row) for row in (await session.execute(select(ActionUpdateRow.old, ActionUpdateRow.new))).all()
        ]
    await runtime.close()
    assert status["A07"] == "complete"
    assert status["A09"] == "closed"  # it has its evidence
    assert history == [("closed", "complete")]
