"""`aftercare slack link`: people matched to Slack accounts by email before anything is sent to them."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.clock import SimulatedClock
from bot.compose import assemble
from storage.models import PlatformIdentityRow
from storage.programme_store import store_programme
from tests.conftest import START
from tests.factories import make_programme_doc
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import BOT_TOKEN, BY_EMAIL, OWNER_ID, SECRET, TEAM


async def _load(url: str) -> None:
    runtime = assemble(url, clock=SimulatedClock(START), secret=b"cli-test-anonymity-secret-of-32-bytes")
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), START, "Europe/London")
    await runtime.close()


async def _linked(url: str) -> set[tuple[str, str]]:
    runtime = assemble(url, secret=b"cli-test-anonymity-secret-of-32-bytes")
    async with runtime.sessions() as session:
        rows = (
            await session.execute(select(PlatformIdentityRow).where(PlatformIdentityRow.platform == "slack"))
        ).scalars()
        found = {(row.workspace, row.user_id) for row in rows}
    await runtime.close()
    return found


def test_slack_link_matches_people_by_email(
    sqlite_url: str, slack: FakeSlackApi, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    asyncio.run(_load(sqlite_url))
    monkeypatch.setenv("AFTERCARE_ANONYMITY_SECRET", "cli-test-anonymity-secret-of-32-bytes")
    for name, value in {"SIGNING_SECRET": SECRET, "BOT_TOKEN": BOT_TOKEN, "API_URL": slack.base_url}.items():
        monkeypatch.setenv(f"SLACK_{name}", value)

    assert main(["--db", sqlite_url, "slack", "link"]) == 0

    assert asyncio.run(_linked(sqlite_url)) == {(TEAM, OWNER_ID), *((TEAM, user) for user in BY_EMAIL)}
    assert (
        "TEST-1: matched 3 of 8 people not yet known on Slack in T0TEST001; 5 have no Slack account"
        in capsys.readouterr().out
    )
    assert len(slack.calls_to("users.lookupByEmail")) == 8

    assert main(["--db", sqlite_url, "slack", "link"]) == 0  # again: only the five still unknown are looked up
    assert len(slack.calls_to("users.lookupByEmail")) == 8 + 5


def test_slack_link_needs_slack(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)

    assert main(["--db", sqlite_url, "slack", "link"]) == 2
    assert "Slack is not configured" in capsys.readouterr().err
