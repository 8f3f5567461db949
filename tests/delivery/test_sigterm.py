"""Acceptance: SIGTERM part-way through a 2,000-recipient broadcast loses and duplicates nothing.

The worker stops taking work, hands back what it had claimed but not started, finishes the sends under way and
records them, then exits 0. Nothing is left claimed; everything that arrived is recorded as sent; a second worker
sends the rest, and each person gets the message exactly once.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.clock import SimulatedClock
from handlers.library import Library
from storage.delivery_models import DeliveryRow
from tests.delivery.conftest import loaded_delivery_runtime
from tests.delivery.fake_platform import FakePlatform, running
from tests.delivery.test_crash import (
    BROADCAST,
    RECIPIENTS,
    broadcast_counts,
    broadcast_to_2000,
    ended,
    start_worker,
    statuses,
    until,
)

pytestmark = pytest.mark.slow


async def sent_keys(runtime) -> set[str]:
    async with runtime.sessions() as session:
        query = select(DeliveryRow.key).where(DeliveryRow.status == "sent", BROADCAST)
        return set((await session.execute(query)).scalars())


async def test_sigterm_part_way_loses_and_duplicates_nothing(db_url: str, library: Library):
    runtime = await loaded_delivery_runtime(db_url, SimulatedClock(dt.datetime.now(dt.UTC)), library)
    await broadcast_to_2000(runtime)
    fake = FakePlatform(latency=0.002)
    with running(fake) as base_url:
        first = start_worker(db_url, base_url)

        async def some_arrived() -> bool:
            return len(fake.received) >= 400

        await until(some_arrived, 60)
        first.terminate()  # SIGTERM
        assert ended(first) == 0
        after_stop = await statuses(runtime)
        assert after_stop.get("sending", 0) == 0, "a claim was left held after a graceful stop"
        arrived = set(broadcast_counts(fake))
        assert max(broadcast_counts(fake).values()) == 1, "sent twice before the stop"
        assert len(arrived) < RECIPIENTS
        recorded = await sent_keys(runtime)
        assert arrived == recorded, "what arrived and what is recorded as sent must agree"
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
