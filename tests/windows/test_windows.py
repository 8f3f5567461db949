"""Working windows: office hours, part-time days, leave, bank holidays, night shifts, guards."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.model import Participant
from handlers.windows import LOOKAHEAD_DAYS, in_window, next_send_time, next_window, window_on
from tests.windows.people import AlwaysHoliday, FixedHolidays, person, utc

NO_HOLIDAYS = FixedHolidays()


def night_worker(away_until: dt.date | None = None) -> Participant:
    """Friday, Saturday and Sunday nights, 19:00–07:00."""
    return person(days=(4, 5, 6), start=dt.time(19, 0), end=dt.time(7, 0), away_until=away_until)


# Week of Monday 15 June 2026; London is on BST (UTC+1), so 09:00 local is 08:00 UTC.


def test_due_inside_window_is_sent_when_due():
    due = utc(2026, 6, 16, 9, 30)  # Tue 10:30 BST
    assert next_send_time(due, person(), NO_HOLIDAYS) == due


def test_due_before_start_waits_for_the_same_mornings_opening():
    assert next_send_time(utc(2026, 6, 16, 5), person(), NO_HOLIDAYS) == utc(2026, 6, 16, 8)


def test_due_friday_evening_waits_for_monday_morning():
    sent = next_send_time(utc(2026, 6, 19, 18), person(), NO_HOLIDAYS)
    assert sent == utc(2026, 6, 22, 8)
    assert sent.tzinfo is dt.UTC


def test_window_start_is_inclusive_and_end_exclusive():
    me = person()
    assert next_send_time(utc(2026, 6, 16, 8), me, NO_HOLIDAYS) == utc(2026, 6, 16, 8)
    assert next_send_time(utc(2026, 6, 16, 16), me, NO_HOLIDAYS) == utc(2026, 6, 17, 8)  # 17:00 local
    assert in_window(utc(2026, 6, 16, 15, 59), me, NO_HOLIDAYS)
    assert not in_window(utc(2026, 6, 16, 16), me, NO_HOLIDAYS)


def test_aware_non_utc_due_is_returned_as_the_same_instant_in_utc():
    due = dt.datetime(2026, 6, 16, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    sent = next_send_time(due, person(), NO_HOLIDAYS)
    assert sent == due
    assert sent.tzinfo is dt.UTC


def test_part_time_days_wait_for_the_next_working_day():
    me = person(days=(0, 2))  # Monday and Wednesday
    assert next_send_time(utc(2026, 6, 16, 9), me, NO_HOLIDAYS) == utc(2026, 6, 17, 8)
    assert next_send_time(utc(2026, 6, 17, 17), me, NO_HOLIDAYS) == utc(2026, 6, 22, 8)


def test_leave_holds_prompts_until_the_day_after_away_until():
    me = person(away_until=dt.date(2026, 6, 17))  # away Mon–Wed inclusive
    assert next_send_time(utc(2026, 6, 15, 9), me, NO_HOLIDAYS) == utc(2026, 6, 18, 8)
    assert not in_window(utc(2026, 6, 17, 10), me, NO_HOLIDAYS)
    assert in_window(utc(2026, 6, 18, 10), me, NO_HOLIDAYS)


def test_leave_in_the_past_changes_nothing():
    me = person(away_until=dt.date(2026, 6, 1))
    assert next_send_time(utc(2026, 6, 16, 9), me, NO_HOLIDAYS) == utc(2026, 6, 16, 9)


def test_leave_longer_than_the_lookahead_still_finds_the_return():
    me = person(away_until=dt.date(2028, 1, 31))  # Monday 31 January 2028 is the last day away
    assert next_send_time(utc(2026, 6, 16, 9), me, NO_HOLIDAYS) == utc(2028, 2, 1, 9)


def test_bank_holiday_of_the_persons_region_is_skipped():
    calendar = FixedHolidays(("SCT", dt.date(2026, 6, 16)))
    scot = person(region="SCT")
    assert next_send_time(utc(2026, 6, 16, 9), scot, calendar) == utc(2026, 6, 17, 8)
    assert next_send_time(utc(2026, 6, 16, 9), person(region="ENG"), calendar) == utc(2026, 6, 16, 9)
    assert (dt.date(2026, 6, 16), "SCT") in calendar.asked


def test_night_shift_window_belongs_to_the_day_it_starts():
    nights = night_worker()
    assert next_send_time(utc(2026, 6, 20, 2), nights, NO_HOLIDAYS) == utc(2026, 6, 20, 2)  # Sat 03:00, Fri's shift
    assert next_send_time(utc(2026, 6, 22, 5), nights, NO_HOLIDAYS) == utc(2026, 6, 22, 5)  # Mon 06:00, Sun's shift
    assert next_send_time(utc(2026, 6, 22, 6), nights, NO_HOLIDAYS) == utc(2026, 6, 26, 18)  # Mon 07:00: wait to Fri
    assert not in_window(utc(2026, 6, 23, 2), nights, NO_HOLIDAYS)  # Tue 03:00: Monday is not a shift
    assert next_send_time(utc(2026, 6, 20, 12), nights, NO_HOLIDAYS) == utc(2026, 6, 20, 18)  # Sat noon → Sat 19:00


def test_night_shift_holiday_closes_the_shift_that_starts_that_day_only():
    nights = night_worker()
    calendar = FixedHolidays(("ENG", dt.date(2026, 6, 20)))  # a holiday on Saturday
    assert in_window(utc(2026, 6, 20, 2), nights, calendar)  # Friday's shift runs on into Saturday
    assert next_send_time(utc(2026, 6, 20, 12), nights, calendar) == utc(2026, 6, 21, 18)  # Sunday 19:00


def test_leave_ending_on_a_shift_day_skips_that_nights_shift():
    nights = night_worker(away_until=dt.date(2026, 6, 19))
    assert next_send_time(utc(2026, 6, 19, 18), nights, NO_HOLIDAYS) == utc(2026, 6, 20, 18)


def test_equal_start_and_end_is_a_whole_day_window():
    always = person(days=(0, 1, 2, 3, 4, 5, 6), start=dt.time(0, 0), end=dt.time(0, 0))
    for hour in range(24):
        assert in_window(utc(2026, 6, 16, hour), always, NO_HOLIDAYS)
    window = window_on(dt.date(2026, 6, 16), always, NO_HOLIDAYS)
    assert window is not None
    assert window.end - window.start == dt.timedelta(hours=24)


def test_window_on_a_day_off_is_none():
    assert window_on(dt.date(2026, 6, 20), person(), NO_HOLIDAYS) is None


def test_not_before_stops_a_late_message_going_out_at_night():
    due = utc(2026, 6, 16, 9)  # in Tuesday's window, but the scheduler was down until 21:00
    now = utc(2026, 6, 16, 20)
    assert next_send_time(due, person(), NO_HOLIDAYS) == due
    assert next_send_time(due, person(), NO_HOLIDAYS, not_before=now) == utc(2026, 6, 17, 8)
    assert next_send_time(utc(2026, 6, 18, 9), person(), NO_HOLIDAYS, not_before=now) == utc(2026, 6, 18, 9)


def test_next_window_returns_the_open_window_containing_the_moment():
    window = next_window(utc(2026, 6, 16, 12), person(), NO_HOLIDAYS)
    assert (window.day, window.start, window.end) == (dt.date(2026, 6, 16), utc(2026, 6, 16, 8), utc(2026, 6, 16, 16))


@pytest.mark.parametrize("days", [(), (7,), (-1, 2)])
def test_pattern_without_valid_days_is_refused(days):
    with pytest.raises(ValueError, match="day"):
        next_send_time(utc(2026, 6, 16, 9), person(days=days), NO_HOLIDAYS)
    with pytest.raises(ValueError, match="day"):
        in_window(utc(2026, 6, 16, 9), person(days=days), NO_HOLIDAYS)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_send_time(dt.datetime(2026, 6, 16, 9), person(), NO_HOLIDAYS)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_send_time(utc(2026, 6, 16, 9), person(), NO_HOLIDAYS, not_before=dt.datetime(2026, 6, 16))


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        next_send_time(utc(2026, 6, 16, 9), person(timezone="Europe/Atlantis"), NO_HOLIDAYS)


def test_no_window_within_the_lookahead_raises_instead_of_looping():
    with pytest.raises(ValueError, match=str(LOOKAHEAD_DAYS)):
        next_send_time(utc(2026, 6, 16, 9), person(), AlwaysHoliday())


PATTERNS = st.builds(
    lambda days, start, end: person(days=tuple(days), start=start, end=end),
    st.sets(st.integers(0, 6), min_size=1).map(sorted),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
DUES = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(dt.UTC))


@settings(max_examples=200, deadline=None)
@given(PATTERNS, DUES)
def test_send_time_is_the_earliest_moment_inside_a_window(me, due):
    sent = next_send_time(due, me, NO_HOLIDAYS)
    assert sent >= due
    assert in_window(sent, me, NO_HOLIDAYS)
    if sent > due:
        assert not in_window(due, me, NO_HOLIDAYS)
        assert not in_window(sent - dt.timedelta(microseconds=1), me, NO_HOLIDAYS)
        assert not in_window(due + (sent - due) / 2, me, NO_HOLIDAYS)
