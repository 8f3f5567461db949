"""The worker as `aftercare worker` and `aftercare serve` run it: dispatcher plus scheduler on the leader."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select, update

from bot import worker
from bot.clock import SimulatedClock
from bot.console_channel import ConsoleChannel
from bot.delivery import DispatchSettings
from bot.settings import Settings
from bot.worker import NoAccountChannel, build_channels, run_worker, start_worker
from handlers.delivery_ports import MessageKind
from handlers.library import Library
from handlers.schedules import default_specs
from storage.delivery_models import ScheduleRow
from storage.models import ParticipantRow
from tests.delivery.conftest import loaded_delivery_runtime
from tests.delivery.crash_worker import NoHolidays
from tests.delivery.helpers import deliveries
from tests.factories import FACILITATOR, make_programme_doc

ALWAYS = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "00:00"}


async def test_worker_delivers_and_its_scheduler_keeps_schedules_in_step(sqlite_url: str, library: Library):
    clock = SimulatedClock(dt.datetime.now(dt.UTC))  # real time: APScheduler runs on it
    runtime = await loaded_delivery_runtime(sqlite_url, clock, library)
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(ParticipantRow).values(working_pattern=ALWAYS))
    assert (await runtime.say(FACILITATOR, '/broadcast all "Team meeting moved to Thursday"')).ok
    assert (await runtime.say(FACILITATOR, "/broadcast confirm B1")).ok
    channel = ConsoleChannel(clock, show=None)
    stop = asyncio.Event()
    channels = {"console": channel, "slack": channel, "teams": channel}
    settings = DispatchSettings(poll=0.05)
    worker = asyncio.create_task(run_worker(runtime, Settings(), stop, channels=channels, dispatch=settings,
                                            calendar=NoHolidays()))  # fmt: skip

    def broadcast_delivered() -> int:
        return sum(1 for d in channel.delivered if d.recipient.kind is MessageKind.BROADCAST)

    for _ in range(300):
        if broadcast_delivered() == 9:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(worker, 20)
    assert broadcast_delivered() == 9
    assert {row.status for row in await deliveries(runtime) if row.kind == "broadcast"} == {"sent"}
    async with runtime.sessions() as session:
        schedules = (await session.execute(select(func.count()).select_from(ScheduleRow))).scalar_one()
    cycles = len(make_programme_doc().checkins)
    assert schedules == len(default_specs()) + cycles + cycles - 1  # one per cycle, and a reminder for all but the last
    await runtime.close()


async def test_start_worker_returns_a_stop_that_ends_it(sqlite_url: str, library: Library):
    runtime = await loaded_delivery_runtime(sqlite_url, SimulatedClock(dt.datetime.now(dt.UTC)), library)
    stop = await start_worker(Settings(), runtime)
    await asyncio.sleep(0.2)
    await asyncio.wait_for(stop(), 10)
    await runtime.close()


async def test_console_only_without_platforms_and_dead_letters_with_them(sqlite_delivery, monkeypatch):
    plain = build_channels(Settings(), sqlite_delivery)
    assert set(plain) == {"console"} and isinstance(plain["console"], ConsoleChannel)
    monkeypatch.setitem(worker.PLATFORM_MODULES, "slack", "tests.delivery.helpers")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    with_slack = build_channels(Settings(), sqlite_delivery)
    assert set(with_slack) == {"slack", "console"}
    assert isinstance(with_slack["console"], NoAccountChannel)
