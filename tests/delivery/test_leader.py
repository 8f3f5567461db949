"""Leader election and two workers on one PostgreSQL database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.clock import SimulatedClock
from bot.console_channel import ConsoleChannel
from bot.delivery import Dispatcher, DispatchSettings
from bot.holiday_calendar import HolidaysCalendar
from bot.leader import Leadership
from handlers.library import Library
from handlers.schedules import ScheduleKind, ScheduleSpec
from storage.db import create_engine
from storage.delivery_models import SchedulerLeaderRow
from storage.models import ParticipantRow
from tests.delivery.conftest import loaded_delivery_runtime
from tests.delivery.helpers import add_schedule, deliveries, firer

pytestmark = pytest.mark.postgres
HEARTBEAT = 0.5
ROOT = Path(__file__).resolve().parents[2]


class Campaign:
    def __init__(self, url: str, name: str) -> None:
        self.gained = asyncio.Event()
        self.lost = asyncio.Event()
        self.stop = asyncio.Event()
        self.leadership = Leadership(url, on_gain=self._gain, on_loss=self._loss, heartbeat=HEARTBEAT, name=name)
        self.task = asyncio.create_task(self.leadership.run(self.stop))

    async def _gain(self) -> None:
        self.gained.set()

    async def _loss(self) -> None:
        self.lost.set()

    async def end(self) -> None:
        self.stop.set()
        await self.task


async def backend_of(url: str, name: str) -> int:
    engine = create_engine(url, pooled=False)
    async with engine.connect() as conn:
        pid = await conn.scalar(text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"))
        holder = await conn.scalar(select(SchedulerLeaderRow.holder))
    await engine.dispose()
    assert holder == name
    return int(pid)


async def terminate(url: str, pid: int) -> None:
    engine = create_engine(url, pooled=False)
    async with engine.connect() as conn:
        await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await engine.dispose()


async def test_one_leader_and_takeover_within_a_heartbeat(pg_url: str):
    first = Campaign(pg_url, "first")
    await asyncio.wait_for(first.gained.wait(), 5)
    second = Campaign(pg_url, "second")
    await asyncio.sleep(HEARTBEAT * 3)
    assert not second.gained.is_set()  # the lock excludes the second candidate
    await terminate(pg_url, await backend_of(pg_url, "first"))  # the leader's session dies
    died = time.monotonic()
    await asyncio.wait_for(second.gained.wait(), 5)
    assert time.monotonic() - died <= HEARTBEAT * 1.5
    await asyncio.wait_for(first.lost.wait(), 5)  # the old leader noticed and stopped its scheduler
    assert await backend_of(pg_url, "second")
    await first.end()
    await second.end()


async def test_stepping_down_releases_the_lock(pg_url: str):
    first = Campaign(pg_url, "first")
    await asyncio.wait_for(first.gained.wait(), 5)
    second = Campaign(pg_url, "second")
    await first.end()
    await asyncio.wait_for(second.gained.wait(), HEARTBEAT * 2)
    await second.end()


async def test_same_occurrence_on_two_workers_delivers_once(pg_url: str, clock: SimulatedClock, library: Library):
    one = await loaded_delivery_runtime(pg_url, clock, library)
    two = await loaded_delivery_runtime(pg_url, clock, library)  # its own engine and pool: another replica
    async with one.sessions() as session, session.begin():
        session.add_all(
            ParticipantRow(
                programme_id=1,
                email=f"p{i}@council.example",
                name=f"P {i}",
                agency="KBC",
                team="T-ADO",
                roles=["practitioner"],
                timezone="Europe/London",
                working_pattern={},
            )
            for i in range(300)
        )
    spec = ScheduleSpec(key="p", kind=ScheduleKind.PROMPTS, rule="weekly on MO at 10:00", audience=("all",))
    sid = await add_schedule(one, spec)
    added = await asyncio.gather(firer(one).fire(sid, "Europe/London"), firer(two).fire(sid, "Europe/London"))
    rows = await deliveries(one)
    assert sum(added) == len(rows) == 308  # 300 + the 8 London people; the other firing added nothing
    channel = ConsoleChannel(clock, show=None)
    settings = DispatchSettings(batch=20, concurrency=8)
    workers = [
        Dispatcher(
            rt.sessions,
            {"console": channel, "slack": channel, "teams": channel},
            calendar=HolidaysCalendar(),
            clock=clock,
            settings=settings,
            name=name,
        )
        for rt, name in ((one, "one"), (two, "two"))
    ]
    sent = await asyncio.gather(*(w.drain() for w in workers))
    keys = [d.recipient.key for d in channel.delivered]
    assert len(keys) == len(set(keys)) == 308
    assert all(n > 0 for n in sent)  # both took part, on disjoint rows
    await one.close()
    await two.close()


def spawn_worker(url: str) -> subprocess.Popen[bytes]:
    """`aftercare worker` in its own process, as an operator runs it."""
    env = {**os.environ, "AFTERCARE_ANONYMITY_SECRET": "leader-test-anonymity-secret-32-bytes"}
    command = [sys.executable, "-m", "bot", "--db", url, "worker", "--heartbeat", str(HEARTBEAT)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def test_killed_worker_process_is_replaced_within_a_heartbeat(pg_url: str):
    worker = spawn_worker(pg_url)
    try:
        holder = None
        for _ in range(200):  # the worker starts, wins the lock and says so in scheduler_leader
            holder = await leader_name(pg_url)
            if holder:
                break
            await asyncio.sleep(0.05)
        assert holder, "the worker never became leader"
        candidate = Campaign(pg_url, "candidate")
        await asyncio.sleep(HEARTBEAT * 2)
        assert not candidate.gained.is_set()
        worker.kill()
        worker.wait(timeout=10)
        died = time.monotonic()
        await asyncio.wait_for(candidate.gained.wait(), 5)
        assert time.monotonic() - died <= HEARTBEAT * 1.5
        await candidate.end()
    finally:
        worker.kill()
        worker.wait(timeout=10)


async def leader_name(url: str) -> str | None:
    engine = create_engine(url, pooled=False)
    async with engine.connect() as conn:
        holder = await conn.scalar(select(SchedulerLeaderRow.holder))
    await engine.dispose()
    return holder
