"""`at` for broadcasts: dates, today, tomorrow and weekdays in the programme's zone; errors name a future example."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from handlers.broadcast_time import send_time
from handlers.errors import UserFacingError

ZONE = "Europe/London"
# Monday 15 June 2026, 11:00 in London (BST, UTC+1).
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("2026-06-20", "10:00"), utc(2026, 6, 20, 9, 0)),
        (("today", "15:30"), utc(2026, 6, 15, 14, 30)),
        (("Tomorrow", "9:05"), utc(2026, 6, 16, 8, 5)),
        (("monday", "12:00"), utc(2026, 6, 15, 11, 0)),  # today, still ahead
        (("monday", "09:30"), utc(2026, 6, 22, 8, 30)),  # today's has passed: next week
        (("fri", "09:30"), utc(2026, 6, 19, 8, 30)),
        (("Sunday", "18:00"), utc(2026, 6, 21, 17, 0)),
        (("2026-12-01", "10:00"), utc(2026, 12, 1, 10, 0)),  # GMT in winter
        (("tomorrow", "9am"), utc(2026, 6, 16, 8, 0)),
        (("tomorrow", "9", "am"), utc(2026, 6, 16, 8, 0)),
        (("today", "3:30pm"), utc(2026, 6, 15, 14, 30)),
        (("fri", "9.15", "a.m."), utc(2026, 6, 19, 8, 15)),
        (("tomorrow", "12pm"), utc(2026, 6, 16, 11, 0)),  # noon
        (("tomorrow", "12am"), utc(2026, 6, 15, 23, 0)),  # midnight at the start of the 16th
        (("2026-06-20", "10PM"), utc(2026, 6, 20, 21, 0)),
        (("tomorrow", "noon"), utc(2026, 6, 16, 11, 0)),
    ],
)
def test_times_are_read_in_the_programme_zone(words, expected):
    assert send_time(words, NOW, ZONE) == expected


def test_a_new_york_programme_reads_its_own_zone():
    assert send_time(("tomorrow", "09:00"), NOW, "America/New_York") == utc(2026, 6, 16, 13, 0)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("tomorrow",), "Please add a time after 'tomorrow', e.g. at tomorrow 10:00."),
        (("today",), "Please add a time after 'today', e.g. at today 10:00."),
        (("monday",), "Please add a time after 'monday', e.g. at monday 10:00."),
        ((), "Please say when after 'at'"),
        (("10:00",), "Please say which day as well as the time"),
        (("2026-06-01", "10:00"), "2026-06-01 10:00 has already passed"),
        (("today", "09:00"), "2026-06-15 09:00 has already passed"),
        (("2026-02-30", "10:00"), "'2026-02-30' is not a day I can read"),
        (("next", "week"), "Please give a day and a time, e.g."),
        (("tomorrow", "25:00"), "Please give a day and a time, e.g."),
        (("tomorrow", "13pm"), "Please give a day and a time, e.g."),
        (("tomorrow", "9", "o'clock"), "Please give a day and a time, e.g."),
        (("9am",), "Please say which day as well as the time"),
        (("2028-01-01", "10:00"), "more than a year away"),
    ],
)
def test_every_time_error_is_kind_and_gives_a_future_example(words, expected):
    with pytest.raises(UserFacingError) as caught:
        send_time(words, NOW, ZONE)
    message = caught.value.message
    assert expected in message
    for found in re.findall(r"\d{4}-\d{2}-\d{2}(?= 10:00 or)", message):
        assert dt.date.fromisoformat(found) > NOW.date()


def test_the_example_moves_with_the_clock():
    later = NOW + dt.timedelta(days=400)
    with pytest.raises(UserFacingError) as caught:
        send_time(("yesterday", "10:00"), later, ZONE)
    assert f"at {(later + dt.timedelta(days=1)).date()} 10:00" in caught.value.message
