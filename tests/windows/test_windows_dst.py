"""Clock changes: Europe/London and Europe/Dublin, spring forward (29 March 2026) and autumn back (25 October 2026)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.holiday_calendar import HolidaysCalendar
from handlers.recurrence import occurrences, parse_recurrence
from handlers.windows import in_window, next_send_time, resolve_local, window_on
from tests.windows.people import FixedHolidays, person, utc

NO_HOLIDAYS = FixedHolidays()
LONDON = ZoneInfo("Europe/London")
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Dublin"])
@pytest.mark.parametrize(
    ("before", "after"),
    [
        ((dt.date(2026, 3, 27), utc(2026, 3, 27, 9)), (dt.date(2026, 3, 30), utc(2026, 3, 30, 8))),
        ((dt.date(2026, 10, 23), utc(2026, 10, 23, 8)), (dt.date(2026, 10, 26), utc(2026, 10, 26, 9))),
    ],
    ids=["spring-forward", "autumn-back"],
)
def test_nine_oclock_prompt_arrives_at_nine_local_either_side(zone, before, after):
    me = person(timezone=zone, region="ENG")
    rule = parse_recurrence("weekly on MO,FR at 09:00")
    found = occurrences(
        rule, utc(before[0].year, before[0].month, before[0].day), after[1] + dt.timedelta(hours=1), zone
    )
    assert found == [before[1], after[1]]
    for due in found:
        sent = next_send_time(due, me, NO_HOLIDAYS)
        assert sent == due
        assert sent.astimezone(ZoneInfo(zone)).time() == dt.time(9, 0)


def test_weekend_prompt_waits_for_monday_nine_across_spring_forward():
    assert next_send_time(utc(2026, 3, 28, 12), person(), NO_HOLIDAYS) == utc(2026, 3, 30, 8)


def test_weekend_prompt_waits_for_monday_nine_across_autumn_back():
    assert next_send_time(utc(2026, 10, 24, 12), person(), NO_HOLIDAYS) == utc(2026, 10, 26, 9)


def test_nonexistent_wall_time_moves_forward_by_the_gap():
    assert resolve_local(dt.date(2026, 3, 29), dt.time(1, 30), LONDON) == utc(2026, 3, 29, 1, 30)  # 02:30 BST
    assert resolve_local(dt.date(2026, 3, 29), dt.time(1, 30), LONDON, latest=True) == utc(2026, 3, 29, 1, 30)


def test_ambiguous_wall_time_means_the_first_occurrence_unless_latest():
    assert resolve_local(dt.date(2026, 10, 25), dt.time(1, 30), LONDON) == utc(2026, 10, 25, 0, 30)  # BST
    assert resolve_local(dt.date(2026, 10, 25), dt.time(1, 30), LONDON, latest=True) == utc(2026, 10, 25, 1, 30)


def test_window_starting_in_the_spring_gap_opens_after_it():
    early = person(days=EVERY_DAY, start=dt.time(1, 30), end=dt.time(6, 0))
    window = window_on(dt.date(2026, 3, 29), early, NO_HOLIDAYS)
    assert window is not None
    assert window.start.astimezone(LONDON).time() == dt.time(2, 30)
    assert window.end == utc(2026, 3, 29, 5)  # 06:00 BST
    assert next_send_time(utc(2026, 3, 29, 0, 45), early, NO_HOLIDAYS) == utc(2026, 3, 29, 1, 30)


def test_window_swallowed_by_the_spring_gap_is_skipped_not_looped_on():
    brief = person(days=EVERY_DAY, start=dt.time(1, 30), end=dt.time(2, 15))
    assert window_on(dt.date(2026, 3, 29), brief, NO_HOLIDAYS) is None
    assert next_send_time(utc(2026, 3, 29, 0, 0), brief, NO_HOLIDAYS) == utc(2026, 3, 30, 0, 30)  # Mon 01:30 BST


def test_night_shift_over_autumn_back_keeps_the_extra_hour():
    nights = person(days=(5,), start=dt.time(19, 0), end=dt.time(7, 0))  # Saturday nights
    window = window_on(dt.date(2026, 10, 24), nights, NO_HOLIDAYS)
    assert window is not None
    assert (window.start, window.end) == (utc(2026, 10, 24, 18), utc(2026, 10, 25, 7))
    assert window.end - window.start == dt.timedelta(hours=13)
    first_0130 = dt.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=0)
    second_0130 = dt.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1)
    assert in_window(first_0130, nights, NO_HOLIDAYS)
    assert in_window(second_0130, nights, NO_HOLIDAYS)
    assert next_send_time(second_0130, nights, NO_HOLIDAYS) == utc(2026, 10, 25, 1, 30)


def test_shift_ending_at_an_ambiguous_time_ends_at_its_second_occurrence():
    nights = person(days=(5,), start=dt.time(19, 0), end=dt.time(1, 30))
    window = window_on(dt.date(2026, 10, 24), nights, NO_HOLIDAYS)
    assert window is not None
    assert window.end == utc(2026, 10, 25, 1, 30)


def test_night_shift_over_spring_forward_is_an_hour_shorter():
    nights = person(days=(5,), start=dt.time(19, 0), end=dt.time(7, 0))
    window = window_on(dt.date(2026, 3, 28), nights, NO_HOLIDAYS)
    assert window is not None
    assert window.end - window.start == dt.timedelta(hours=11)


def test_ambiguous_occurrence_is_produced_once_and_split_ranges_do_not_repeat_it():
    rule = parse_recurrence("weekly on SU at 01:30")
    whole = occurrences(rule, utc(2026, 10, 18), utc(2026, 11, 2), "Europe/London")
    assert whole == [utc(2026, 10, 18, 0, 30), utc(2026, 10, 25, 0, 30), utc(2026, 11, 1, 1, 30)]
    cut = utc(2026, 10, 25, 1, 0)  # between the two 01:30s
    halves = occurrences(rule, utc(2026, 10, 18), cut, "Europe/London") + occurrences(
        rule, cut, utc(2026, 11, 2), "Europe/London"
    )
    assert halves == whole
    assert occurrences(rule, utc(2026, 10, 25, 0, 31), utc(2026, 10, 25, 2), "Europe/London") == []


def test_nonexistent_occurrence_is_produced_once_after_the_gap():
    rule = parse_recurrence("weekly on SU at 01:30")
    assert occurrences(rule, utc(2026, 3, 29), utc(2026, 3, 30), "Europe/London") == [utc(2026, 3, 29, 1, 30)]


def test_dublin_october_bank_holiday_the_day_after_clocks_go_back():
    me = person(timezone="Europe/Dublin", region="IE")
    friday_evening = utc(2026, 10, 23, 17)  # 18:00 IST
    assert next_send_time(friday_evening, me, HolidaysCalendar()) == utc(2026, 10, 27, 9)  # Tue 09:00 GMT
