"""Retries through the HTTP channel: 5xx, 412, 502 and 504 back off and retry; 429 honours Retry-After; a permanent
error is dead-lettered with its reason; a message that never succeeds is given up after the last try."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from bot.clock import SimulatedClock
from bot.delivery import Dispatcher, DispatchSettings, RetryPolicy
from bot.holiday_calendar import HolidaysCalendar
from bot.http_channel import HttpChannel
from bot.runtime import Runtime
from tests.delivery.fake_platform import FakePlatform, running
from tests.delivery.helpers import deliveries
from tests.factories import FACILITATOR


def dispatcher(runtime: Runtime, channel: HttpChannel, clock: SimulatedClock, **policy) -> Dispatcher:
    settings = DispatchSettings(policy=RetryPolicy(rng=random.Random(4), **policy))
    channels = {"console": channel, "slack": channel, "teams": channel}
    return Dispatcher(runtime.sessions, channels, calendar=HolidaysCalendar(), clock=clock, settings=settings)


@pytest.mark.parametrize("status", [500, 502, 504, 412])
def test_backoff_is_exponential_and_jittered(status: int):
    policy = RetryPolicy(rng=random.Random(status))
    delays = [policy.backoff(n) for n in range(1, 12)]
    for n, delay in enumerate(delays, start=1):
        nominal = min(policy.cap, policy.base * 2 ** (n - 1))
        assert 0.5 * nominal <= delay <= 1.5 * nominal
    assert len({round(d, 6) for d in delays}) == len(delays)


async def test_transient_errors_are_retried_until_sent(sqlite_delivery: Runtime, clock: SimulatedClock):
    assert (await sqlite_delivery.say(FACILITATOR, '/broadcast role:lead "Board papers are out"')).ok
    assert (await sqlite_delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    (row,) = await deliveries(sqlite_delivery)
    fake = FakePlatform(failures={row.address: [502, 504, 412]})
    with running(fake) as base_url:
        channel = HttpChannel(base_url)
        for attempt in range(1, 4):
            assert await dispatcher(sqlite_delivery, channel, clock).drain() == 0
            (row,) = await deliveries(sqlite_delivery)
            assert row.status == "failed" and row.attempts == attempt
            clock.set(row.not_before.replace(tzinfo=dt.UTC) + dt.timedelta(seconds=1))
        assert await dispatcher(sqlite_delivery, channel, clock).drain() == 1
        await channel.close()
    assert len(fake.received) == 1


async def test_429_waits_for_retry_after_without_counting_a_try(sqlite_delivery: Runtime, clock: SimulatedClock):
    assert (await sqlite_delivery.say(FACILITATOR, '/broadcast role:lead "Board papers are out"')).ok
    assert (await sqlite_delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    (row,) = await deliveries(sqlite_delivery)
    fake = FakePlatform(failures={row.address: [429]})
    with running(fake) as base_url:
        channel = HttpChannel(base_url)
        assert await dispatcher(sqlite_delivery, channel, clock).drain() == 0
        (row,) = await deliveries(sqlite_delivery)
        assert row.attempts == 0 and "rate limited" in row.last_error
        assert row.not_before.replace(tzinfo=dt.UTC) == clock.now() + dt.timedelta(seconds=7)
        await channel.close()


async def test_permanent_error_and_giving_up_are_dead_letters(sqlite_delivery: Runtime, clock: SimulatedClock):
    assert (await sqlite_delivery.say(FACILITATOR, '/broadcast role:manager "Supervision guidance updated"')).ok
    assert (await sqlite_delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    first, second = (await deliveries(sqlite_delivery))[:2]
    fake = FakePlatform(refuse={first.address: "bot_blocked"}, failures={second.address: [500, 500]})
    with running(fake) as base_url:
        channel = HttpChannel(base_url)
        await dispatcher(sqlite_delivery, channel, clock, max_attempts=2).drain()
        clock.advance(dt.timedelta(minutes=5))
        await dispatcher(sqlite_delivery, channel, clock, max_attempts=2).drain()
        await channel.close()
    rows = {r.id: r for r in await deliveries(sqlite_delivery)}
    assert (rows[first.id].status, rows[first.id].last_error) == ("dead", "bot_blocked")
    assert rows[second.id].status == "dead"
    assert rows[second.id].last_error == "gave up after 2 tries: HTTP 500: injected 500"
    report = await sqlite_delivery.say(FACILITATOR, "/broadcast status B1")
    assert "bot_blocked" in report.text and "gave up after 2 tries" in report.text
