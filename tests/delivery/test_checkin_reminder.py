"""One reminder while a check-in is open, a week before it closes, only to those who have not answered, without the
database, the metrics or anything else ever showing who has or has not answered (docs/anonymity.md).

The attacks: read the outbox (and a full dump) once the reminder is queued, and again once it has gone; compare the
metrics and the dispatcher's counts when different people answered; then check the people themselves: someone who
answered gets nothing, someone who did not gets exactly one, across a restart and an answer given after it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

from sqlalchemy import text

from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.console_channel import ConsoleChannel
from bot.delivery import Dispatcher
from bot.holiday_calendar import HolidaysCalendar
from bot.metrics import DELIVERIES
from bot.runtime import Runtime
from handlers.delivery_ports import MessageKind
from handlers.model import Participant, Programme
from handlers.schedule_messages import CHECKIN_BUTTON, Firing, checkin_messages
from handlers.schedules import ScheduleKind, specs_for
from storage.delivery_models import DeliveryRow
from tests.anonymity.test_erase_and_retention import pg_dump, raw_files
from tests.delivery.helpers import add_schedule, deliveries, firer, reply_of
from tests.factories import FACILITATOR, LEAD, MANAGER, OWNER, PRACTITIONER

REMINDER_DAY = dt.datetime(2026, 8, 25, 9, 30, tzinfo=dt.UTC)  # Tuesday 10:30 in London, a week before CI-3
PERSONAL = {"id", "key", "participant_id", "address", "platform", "created_at"}  # who a row is for, and its id


async def programme_of(delivery: Runtime) -> Programme:
    return (await delivery.programmes())[0]


def channel_for(clock: SimulatedClock) -> ConsoleChannel:
    return ConsoleChannel(clock, show=None)


def dispatcher(delivery: Runtime, channel: ConsoleChannel) -> Dispatcher:
    channels = {"slack": channel, "teams": channel, "console": channel}
    return Dispatcher(delivery.sessions, channels, calendar=HolidaysCalendar(), clock=delivery.clock,
                      secret=delivery.secret)  # fmt: skip


async def answer(delivery: Runtime, *emails: str) -> None:
    for email in emails:
        assert (await delivery.say(email, "/aftercare privacy accept")).ok
        checkin = await delivery.say(email, "/checkin")
        assert checkin.form is not None
        assert (await delivery.submit_form(email, checkin.form, {"IND-01": "4", "IND-02": "2"})).ok


async def queue_reminder(delivery: Runtime, clock: SimulatedClock) -> int:
    spec = next(s for s in specs_for(await programme_of(delivery), []) if s.reminder)
    sid = await add_schedule(delivery, spec)
    clock.set(REMINDER_DAY)
    assert await firer(delivery).fire(sid, "Europe/London") > 0
    assert await firer(delivery).fire(sid, "Europe/London") == 0  # one reminder, however often it fires
    return sid


async def ids(delivery: Runtime, *emails: str) -> set[int]:
    async with delivery.unit() as deps:
        found = [await deps.participants.by_email(1, email) for email in emails]
    return {p.id for p in found if p is not None}


def reminded(channel: ConsoleChannel) -> list[int]:
    return sorted(d.recipient.participant_id or 0 for d in channel.delivered)


async def test_each_cycle_but_the_last_gets_one_reminder_a_week_before_it_closes(delivery: Runtime):
    specs = specs_for(await programme_of(delivery), [])
    reminders = [s for s in specs if s.kind is ScheduleKind.CHECKIN and s.reminder]
    assert [(s.key, s.cycle, s.rule) for s in reminders] == [
        ("checkin-reminder.CI-0", "CI-0", "offset -7 days from milestone checkin.CI-3 at 10:00")
    ]  # CI-3 is the last cycle: it stays open, so there is no closing to remind anyone of


async def test_only_those_who_have_not_answered_are_reminded_and_each_once(delivery: Runtime, clock: SimulatedClock):
    clock.set(REMINDER_DAY - dt.timedelta(days=1))
    await answer(delivery, OWNER, PRACTITIONER)
    await queue_reminder(delivery, clock)
    everyone = {row.participant_id for row in await _invited(delivery)}
    channel = channel_for(clock)
    assert await dispatcher(delivery, channel).drain() == 8  # counted as 8 whoever answered
    answered = await ids(delivery, OWNER, PRACTITIONER)
    assert reminded(channel) == sorted(pid or 0 for pid in everyone - answered)  # one each, none to who answered
    assert await dispatcher(delivery, channel).drain() == 0
    reply = channel.delivered[0].reply
    assert "closes on 1 September" in reply.text and "If you haven't answered yet" in reply.text
    assert [b.action_id for block in reply.blocks for b in block.buttons] == [CHECKIN_BUTTON]


async def test_once_queued_the_outbox_is_the_same_for_those_who_answered_and_those_who_did_not(
    delivery: Runtime, clock: SimulatedClock
):
    clock.set(REMINDER_DAY - dt.timedelta(days=1))
    await answer(delivery, OWNER, PRACTITIONER)
    await queue_reminder(delivery, clock)
    rows = await _invited(delivery)
    assert len(rows) == 8 and await ids(delivery, OWNER, PRACTITIONER) <= {r.participant_id for r in rows}
    shapes = {tuple((c, v) for c, v in _columns(row).items() if c not in PERSONAL) for row in rows}
    assert len(shapes) == 1  # every column but who the row is for is the same for all eight
    reply = await reply_of(delivery, rows[0])
    assert "This reminder goes to everyone" not in reply.text


async def test_once_sent_no_trace_of_who_was_reminded_is_left_in_a_full_dump(delivery: Runtime, clock: SimulatedClock):
    clock.set(REMINDER_DAY - dt.timedelta(days=1))
    await answer(delivery, OWNER, PRACTITIONER)
    sid = await queue_reminder(delivery, clock)
    await dispatcher(delivery, channel_for(clock)).drain()
    assert await _invited(delivery) == []  # sent or not, every reminder row is gone
    marker = f"schedule:{sid}:"
    if delivery.database_url.startswith("sqlite"):
        async with delivery.engine.connect() as connection:
            await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        everything = await asyncio.to_thread(raw_files, delivery.database_url)
        assert marker.encode() not in everything and MessageKind.CHECKIN_REMINDER.value.encode() not in everything
    else:
        assert marker not in await asyncio.to_thread(pg_dump, delivery.database_url)


async def test_the_counts_and_metrics_are_the_same_whoever_answered(delivery: Runtime, clock: SimulatedClock):
    clock.set(REMINDER_DAY - dt.timedelta(days=1))
    await answer(delivery, MANAGER, LEAD, FACILITATOR)
    await queue_reminder(delivery, clock)
    before = counted()
    channel = channel_for(clock)
    assert await dispatcher(delivery, channel).drain() == 8
    after = counted()
    assert {s: after[s] - before[s] for s in after} == {"sent": 8, "dead": 0, "failed": 0, "deferred": 0}
    assert len(channel.delivered) == 5


async def test_a_restart_between_answering_and_the_reminder_changes_nothing(delivery: Runtime, clock: SimulatedClock):
    clock.set(REMINDER_DAY - dt.timedelta(days=1))
    await answer(delivery, OWNER)
    restarted = assemble(delivery.database_url, clock=clock, secret=delivery.secret, library=delivery.library)
    try:
        await queue_reminder(restarted, clock)
        channel = channel_for(clock)
        assert await dispatcher(restarted, channel).drain() == 8
        assert not (await ids(restarted, OWNER)) & set(reminded(channel))
        assert len(channel.delivered) == 7
    finally:
        await restarted.close()


async def test_answering_after_queueing_or_after_the_reminder_is_fine(delivery: Runtime, clock: SimulatedClock):
    await queue_reminder(delivery, clock)
    await answer(delivery, OWNER)  # after the reminder was queued, before it went: not reminded
    channel = channel_for(clock)
    await dispatcher(delivery, channel).drain()
    assert len(channel.delivered) == 7 and not (await ids(delivery, OWNER)) & set(reminded(channel))
    await answer(delivery, PRACTITIONER)  # reminded, then answers
    assert await dispatcher(delivery, channel).drain() == 0 and len(channel.delivered) == 7


async def test_a_reminder_still_waiting_when_the_cycle_closes_is_not_sent(delivery: Runtime, clock: SimulatedClock):
    await queue_reminder(delivery, clock)
    clock.set(dt.datetime(2026, 9, 2, 9, 0, tzinfo=dt.UTC))  # CI-0 closed when CI-3 opened on 1 September
    channel = channel_for(clock)
    assert await dispatcher(delivery, channel).drain() == 8
    assert channel.delivered == [] and await _invited(delivery) == []


async def test_a_reminder_that_fails_is_not_tried_again(delivery: Runtime, clock: SimulatedClock):
    await queue_reminder(delivery, clock)
    channel = channel_for(clock)
    rows = await _invited(delivery)
    channel.refuse[rows[0].address] = "user_not_found"
    assert await dispatcher(delivery, channel).drain() == 8
    assert len(channel.delivered) == 7 and await _invited(delivery) == []  # no dead letter names who was reminded


async def test_no_reminder_once_the_cycle_has_closed(delivery: Runtime):
    programme = await programme_of(delivery)
    spec = next(s for s in specs_for(programme, []) if s.reminder)
    late = dt.datetime(2026, 9, 2, 10, 0)  # CI-0 closed when CI-3 opened on 1 September
    firing = Firing(1, spec, programme, "Europe/London", late, late.replace(tzinfo=dt.UTC))
    people = [p async for p in _people(delivery)]
    assert people and checkin_messages(firing, people) == []


def counted() -> dict[str, float]:
    states = ("sent", "dead", "failed", "deferred")
    platforms = ("slack", "teams", "console")
    return {state: sum(DELIVERIES.labels(p, state)._value.get() for p in platforms) for state in states}


async def _invited(delivery: Runtime) -> list[DeliveryRow]:
    return [row for row in await deliveries(delivery) if row.kind == MessageKind.CHECKIN_REMINDER.value]


def _columns(row: DeliveryRow) -> dict[str, object]:
    return {column.name: getattr(row, column.key) for column in DeliveryRow.__table__.columns}


async def _people(delivery: Runtime) -> AsyncIterator[Participant]:
    async with delivery.unit() as deps:
        for person in await deps.participants.in_programme((await programme_of(delivery)).id):
            yield person
