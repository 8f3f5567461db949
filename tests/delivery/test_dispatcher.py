"""The dispatcher over the console channel: windows, retries, dead letters, in-doubt rows (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import update

from bot.clock import SimulatedClock
from bot.console_channel import ConsoleChannel
from bot.delivery import Dispatcher, DispatchSettings, RetryPolicy
from bot.holiday_calendar import HolidaysCalendar
from bot.runtime import Runtime
from handlers.delivery_ports import Recipient
from handlers.reply import Reply
from storage.delivery_models import DeliveryRow
from tests.delivery.helpers import deliveries
from tests.factories import FACILITATOR


def dispatcher(runtime: Runtime, channel: ConsoleChannel) -> Dispatcher:
    channels = {"slack": channel, "teams": channel, "console": channel}
    return Dispatcher(runtime.sessions, channels, calendar=HolidaysCalendar(), clock=runtime.clock)


async def test_broadcast_is_delivered_once_to_each_recipient(delivery: Runtime, clock: SimulatedClock):
    assert (await delivery.say(FACILITATOR, '/broadcast all "Please read the brief"')).ok
    assert (await delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    channel = ConsoleChannel(clock, show=None)
    sent = await dispatcher(delivery, channel).drain()
    rows = await deliveries(delivery)
    assert sent == len(rows) == len(channel.delivered) == 9
    assert {r.status for r in rows} == {"sent"}
    assert await dispatcher(delivery, channel).drain() == 0


async def test_message_due_at_night_waits_for_the_next_window(delivery: Runtime, clock: SimulatedClock):
    clock.set(dt.datetime(2026, 6, 15, 21, 30, tzinfo=dt.UTC))  # 22:30 in London, a Monday
    assert (await delivery.say(FACILITATOR, '/broadcast team:T-ADO "Good morning"')).ok
    assert (await delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    channel = ConsoleChannel(clock, show=None)
    assert await dispatcher(delivery, channel).drain() == 0
    rows = await deliveries(delivery)
    assert {r.status for r in rows} == {"pending"}
    london_nine = dt.datetime(2026, 6, 16, 8, 0)  # 09:00 BST, stored as naive UTC on SQLite
    assert {r.not_before.replace(tzinfo=None) for r in rows} == {london_nine}
    clock.set(dt.datetime(2026, 6, 16, 8, 0, 1, tzinfo=dt.UTC))
    assert await dispatcher(delivery, channel).drain() == 3


async def test_permanent_failure_is_dead_lettered_with_the_reason(delivery: Runtime, clock: SimulatedClock):
    assert (await delivery.say(FACILITATOR, '/broadcast team:T-ADO "Hello"')).ok
    assert (await delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    channel = ConsoleChannel(clock, show=None)
    rows = await deliveries(delivery)
    channel.refuse[rows[0].address] = "user_not_found"
    assert await dispatcher(delivery, channel).drain() == 2
    status = await delivery.say(FACILITATOR, "/broadcast status B1")
    assert "Failed: 1" in status.text
    assert "user_not_found" in status.text


async def test_in_doubt_row_is_not_sent_twice(delivery: Runtime, clock: SimulatedClock):
    assert (await delivery.say(FACILITATOR, '/broadcast team:T-ADO "Hello"')).ok
    assert (await delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    channel = ConsoleChannel(clock, show=None)
    first = dispatcher(delivery, channel)
    assert await first.drain() == 3
    async with delivery.sessions() as session, session.begin():  # as if the worker died before recording
        await session.execute(
            update(DeliveryRow).values(status="sending", claimed_by="gone", claimed_until=clock.now())
        )
    clock.advance(dt.timedelta(minutes=2))
    assert await dispatcher(delivery, channel).drain() == 3  # recorded as sent again...
    assert len(channel.delivered) == 3  # ...but the channel said they had arrived, so nothing was sent twice


class LateAnswers(ConsoleChannel):
    """Delivers at once, but the first answers come only after the send timeout (a stalled platform or network)."""

    def __init__(self, clock: SimulatedClock, late: int) -> None:
        super().__init__(clock, show=None)
        self.late = late

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        await super().send(recipient, reply)
        if self.late:
            self.late -= 1
            await asyncio.sleep(5)


async def test_a_send_whose_answer_came_too_late_is_not_sent_again(delivery: Runtime, clock: SimulatedClock):
    assert (await delivery.say(FACILITATOR, '/broadcast team:T-ADO "Hello"')).ok
    assert (await delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    channel = LateAnswers(clock, late=3)
    policy = RetryPolicy(send_timeout=0.05)
    late = Dispatcher(delivery.sessions, {"slack": channel, "teams": channel, "console": channel},
                      calendar=HolidaysCalendar(), clock=clock, settings=DispatchSettings(policy=policy))  # fmt: skip
    assert await late.drain() == 0  # no answer in time: each will be tried again later...
    assert len(channel.delivered) == 3  # ...but each had arrived
    assert {row.status for row in await deliveries(delivery)} == {"failed"}
    clock.advance(dt.timedelta(minutes=5))
    assert await late.drain() == 3  # the platform is asked first: they are recorded as sent...
    assert len(channel.delivered) == 3  # ...and none is sent a second time


async def test_rows_held_past_their_lease_are_renewed_not_claimed_again(delivery: Runtime, clock: SimulatedClock):
    """A long queue behind a rate limit must not let a second claim take rows that are still in hand."""
    from storage.repositories import outbox

    assert (await delivery.say(FACILITATOR, '/broadcast team:T-ADO "Hello"')).ok
    assert (await delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    lease = dt.timedelta(seconds=60)
    async with delivery.sessions() as session, session.begin():
        held = await outbox.claim(session, "worker-a", ["console", "slack", "teams"], clock.now(), lease, 10)
    assert len(held) == 3
    clock.advance(dt.timedelta(seconds=45))
    async with delivery.sessions() as session, session.begin():
        renewed = await outbox.extend(session, "worker-a", [row.id for row in held], clock.now() + lease)
    assert renewed == 3
    clock.advance(dt.timedelta(seconds=30))  # 75 s after the claim: past the first lease, inside the renewed one
    async with delivery.sessions() as session, session.begin():
        again = await outbox.claim(session, "worker-b", ["console", "slack", "teams"], clock.now(), lease, 10)
        assert again == []
        assert await outbox.extend(session, "worker-b", [row.id for row in held], clock.now() + lease) == 0
    clock.advance(dt.timedelta(seconds=60))  # worker-a stopped renewing (it died): the rows come back
    async with delivery.sessions() as session, session.begin():
        back = await outbox.claim(session, "worker-b", ["console", "slack", "teams"], clock.now(), lease, 10)
    assert len(back) == 3
    assert all(row.in_doubt for row in back)


async def test_stopping_never_cancels_a_write_under_way(delivery: Runtime, clock: SimulatedClock, monkeypatch):
    """A write cancelled part-way can leave an SQLite connection holding the lock (every later write then fails as
    "database is locked" and a graceful stop leaves claims held): the stop waits for the write under way."""
    import asyncio

    from storage.repositories import outbox

    assert (await delivery.say(FACILITATOR, '/broadcast team:T-ADO "Hello"')).ok
    assert (await delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    writing, cancelled = asyncio.Event(), []
    record = outbox.record

    async def slow_record(*args, **kwargs):
        writing.set()
        try:
            await asyncio.sleep(0.3)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return await record(*args, **kwargs)

    monkeypatch.setattr(outbox, "record", slow_record)
    stop = asyncio.Event()
    running = asyncio.create_task(dispatcher(delivery, ConsoleChannel(clock, show=None)).run(stop))
    await asyncio.wait_for(writing.wait(), 10)
    stop.set()
    await asyncio.wait_for(running, 10)
    assert cancelled == []
    assert {row.status for row in await deliveries(delivery)} == {"sent"}
