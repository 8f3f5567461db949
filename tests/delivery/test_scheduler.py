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


async def test_stopping_lets_a_running_job_finish_and_waits_for_it(sqlite_url: str, library: Library, monkeypatch):
    """The daily purge starts with the scheduler; a stop while it runs must not cancel it half-way through its writes
    (that once left SQLite held while the runtime closed), and must not return before it has ended."""
    runtime = await loaded_delivery_runtime(sqlite_url, SimulatedClock(dt.datetime.now(dt.UTC)), library)
    steps: list[str] = []
    started = asyncio.Event()

    async def slow_purge(self):
        steps.append("begun")
        started.set()
        await asyncio.sleep(0.3)
        steps.append("finished")

    monkeypatch.setattr(Scheduler, "purge", slow_purge)
    scheduler = Scheduler(runtime, resync=3600)
    await scheduler.start()
    await asyncio.wait_for(started.wait(), 10)
    await scheduler.stop()
    assert steps == ["begun", "finished"]
    await runtime.close()


async def test_a_job_that_outlasts_the_grace_is_cancelled_and_awaited(sqlite_url: str, library: Library, monkeypatch):
    runtime = await loaded_delivery_runtime(sqlite_url, SimulatedClock(dt.datetime.now(dt.UTC)), library)
    started, ended = asyncio.Event(), []

    async def stuck(self):
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            await asyncio.sleep(0.05)  # cleaning up after the cancellation takes a moment
            ended.append("cancelled")
            raise

    monkeypatch.setattr(Scheduler, "purge", stuck)
    monkeypatch.setattr("bot.scheduler.STOP_GRACE", 0.2, raising=False)
    scheduler = Scheduler(runtime, resync=3600)
    await scheduler.start()
    await asyncio.wait_for(started.wait(), 10)
    await asyncio.wait_for(scheduler.stop(), 5)
    assert ended == ["cancelled"]  # the clean-up had ended when stop returned
    await runtime.close()
