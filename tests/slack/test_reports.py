"""`/aftercare report KIND` in Slack, when `aftercare serve` hands over a Runtime: queued through the outbox
with its files, which the Slack channel uploads into the conversation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.server import create_app
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.delivery import make_channel
from handlers.delivery_ports import Recipient
from handlers.library import Library
from handlers.reply import Reply
from storage.delivery_models import DeliveryPayloadRow, DeliveryRow
from storage.programme_store import store_programme
from tests.factories import make_programme_doc
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import FACILITATOR_ID, TEAM, Harness, slack_settings


@pytest.fixture
async def reporting(
    sqlite_url: str,
    slack: FakeSlackApi,
    clock: SimulatedClock,
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Harness]:
    """These tests are about the files reaching Slack. Building a report (a cold scikit-learn import, PNG and DOCX)
    can take longer than the 2 s acknowledgement deadline on a busy machine, and then the reply follows through
    response_url instead; that path is tested in tests/slack/test_commands.py, so the deadline is lifted here."""
    monkeypatch.setattr(listeners, "ACK_DEADLINE", 60.0)
    runtime = assemble(sqlite_url, clock=clock, secret=b"slack-reports", library=library, reports_folder=tmp_path)
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), clock.now(), "Europe/London")
    app = create_app(Settings(database_url=sqlite_url, slack=slack_settings(slack)), runtime)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield Harness(app, client, slack, runtime)


async def test_a_facilitator_posts_a_report_and_its_files_reach_slack(reporting: Harness):
    response = await reporting.command("/aftercare report delivery", user=FACILITATOR_ID)

    assert response.status_code == 200
    assert "Posting the delivery report here now" in response.json()["text"]
    async with reporting.runtime.sessions() as session:
        row = (await session.execute(select(DeliveryRow))).scalars().one()
        body = (await session.execute(select(DeliveryPayloadRow.body))).scalars().one()
    assert row.address == f"{TEAM}:{FACILITATOR_ID}"
    channel = make_channel(Settings(slack=slack_settings(reporting.slack)))
    await channel.send(Recipient(key=row.key, platform="slack", address=row.address), Reply.model_validate(body))
    await channel.close()
    assert [c.ok for c in reporting.slack.calls_to("files.completeUploadExternal")] == [True]
