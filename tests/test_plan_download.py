"""/aftercare plan: a lead or facilitator gets the current plan as .xlsx in the conversation (through the outbox),
in the columns the import reads, so that sending it back unchanged changes nothing."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import programme_cli
from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from storage.delivery_models import DeliveryPayloadRow, DeliveryRow
from storage.models import ActionRow
from storage.programme_store import store_programme
from tests.factories import FACILITATOR, LEAD, OWNER, make_programme_doc


@pytest.fixture
async def planning(sqlite_url: str, clock: SimulatedClock, tmp_path: Path) -> AsyncIterator[Runtime]:
    runtime = assemble(sqlite_url, clock=clock, secret=b"k", reports_folder=tmp_path / "posted")
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), clock.now(), "Europe/London")
    yield runtime
    await runtime.close()


async def test_a_facilitator_gets_the_plan_as_a_spreadsheet_that_reimports_to_no_change(planning: Runtime):
    reply = await planning.say(FACILITATOR, "/aftercare plan")
    assert reply.ok, reply.text
    async with planning.sessions() as session:
        [delivery] = (await session.execute(select(DeliveryRow))).scalars().all()
        body = (await session.execute(select(DeliveryPayloadRow.body))).scalars().one()
        before = [tuple(r) for r in (await session.execute(select(ActionRow.code, ActionRow.status, ActionRow.due)))]
    files = (body if isinstance(body, dict) else json.loads(body))["files"]
    [attachment] = files
    assert attachment["path"].endswith(".xlsx") and os.path.exists(attachment["path"])  # noqa: ASYNC240
    summary = await programme_cli.import_files(planning, None, Path(attachment["path"]), None, "Europe/London")
    assert summary.plan is not None and not summary.plan.changes and not summary.plan.conflicts
    async with planning.sessions() as session:
        after = [tuple(r) for r in (await session.execute(select(ActionRow.code, ActionRow.status, ActionRow.due)))]
    assert after == before
    assert delivery.participant_id is not None


async def test_leads_may_and_owners_may_not(planning: Runtime):
    assert (await planning.say(LEAD, "/aftercare plan")).ok
    refused = await planning.say(OWNER, "/aftercare plan")
    assert not refused.ok and "Only leads and facilitators" in refused.text
