"""Test helpers for tests/windows: a participant factory and a fixed holiday calendar."""

from __future__ import annotations

import datetime as dt

from handlers.model import Participant, WorkingPattern

UTC = dt.UTC


def person(
    *,
    timezone: str = "Europe/London",
    region: str = "ENG",
    days: tuple[int, ...] = (0, 1, 2, 3, 4),
    start: dt.time = dt.time(9, 0),
    end: dt.time = dt.time(17, 0),
    away_until: dt.date | None = None,
) -> Participant:
    return Participant(
        id=1,
        programme_id=1,
        email="sam@example.org",
        name="Sam",
        agency="LA",
        timezone=timezone,
        region=region,
        working_pattern=WorkingPattern(days=days, start=start, end=end),
        away_until=away_until,
    )


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


class FixedHolidays:
    """A HolidayCalendar over a fixed set of (region, day) pairs; records what it was asked."""

    def __init__(self, *entries: tuple[str, dt.date]) -> None:
        self.entries = set(entries)
        self.asked: list[tuple[dt.date, str]] = []

    def is_holiday(self, day: dt.date, region: str) -> bool:
        self.asked.append((day, region))
        return (region, day) in self.entries


class AlwaysHoliday:
    def is_holiday(self, day: dt.date, region: str) -> bool:
        return True
