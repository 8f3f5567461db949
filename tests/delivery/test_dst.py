"""Schedules across the clock changes in Europe/London (29 March and 25 October 2026)."""

from __future__ import annotations

import datetime as dt

from bot.clock import SimulatedClock
from bot.console_channel import ConsoleChannel
from bot.delivery import Dispatcher
from bot.holiday_calendar import HolidaysCalendar
from bot.runtime import Runtime
from bot.scheduler import RecurrenceTrigger, Scheduler
from handlers.recurrence import parse_recurrence
from handlers.schedules import ScheduleKind, ScheduleSpec
from tests.delivery.helpers import add_schedule, deliveries, firer

UTC = dt.UTC


def fire_times(rule: str, start: dt.datetime, count: int) -> list[dt.datetime]:
    trigger = RecurrenceTrigger(parse_recurrence(rule), "Europe/London", {}, start)
    times: list[dt.datetime] = []
    previous = None
    for _ in range(count):
        previous = trigger.get_next_fire_time(previous, start)
        assert previous is not None
        times.append(previous)
    return times


def test_ten_oclock_stays_ten_oclock_local_across_spring_forward():
    times = fire_times("weekly on SU at 10:00", dt.datetime(2026, 3, 20, tzinfo=UTC), 2)
    assert times == [dt.datetime(2026, 3, 22, 10, 0, tzinfo=UTC), dt.datetime(2026, 3, 29, 9, 0, tzinfo=UTC)]


def test_ten_oclock_stays_ten_oclock_local_across_autumn_back():
    times = fire_times("weekly on SU at 10:00", dt.datetime(2026, 10, 17, tzinfo=UTC), 2)
    assert times == [dt.datetime(2026, 10, 18, 9, 0, tzinfo=UTC), dt.datetime(2026, 10, 25, 10, 0, tzinfo=UTC)]


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap():
    (spring,) = fire_times("weekly on SU at 01:30", dt.datetime(2026, 3, 28, 12, tzinfo=UTC), 1)
    assert spring == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 02:30 BST


def test_a_time_that_happens_twice_in_autumn_fires_once():
    first, second = fire_times("weekly on SU at 01:30", dt.datetime(2026, 10, 24, 12, tzinfo=UTC), 2)
    assert first == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 01:30 (BST)
    assert second == dt.datetime(2026, 11, 1, 1, 30, tzinfo=UTC)  # next week, not the repeated 01:30 GMT


async def test_firing_in_and_after_the_repeated_hour_delivers_once(sqlite_delivery: Runtime,
                                                                    clock: SimulatedClock):  # fmt: skip
    spec = ScheduleSpec(key="p", kind=ScheduleKind.PROMPTS, rule="weekly on SU at 01:30", audience=("role:lead",))
    sid = await add_schedule(sqlite_delivery, spec)
    clock.set(dt.datetime(2026, 10, 25, 0, 45, tzinfo=UTC))  # 01:45 BST
    assert await firer(sqlite_delivery).fire(sid, "Europe/London") == 1
    clock.set(dt.datetime(2026, 10, 25, 1, 45, tzinfo=UTC))  # 01:45 GMT, the hour again
    assert await firer(sqlite_delivery).fire(sid, "Europe/London") == 0
    (row,) = await deliveries(sqlite_delivery)
    assert row.key == f"schedule:{sid}:2026-10-25T01:30:p{row.participant_id}"


async def test_sunday_prompt_waits_for_monday_morning_after_spring_forward(sqlite_delivery: Runtime,
                                                                           clock: SimulatedClock):  # fmt: skip
    spec = ScheduleSpec(key="p", kind=ScheduleKind.PROMPTS, rule="weekly on SU at 10:00", audience=("role:lead",))
    sid = await add_schedule(sqlite_delivery, spec)
    clock.set(dt.datetime(2026, 3, 29, 9, 5, tzinfo=UTC))  # 10:05 BST on the day the clocks went forward
    assert await firer(sqlite_delivery).fire(sid, "Europe/London") == 1
    channel = ConsoleChannel(clock, show=None)
    dispatcher = Dispatcher(sqlite_delivery.sessions, {"console": channel}, calendar=HolidaysCalendar(), clock=clock)
    assert await dispatcher.drain() == 0
    (row,) = await deliveries(sqlite_delivery)
    assert row.not_before.replace(tzinfo=None) == dt.datetime(2026, 3, 30, 8, 0)  # Monday 09:00 BST
    clock.set(dt.datetime(2026, 3, 30, 8, 0, 5, tzinfo=UTC))
    assert await dispatcher.drain() == 1


async def test_scheduler_wants_one_job_per_schedule_and_time_zone(sqlite_delivery: Runtime):
    wanted = await Scheduler(sqlite_delivery).wanted_jobs()
    zones = {job_id.rsplit(":", 1)[1] for job_id in wanted}
    assert zones == {"Europe/London", "Europe/Dublin"}
    assert any(job_id.endswith(":Europe/Dublin") for job_id in wanted if "schedule:" in job_id)
    peers = [job_id for job_id, job in wanted.items() if job[3] == parse_recurrence("every 4 weeks on WE at 10:00")]
    assert len(peers) == 1  # peer rounds are formed once per programme, in its own zone
