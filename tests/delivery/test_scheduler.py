"""APScheduler end to end: a leader's scheduler fires a due occurrence into the outbox, once, in each zone."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from bot.clock import SimulatedClock
from bot.scheduler import Scheduler
from handlers.library import Library
from handlers.recurrence import WEEKDAY_CODES
from handlers.schedules import ScheduleKind, ScheduleSpec
from tests.delivery.conftest import loaded_delivery_runtime
from tests.delivery.helpers import add_schedule, deliveries


def a_minute_ago_rule() -> str:
    local = dt.datetime.now(ZoneInfo("Europe/London")) - dt.timedelta(minutes=2)
    return f"weekly on {WEEKDAY_CODES[local.weekday()]} at {local:%H:%M}"


async def test_a_due_occurrence_is_fired_by_the_running_scheduler(sqlite_url: str, library: Library, monkeypatch):
    runtime = await loaded_delivery_runtime(sqlite_url, SimulatedClock(dt.datetime.now(dt.UTC)), library)
    spec = ScheduleSpec(key="now", kind=ScheduleKind.MILESTONE, rule=a_minute_ago_rule(), audience=("role:lead",),
                        text="A milestone for the board.")  # fmt: skip
    monkeypatch.setattr("bot.scheduler.specs_for", lambda programme, documents: [spec])
    await add_schedule(runtime, spec)
    scheduler = Scheduler(runtime, resync=3600)
    await scheduler.start()
    try:
        for _ in range(100):
            if await deliveries(runtime):
                break
            await asyncio.sleep(0.05)
    finally:
        await scheduler.stop()
    rows = await deliveries(runtime)
    assert [r.kind for r in rows] == ["notice"]  # the programme's one lead; the Dublin job found nobody
    assert rows[0].key.startswith("schedule:")
    await runtime.close()
