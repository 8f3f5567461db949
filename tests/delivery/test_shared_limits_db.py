"""The shared pacing state on PostgreSQL, call by call: two limiters stand for two replicas on one database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from bot.rate_limits import Pace, slack_paces
from bot.settings import PaceSettings
from bot.shared_limits import ANSWERED, START, SharedRateLimiter, start_spacing, window_of
from storage.db import create_engine

pytestmark = pytest.mark.postgres


@pytest.fixture
async def replicas(pg_url: str) -> AsyncIterator[tuple[SharedRateLimiter, SharedRateLimiter]]:
    engine = create_engine(pg_url)
    first, second = SharedRateLimiter(engine), SharedRateLimiter(engine)
    yield first, second
    await first.close()
    await second.close()
    await engine.dispose()


async def test_a_busy_channel_gives_each_waiting_replica_a_turn_of_its_own(replicas, pg_url: str):
    first, second = replicas
    settings = PaceSettings(slack_workspace_per_second=10)
    paces = slack_paces("T1:#general", settings)
    booking = await first.book(paces, 10.0)
    assert booking is not None and booking.keys == ("slack:T1", "slack:T1:#general")
    started = first.clock() + booking.wait
    turns = []  # seconds after the first booking (each read when the booking's answer came back)
    for limiter in (second, first, second):  # three more messages for the channel, on both replicas
        booking = await limiter.book(paces, 10.0)
        assert booking is not None
        assert booking.keys == ("slack:T1:#general",)  # the channel's turn only: the workspace is booked at that turn
        turns.append(limiter.clock() + booking.wait - started)
    # Turns a channel's spacing apart, none shared (before, every replica was told to come back at the same moment).
    assert turns == pytest.approx([1.03, 2.06, 3.09], abs=0.15)
    # Meanwhile the workspace is free for other channels' messages.
    other = await second.book(slack_paces("T1:#random", settings), 10.0)
    assert other is not None and other.keys == ("slack:T1", "slack:T1:#random") and other.wait < 0.2
    # When the first waiting message's turn comes, it books the workspace for that turn.
    asked = second.clock()
    workspace = await second.book(paces[:1], 10.0, earliest=started + turns[0] - asked)
    assert workspace is not None and workspace.keys == ("slack:T1",)
    assert asked + workspace.wait - started == pytest.approx(turns[0], abs=0.15)


async def test_a_turn_further_away_than_the_longest_wait_books_nothing(replicas):
    first, second = replicas
    paces = slack_paces("T1:#general", PaceSettings(slack_workspace_per_second=10))
    first_booking = await first.book(paces, 10.0)
    assert first_booking is not None and first_booking.keys
    started = first.clock() + first_booking.wait
    for _ in range(2):
        assert (await first.book(paces, 10.0)).keys
    booking = await second.book(paces, 1.5)  # the next turn is about 3 s away
    assert booking is not None and booking.keys == ()
    assert second.clock() + booking.wait - started == pytest.approx(3.09, abs=0.15)


async def test_a_workspace_is_shared_by_every_replica_at_its_pace(replicas, pg_url: str):
    first, second = replicas
    settings = PaceSettings(slack_workspace_per_second=10)
    for n in range(6):  # taking turns, as two replicas would
        booking = await (first, second)[n % 2].book(slack_paces(f"T1:U{n}", settings), 10.0)
        assert booking is not None and len(booking.keys) == 2
    engine = create_engine(pg_url)
    async with engine.begin() as conn:
        found = (await conn.execute(text("SELECT key, free_at FROM rate_buckets"))).all()
    rows = {str(key): float(free_at) for key, free_at in found}
    await engine.dispose()
    # By the database's clock: the first send's time from its DM's row, the sixth's from the workspace's row.
    # (A row's next free time is its send's time, less half the 3% margin, plus its spacing.)
    first_at, sixth_at = rows["slack:T1:U0"] - (1.03 - 0.015), rows["slack:T1"] - (0.103 - 0.0015)
    assert sixth_at - first_at == pytest.approx(5 * 0.103, abs=5 * 0.0016)  # late callers keep the schedule


async def test_a_retry_after_met_by_one_replica_holds_the_other(replicas, pg_url: str):
    first, second = replicas
    paces = [Pace("teams:tenant", 30.0)]
    assert (await first.book(paces, 10.0)).keys
    first.block(paces, 2.0)
    await first.close()  # the Retry-After is written in the background
    booking = await second.book(paces, 10.0)
    assert booking is not None and booking.keys == ("teams:tenant",)
    assert booking.wait == pytest.approx(2.0, abs=0.2)


async def test_the_next_send_waits_for_the_answer_a_window_back(replicas, pg_url: str):
    first, second = replicas
    channel = [Pace("slack:T1:#general", 1.0)]  # one send per second: the window is the previous send
    assert window_of(channel[0]) == (1, 1.0)
    assert (await first.book(channel, 10.0)).keys
    await first.settle(channel)  # started, not yet answered: in flight
    engine = create_engine(pg_url)
    async with engine.begin() as conn:
        answers = (await conn.execute(text("SELECT ring_answers FROM rate_buckets"))).scalar_one()
    await engine.dispose()
    assert answers == [None]
    first.finished(channel)
    await first.close()
    started = second.clock()
    await second.settle(channel)  # a second after that answer, and after the platform's spacing
    assert second.clock() - started == pytest.approx(1.0, abs=0.15)


async def test_a_send_waiting_for_one_in_flight_is_told_which_key_and_when_that_one_starts(replicas):
    first, _ = replicas
    values = {"keys": ["k"], "spacings": [0.5], "windows": [2], "periods": [1.0], "timeout": 30.0}

    async def start() -> tuple[float, ...]:  # the wait, then the places in the keys' rings (or of the key in flight)
        async with first.db.connect() as conn:
            row = (await conn.execute(START, values)).one()
        return (float(row.wait), *row.slots)

    assert await first.book([Pace("k", 2.0)], 10.0)  # the key's row (a send is booked before it starts)
    assert await start() == pytest.approx((0.0, 0), abs=0.05)  # two sends a second, half a second apart
    assert await start() == pytest.approx((0.5, 1), abs=0.05)
    async with first.db.connect() as conn:  # the first is answered
        await conn.execute(ANSWERED, {"keys": ["k"], "slots": [0], "ago": 0.0})
    assert await start() == pytest.approx((1.0, 2), abs=0.05)  # a second after that answer
    # The next is behind the second send, not yet answered and due to start in half a second: it is told so (a
    # negative wait), with the place of the key among those it asked about, rather than "ask again at once".
    assert await start() == pytest.approx((-0.5, 1), abs=0.05)


def test_a_key_of_several_sends_a_window_may_start_them_closer():
    assert start_spacing(Pace("slack:T1:#general", 1.0), 1) == pytest.approx(1.0)  # one a window: the spacing
    assert start_spacing(Pace("teams:t", 30.0), 30) == pytest.approx(0.5 / 30)  # the ring keeps the window


def test_long_windows_are_kept_as_64_sends_at_the_same_pace():
    assert window_of(Pace("teams:t:c:3600s", 1800, 3600.0)) == (64, 128.0)
    assert window_of(Pace("teams:t", 30.0)) == (30, 1.0)
