"""A broadcast preview's reach: people by agency, and the first and last delivery given working hours (pure)."""

from __future__ import annotations

import datetime as dt

from bot.holiday_calendar import HolidaysCalendar
from handlers.audiences import Resolution
from handlers.broadcast_preview import agencies_line, reach
from handlers.model import Participant, WorkingPattern

FRIDAY_EVENING = dt.datetime(2026, 8, 28, 17, 0, tzinfo=dt.UTC)  # 18:00 in London, before the August bank holiday


def person(pid: int, agency: str, region: str = "ENG", zone: str = "Europe/London", **extra: object) -> Participant:
    return Participant(
        id=pid, programme_id=1, email=f"p{pid}@x.example", name=f"P{pid}", agency=agency, region=region,
        timezone=zone, **extra,
    )  # fmt: skip


def test_counts_by_agency_largest_first_and_channels():
    audience = Resolution(people=(person(1, "KPOL"), person(2, "KBC"), person(3, "KBC")), channels=("T1:#learn",))
    found = reach(audience, FRIDAY_EVENING, FRIDAY_EVENING, "Europe/London", 1, HolidaysCalendar())
    assert found.by_agency == (("KBC", 2), ("KPOL", 1))
    assert agencies_line(found) == "KBC 2, KPOL 1, 1 Slack channel"


def test_first_and_last_delivery_follow_hours_bank_holidays_and_leave():
    audience = Resolution(
        people=(
            person(1, "KBC"),  # England: Monday 31 August is a bank holiday, so Tuesday 09:00
            person(2, "KBC", region="SCT"),  # Scotland works that Monday: Monday 09:00
            person(3, "KPOL", zone="America/New_York"),  # still Friday 13:00 in New York: now
            person(4, "KPOL", away_until=dt.date(2026, 9, 4)),  # on leave: the Monday after
            person(5, "KPOL", working_pattern=WorkingPattern(start=dt.time(7, 0), end=dt.time(7, 0))),
        )
    )
    found = reach(audience, FRIDAY_EVENING, FRIDAY_EVENING, "Europe/London", 1, HolidaysCalendar())
    assert found.first == FRIDAY_EVENING  # the New York colleague and the all-day pattern are at work now
    assert found.last == dt.datetime(2026, 9, 7, 8, 0, tzinfo=dt.UTC)
    only_uk = Resolution(people=(person(1, "KBC"), person(2, "KBC", region="SCT")))
    uk = reach(only_uk, FRIDAY_EVENING, FRIDAY_EVENING, "Europe/London", 1, HolidaysCalendar())
    assert (uk.first, uk.last) == (
        dt.datetime(2026, 8, 31, 8, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC),
    )


def test_without_a_calendar_no_day_is_a_holiday():
    found = reach(Resolution(people=(person(1, "KBC"),)), FRIDAY_EVENING, FRIDAY_EVENING, "Europe/London", 1, None)
    assert found.first == dt.datetime(2026, 8, 31, 8, 0, tzinfo=dt.UTC)
