"""Acceptance: a 2,000-recipient broadcast survives a worker killed with SIGKILL part-way; each person gets one."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.clock import SimulatedClock
from bot.runtime import Runtime
from handlers.broadcast_views import SEND_BUTTON, preview_label
from handlers.library import Library
from storage.delivery_models import DeliveryRow
from storage.models import ParticipantRow
from tests.delivery.conftest import loaded_delivery_runtime
from tests.delivery.fake_platform import FakePlatform, running
from tests.factories import FACILITATOR

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 2000
ALWAYS = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "00:00"}  # a whole-day window, every day
LEASE = 2.0


def start_worker(db_url: str, base_url: str) -> subprocess.Popen[str]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.delivery.crash_worker", db_url, base_url, str(LEASE)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    return worker


def ended(worker: subprocess.Popen[str]) -> int:
    code = worker.wait(timeout=15)
    assert worker.stdout is not None
    worker.stdout.close()
    return code


async def until(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


# Only the broadcast's messages: the worker's scheduler runs on the real date too, and a digest or check-in falling due
# while the test runs is the product working, not part of what is measured.
BROADCAST = DeliveryRow.kind == "broadcast"


def broadcast_counts(fake: FakePlatform) -> Counter[str]:
    return Counter({key: n for key, n in fake.counts().items() if key.startswith("broadcast")})


async def statuses(runtime: Runtime) -> dict[str, int]:
    async with runtime.sessions() as session:
        query = select(DeliveryRow.status, func.count()).where(BROADCAST).group_by(DeliveryRow.status)
        return {status: n for status, n in (await session.execute(query)).all()}


async def broadcast_to_2000(runtime: Runtime) -> None:
    async with runtime.sessions() as session, session.begin():
        session.add_all(
            ParticipantRow(
                programme_id=1,
                email=f"officer{i}@police.example",
                name=f"Officer {i}",
                agency="KPOL",
                roles=["practitioner"],
                timezone="Europe/London",
                working_pattern=ALWAYS,
            )
            for i in range(RECIPIENTS - 2)  # KPOL already has two people
        )
        await session.execute(update(ParticipantRow).values(working_pattern=ALWAYS))
    draft = await runtime.say(FACILITATOR, '/broadcast agency:KPOL "Please read the updated missing-child protocol"')
    assert preview_label(draft) == "B1", draft.text  # every broadcast is previewed first
    sent = await runtime.press(FACILITATOR, SEND_BUTTON, "B1")
    assert sent.ok and "2,000 recipients" in sent.text


async def test_sigkill_part_way_then_restart_delivers_exactly_once(db_url: str, library: Library):
    try:
        await sigkill_part_way_then_restart(db_url, library)
    except AssertionError:
        if sys.version_info[:2] == (3, 12) and db_url.startswith("sqlite"):  # docs/operations.md, "Python versions"
            pytest.xfail("a known fault: a few messages sent twice after SIGKILL on Python 3.12 with SQLite")
        raise


async def sigkill_part_way_then_restart(db_url: str, library: Library) -> None:
    clock = SimulatedClock(dt.datetime.now(dt.UTC))
    runtime = await loaded_delivery_runtime(db_url, clock, library)
    await broadcast_to_2000(runtime)
    fake = FakePlatform(latency=0.002)
    with running(fake) as base_url:
        first = start_worker(db_url, base_url)

        async def some_arrived() -> bool:
            return len(fake.received) >= 400

        await until(some_arrived, 60)
        first.kill()  # SIGKILL: no chance to record what was in flight
        assert ended(first) == -9
        arrived = set(broadcast_counts(fake))
        held = await sending_keys(runtime)
        assert len(arrived) < RECIPIENTS
        assert held & arrived, "the kill should leave messages that arrived but were never recorded as sent"
        second = start_worker(db_url, base_url)

        async def all_sent() -> bool:
            return (await statuses(runtime)).get("sent") == RECIPIENTS

        await until(all_sent, 90)
        second.terminate()
        assert ended(second) == 0
    counts = broadcast_counts(fake)
    assert len(counts) == RECIPIENTS
    assert max(counts.values()) == 1, [key for key, n in counts.items() if n > 1][:5]
    await runtime.close()


async def sending_keys(runtime: Runtime) -> set[str]:
    async with runtime.sessions() as session:
        query = select(DeliveryRow.key).where(DeliveryRow.status == "sending", BROADCAST)
        return set((await session.execute(query)).scalars())
