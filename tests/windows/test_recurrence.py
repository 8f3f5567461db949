"""Recurrence rules: the text form, the model's checks, occurrences in local time, and the next occurrence."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from handlers.recurrence import (
    Recurrence,
    RecurrenceKind,
    format_recurrence,
    local_occurrences,
    next_occurrence,
    occurrences,
    parse_recurrence,
)
from handlers.windows import next_send_time
from tests.windows.people import FixedHolidays, person, utc

LONDON = "Europe/London"
TEN = dt.time(10, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weekly on MO at 10:00", Recurrence(kind=RecurrenceKind.WEEKLY, at=TEN, weekdays=(0,))),
        ("Weekly  on th, mo at 9:05", Recurrence(kind=RecurrenceKind.WEEKLY, at=dt.time(9, 5), weekdays=(0, 3))),
        ("every week on FR at 10:00", Recurrence(kind=RecurrenceKind.WEEKLY, at=TEN, weekdays=(4,))),
        (
            "every 2 weeks on TU at 09:30 from 2026-01-06",
            Recurrence(
                kind=RecurrenceKind.WEEKLY, at=dt.time(9, 30), every=2, weekdays=(1,), starts=dt.date(2026, 1, 6)
            ),
        ),
        ("monthly on day 1 at 10:00", Recurrence(kind=RecurrenceKind.MONTHLY, at=TEN, month_day=1)),
        ("every 3 months on day 31 at 10:00", Recurrence(kind=RecurrenceKind.MONTHLY, at=TEN, every=3, month_day=31)),
        (
            "offset +90 days from milestone published at 10:00",
            Recurrence(kind=RecurrenceKind.OFFSET, at=TEN, milestone="published", offset_days=90),
        ),
        (
            "offset -7 days from milestone Board_Meeting at 10:00",
            Recurrence(kind=RecurrenceKind.OFFSET, at=TEN, milestone="Board_Meeting", offset_days=-7),
        ),
    ],
)
def test_parse(text, expected):
    assert parse_recurrence(text) == expected


def test_format_is_canonical():
    rule = parse_recurrence("every 2 weeks on th,MO at 9:30 from 2026-01-05")
    assert format_recurrence(rule) == "every 2 weeks on MO,TH at 09:30 from 2026-01-05"
    assert format_recurrence(parse_recurrence("every 1 months on day 1 at 10:00")) == "monthly on day 1 at 10:00"
    assert (
        format_recurrence(parse_recurrence("offset 90 days from milestone published at 10:00"))
        == "offset +90 days from milestone published at 10:00"
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "whenever",
        "weekly on XX at 10:00",
        "weekly at 10:00",
        "weekly on MO at 25:00",
        "weekly on MO at 10:60",
        "monthly on day 32 at 10:00",
        "monthly on day 0 at 10:00",
        "every 0 weeks on MO at 10:00",
        "every 53 weeks on MO at 10:00",
        "weekly on MO at 10:00 from 2026-02-30",
        "offset +90 days from milestone at 10:00",
    ],
)
def test_unreadable_text_gets_one_calm_sentence(text):
    with pytest.raises(ValueError) as caught:
        parse_recurrence(text)
    assert str(caught.value) == 'I could not read that schedule; try something like "weekly on MO at 10:00".'


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "weekly"},
        {"kind": "weekly", "weekdays": (0,), "month_day": 1},
        {"kind": "monthly"},
        {"kind": "monthly", "month_day": 1, "weekdays": (2,)},
        {"kind": "offset", "milestone": "published"},
        {"kind": "offset", "milestone": "published", "offset_days": 3, "every": 2},
        {"kind": "offset", "milestone": "published", "offset_days": 3, "starts": dt.date(2026, 1, 1)},
        {"kind": "weekly", "weekdays": (0,), "at": dt.time(10, 0, 30)},
        {"kind": "weekly", "weekdays": (7,)},
    ],
)
def test_model_refuses_fields_that_do_not_fit_the_kind(fields):
    with pytest.raises(ValidationError):
        Recurrence.model_validate({"at": TEN, **fields})


RULES = st.one_of(
    st.builds(
        Recurrence,
        kind=st.just(RecurrenceKind.WEEKLY),
        at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
        every=st.integers(1, 52),
        weekdays=st.sets(st.integers(0, 6), min_size=1).map(tuple),
        starts=st.none() | st.dates(),
    ),
    st.builds(
        Recurrence,
        kind=st.just(RecurrenceKind.MONTHLY),
        at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
        every=st.integers(1, 52),
        month_day=st.integers(1, 31),
        starts=st.none() | st.dates(),
    ),
    st.builds(
        Recurrence,
        kind=st.just(RecurrenceKind.OFFSET),
        at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
        milestone=st.from_regex(r"[A-Za-z0-9_.-]{1,20}", fullmatch=True),
        offset_days=st.integers(-3660, 3660),
    ),
)


@given(RULES)
def test_text_form_round_trips(rule):
    assert parse_recurrence(format_recurrence(rule)) == rule


def test_weekly_ten_oclock_stays_ten_local_across_both_clock_changes():
    rule = parse_recurrence("weekly on MO at 10:00")
    found = occurrences(rule, utc(2026, 3, 1), utc(2026, 11, 30), LONDON)
    assert len(found) == 39
    assert {moment.tzinfo for moment in found} == {dt.UTC}
    assert found[3] == utc(2026, 3, 23, 10)  # GMT
    assert found[4] == utc(2026, 3, 30, 9)  # BST
    assert found[33] == utc(2026, 10, 19, 9)
    assert found[34] == utc(2026, 10, 26, 10)
    assert {local.time() for local in local_occurrences(rule, dt.date(2026, 3, 1), dt.date(2026, 11, 30))} == {TEN}


def test_every_two_weeks_counts_from_its_start_date_whatever_range_is_asked():
    rule = parse_recurrence("every 2 weeks on TU at 09:30 from 2026-01-06")
    days = [m.date() for m in local_occurrences(rule, dt.date(2025, 12, 1), dt.date(2026, 2, 28))]
    assert days == [dt.date(2026, 1, 6), dt.date(2026, 1, 20), dt.date(2026, 2, 3), dt.date(2026, 2, 17)]
    later = [m.date() for m in local_occurrences(rule, dt.date(2026, 1, 13), dt.date(2026, 2, 28))]
    assert later == days[1:]


def test_every_two_weeks_without_a_start_is_stable_across_ranges():
    rule = parse_recurrence("every 2 weeks on WE at 10:00")
    whole = local_occurrences(rule, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert all((b - a).days == 14 for a, b in itertools.pairwise(whole))
    shifted = local_occurrences(rule, dt.date(2026, 1, 8), dt.date(2026, 3, 31))
    assert shifted == [m for m in whole if m.date() >= dt.date(2026, 1, 8)]


def test_monthly_day_31_uses_the_last_day_of_short_months():
    rule = parse_recurrence("monthly on day 31 at 10:00")
    days = [m.date() for m in local_occurrences(rule, dt.date(2026, 1, 1), dt.date(2026, 4, 30))]
    assert days == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 4, 30)]
    leap = [m.date() for m in local_occurrences(rule, dt.date(2028, 2, 1), dt.date(2028, 2, 29))]
    assert leap == [dt.date(2028, 2, 29)]


def test_every_three_months_from_a_start_date():
    rule = parse_recurrence("every 3 months on day 1 at 10:00 from 2026-01-15")
    days = [m.date() for m in local_occurrences(rule, dt.date(2025, 1, 1), dt.date(2026, 12, 31))]
    assert days == [dt.date(2026, 4, 1), dt.date(2026, 7, 1), dt.date(2026, 10, 1)]


def test_offset_from_a_milestone():
    rule = parse_recurrence("offset +90 days from milestone published at 10:00")
    milestones = {"published": dt.date(2026, 2, 1)}
    assert occurrences(rule, utc(2026, 1, 1), utc(2027, 1, 1), LONDON, milestones) == [utc(2026, 5, 2, 9)]
    assert occurrences(rule, utc(2026, 1, 1), utc(2027, 1, 1), LONDON, {}) == []
    assert occurrences(rule, utc(2026, 6, 1), utc(2027, 1, 1), LONDON, milestones) == []


def test_occurrences_range_is_half_open():
    rule = parse_recurrence("weekly on MO at 10:00")
    assert occurrences(rule, utc(2026, 6, 15, 9), utc(2026, 6, 22, 9), LONDON) == [utc(2026, 6, 15, 9)]


def test_occurrences_follow_the_recipients_zone():
    rule = parse_recurrence("weekly on MO at 10:00")
    assert occurrences(rule, utc(2026, 1, 5), utc(2026, 1, 6), "America/New_York") == [utc(2026, 1, 5, 15)]


def test_next_occurrence_is_strictly_after():
    rule = parse_recurrence("weekly on MO at 10:00")
    assert next_occurrence(rule, utc(2026, 6, 15, 9), LONDON) == utc(2026, 6, 22, 9)
    assert next_occurrence(rule, utc(2026, 6, 15, 8, 59), LONDON) == utc(2026, 6, 15, 9)


def test_next_occurrence_of_sparse_and_future_rules():
    yearly = parse_recurrence("every 52 weeks on MO at 10:00 from 2026-01-05")
    assert next_occurrence(yearly, utc(2026, 1, 6), LONDON) == utc(2027, 1, 4, 10)
    future = parse_recurrence("weekly on MO at 10:00 from 2030-01-07")
    assert next_occurrence(future, utc(2026, 1, 1), LONDON) == utc(2030, 1, 7, 10)
    offset = parse_recurrence("offset +90 days from milestone published at 10:00")
    milestones = {"published": dt.date(2026, 2, 1)}
    assert next_occurrence(offset, utc(2026, 1, 1), LONDON, milestones) == utc(2026, 5, 2, 9)
    assert next_occurrence(offset, utc(2026, 5, 2, 9), LONDON, milestones) is None
    assert next_occurrence(offset, utc(2026, 1, 1), LONDON) is None


def test_naive_range_is_refused():
    rule = parse_recurrence("weekly on MO at 10:00")
    with pytest.raises(ValueError, match="timezone-aware"):
        occurrences(rule, dt.datetime(2026, 1, 1), utc(2026, 2, 1), LONDON)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_occurrence(rule, dt.datetime(2026, 1, 1), LONDON)


def test_occurrence_then_window_for_a_part_time_worker():
    rule = parse_recurrence("weekly on MO at 10:00")
    tuesday_thursday = person(days=(1, 3))
    (due,) = occurrences(rule, utc(2026, 6, 15), utc(2026, 6, 16), LONDON)
    assert next_send_time(due, tuesday_thursday, FixedHolidays()) == utc(2026, 6, 16, 8)
