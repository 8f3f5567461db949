"""/aftercare schedule (handlers/programme_admin.py, handlers/schedules.py) against the in-memory ports: only a
facilitator changes schedules; pausing and moving reach the stored schedule documents; an opened check-in stays."""

from __future__ import annotations

import datetime as dt

from handlers.dispatch import run_text
from handlers.ports import Deps
from handlers.reply import Reply
from handlers.schedules import specs_for
from tests.factories import FACILITATOR, LEAD
from tests.handlers.conftest import person
from tests.handlers.memory import World


async def schedule(world: World, deps: Deps, text: str, email: str = FACILITATOR) -> Reply:
    return await run_text("/aftercare", f"schedule {text}".strip(), person(world, email), deps)


def running(world: World) -> dict[str, bool]:
    specs = specs_for(world.programmes[1], world.documents[1].get("schedules") or [])
    return {s.key: s.active for s in specs}


async def test_a_facilitator_pauses_and_resumes_and_it_is_kept(world: World, deps: Deps):
    assert running(world)["drift"]
    paused = await schedule(world, deps, "pause drift")
    again = await schedule(world, deps, "pause DRIFT")
    assert paused.ok and "paused" in paused.text and "already paused" in again.text
    assert not running(world)["drift"] and world.documents[1]["schedules_changed_in_chat"]
    assert (await schedule(world, deps, "resume drift")).ok and running(world)["drift"]
    assert [e.verb for _, e in world.audit] == ["schedule.pause", "schedule.resume"]


async def test_only_a_facilitator_sees_or_changes_schedules(world: World, deps: Deps):
    refused = await schedule(world, deps, "pause drift", LEAD)
    assert not refused.ok and "Only facilitators" in refused.text
    assert running(world)["drift"] and world.audit == []


async def test_an_unknown_schedule_gets_a_suggestion(world: World, deps: Deps):
    reply = await schedule(world, deps, "pause drfit")
    assert not reply.ok and "Did you mean drift?" in reply.text


async def test_a_future_check_in_moves_but_an_opened_one_does_not(world: World, deps: Deps):
    moved = await schedule(world, deps, "move checkin.CI-3 2026-09-08")
    opened = await schedule(world, deps, "move checkin.CI-0 2026-07-01")
    assert moved.ok, moved.text
    assert world.programmes[1].checkins[1].date == dt.date(2026, 9, 8)
    assert not opened.ok and "already opened" in opened.text
    assert world.programmes[1].checkins[0].date == dt.date(2026, 2, 24)
