"""One reminder while a check-in is open, a week before it closes, that never shows who has or has not answered.

The reminder goes to everyone invited, in the same words, whatever they did: the outbox (who was sent what) is the
same whether or not anyone answered, so it cannot be read as a list of who did not answer (docs/anonymity.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

from bot.clock import SimulatedClock
from bot.runtime import Runtime
from handlers.model import Participant, Programme
from handlers.schedule_messages import CHECKIN_BUTTON, Firing, checkin_messages
from handlers.schedules import ScheduleKind, specs_for
from tests.delivery.helpers import add_schedule, deliveries, firer, reply_of
from tests.factories import OWNER, PRACTITIONER

REMINDER_DAY = dt.datetime(2026, 8, 25, 9, 30, tzinfo=dt.UTC)  # Tuesday 10:30 in London, a week before CI-3


async def programme_of(delivery: Runtime) -> Programme:
    return (await delivery.programmes())[0]


async def test_each_cycle_but_the_last_gets_one_reminder_a_week_before_it_closes(delivery: Runtime):
    specs = specs_for(await programme_of(delivery), [])
    reminders = [s for s in specs if s.kind is ScheduleKind.CHECKIN and s.reminder]
    assert [(s.key, s.cycle, s.rule) for s in reminders] == [
        ("checkin-reminder.CI-0", "CI-0", "offset -7 days from milestone checkin.CI-3 at 10:00")
    ]  # CI-3 is the last cycle: it stays open, so there is no closing to remind anyone of


async def reminder_rows(delivery: Runtime, clock: SimulatedClock) -> list[tuple[int | None, str]]:
    spec = next(s for s in specs_for(await programme_of(delivery), []) if s.reminder)
    sid = await add_schedule(delivery, spec)
    clock.set(REMINDER_DAY)
    assert await firer(delivery).fire(sid, "Europe/London") > 0
    assert await firer(delivery).fire(sid, "Europe/London") == 0  # one reminder, however often it fires
    return [(row.participant_id, row.payload_hash) for row in await deliveries(delivery)]


async def test_the_reminder_is_the_same_for_those_who_answered_and_those_who_did_not(
    delivery: Runtime, clock: SimulatedClock
):
    clock.set(REMINDER_DAY - dt.timedelta(days=1))
    for email in (OWNER, PRACTITIONER):  # two people answer the open cycle (CI-0) before the reminder
        assert (await delivery.say(email, "/aftercare privacy accept")).ok
        checkin = await delivery.say(email, "/checkin")
        assert checkin.form is not None
        assert (await delivery.submit_form(email, checkin.form, {"IND-01": "4", "IND-02": "2"})).ok
    rows = await reminder_rows(delivery, clock)
    async with delivery.unit() as deps:
        answered = {(await deps.participants.by_email(1, e)).id for e in (OWNER, PRACTITIONER)}  # type: ignore[union-attr]
    assert answered <= {pid for pid, _ in rows}  # those who answered are reminded too
    assert len(rows) == 8 and len({digest for _, digest in rows}) == 1  # everyone invited, the same words
    reply = await reply_of(delivery, (await deliveries(delivery))[0])
    assert "closes on 1 September" in reply.text
    assert "If you haven't answered yet" in reply.text and "says nothing about whether you answered" in reply.text
    assert [b.action_id for block in reply.blocks for b in block.buttons] == [CHECKIN_BUTTON]


async def test_nobody_answering_changes_nothing_about_who_is_reminded(delivery: Runtime, clock):
    assert len(await reminder_rows(delivery, clock)) == 8


async def test_no_reminder_once_the_cycle_has_closed(delivery: Runtime):
    programme = await programme_of(delivery)
    spec = next(s for s in specs_for(programme, []) if s.reminder)
    late = dt.datetime(2026, 9, 2, 10, 0)  # CI-0 closed when CI-3 opened on 1 September
    firing = Firing(1, spec, programme, "Europe/London", late, late.replace(tzinfo=dt.UTC))
    people = [p async for p in _people(delivery)]
    assert people and checkin_messages(firing, people) == []


async def _people(delivery: Runtime) -> AsyncIterator[Participant]:
    async with delivery.unit() as deps:
        for person in await deps.participants.in_programme((await programme_of(delivery)).id):
            yield person
