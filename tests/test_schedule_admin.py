"""/aftercare schedule: a facilitator lists, pauses, resumes and moves schedules and check-in windows from chat."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import programme_cli
from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from handlers.schedules import specs_for
from storage.repositories import schedules as stored

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "programme.yaml"
FACILITATOR = "grace.singh@kestermoor.gov.example"
LEAD = "naomi.young@kestermoor.gov.example"


@pytest.fixture
async def example(sqlite_url: str) -> AsyncIterator[Runtime]:
    runtime = assemble(sqlite_url, clock=SimulatedClock(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)), secret=b"k")
    await programme_cli.import_files(runtime, EXAMPLE, None, None, "Europe/London")
    yield runtime
    await runtime.close()


async def running(runtime: Runtime) -> dict[str, str]:
    """What the scheduler will run after its next pass: key → rule."""
    async with runtime.sessions() as session, session.begin():
        for programme, documents in await stored.programmes_with_schedules(session):
            await stored.sync_schedules(session, programme.id, specs_for(programme, documents), runtime.clock.now())
        return {s.spec.key: s.spec.rule for s in await stored.active_schedules(session)}


async def test_list_shows_schedules_and_check_in_windows(example: Runtime):
    reply = await example.say(FACILITATOR, "/aftercare schedule")
    assert reply.ok
    assert "drift (drift, running): weekly on MO at 09:30" in reply.text
    assert "check-in CI-3 open from 26 May 2026 until 25 Aug 2026" in reply.text


async def test_pause_and_resume_reach_the_scheduler_and_survive_a_reimport(example: Runtime):
    assert "drift" in await running(example)
    paused = await example.say(FACILITATOR, "/aftercare schedule pause drift")
    assert paused.ok and "paused" in paused.text
    assert "drift" not in await running(example)
    again = await example.say(FACILITATOR, "/aftercare schedule pause drift")
    assert again.ok and "already paused" in again.text
    await programme_cli.import_files(example, EXAMPLE, None, None, "Europe/London")
    assert "drift" not in await running(example)
    assert (await example.say(FACILITATOR, "/aftercare schedule resume DRIFT")).ok
    assert "drift" in await running(example)


async def test_move_a_schedule_to_a_new_rule(example: Runtime):
    moved = await example.say(FACILITATOR, '/aftercare schedule move prompts-manager "every 2 weeks on TH at 14:00"')
    assert moved.ok, moved.text
    assert (await running(example))["prompts-manager"] == "every 2 weeks on TH at 14:00"
    bad = await example.say(FACILITATOR, "/aftercare schedule move prompts-manager whenever")
    assert not bad.ok and "nothing has changed" in bad.text
    assert (await running(example))["prompts-manager"] == "every 2 weeks on TH at 14:00"


async def test_move_a_future_check_in_but_never_one_that_has_opened_or_out_of_order(example: Runtime):
    moved = await example.say(FACILITATOR, "/aftercare schedule move checkin.CI-6 2026-09-01")
    assert moved.ok, moved.text
    listed = await example.say(FACILITATOR, "/aftercare schedule")
    assert "check-in CI-3 open from 26 May 2026 until 01 Sep 2026" in listed.text
    assert "check-in CI-6 open from 01 Sep 2026" in listed.text
    opened = await example.say(FACILITATOR, "/aftercare schedule move checkin.CI-3 2026-07-01")
    assert not opened.ok and "already opened" in opened.text
    too_early = await example.say(FACILITATOR, "/aftercare schedule move checkin.CI-6 2026-06-01")
    assert not too_early.ok and "nothing has changed" in too_early.text


async def test_only_facilitators_may_change_schedules(example: Runtime):
    refused = await example.say(LEAD, "/aftercare schedule pause drift")
    assert not refused.ok and "Only facilitators" in refused.text
    assert "drift" in await running(example)
    unknown = await example.say(FACILITATOR, "/aftercare schedule pause drfit")
    assert not unknown.ok and "Did you mean drift?" in unknown.text
