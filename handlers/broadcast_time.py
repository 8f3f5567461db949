"""When a broadcast should go: the words after ``at``, read in the programme's time zone.

Accepted: ``YYYY-MM-DD HH:MM``, ``today HH:MM``, ``tomorrow HH:MM`` and a weekday with a time (``monday 09:30``,
``mon 09:30``: its next occurrence, today included while the time is still ahead). The time is 24-hour (``09:30``)
or 12-hour with am/pm (``9am``, ``9:30 pm``, ``12pm`` is noon). Every error names an example
that is in the future, worked out from the clock, never a fixed date that may have passed.
"""

from __future__ import annotations

import datetime as dt
import re

from handlers.errors import UserFacingError
from handlers.vocabulary import parse_date
from handlers.windows import resolve_local, zone_for

PAST_GRACE = dt.timedelta(minutes=1)
FURTHEST = dt.timedelta(days=366)
CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
TWELVE_HOUR = re.compile(r"(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))? ?([ap])\.?m\.?")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RELATIVE = ("today", "tomorrow")


def example(now: dt.datetime, zone: str) -> str:
    """An example time for error messages: tomorrow at 10:00 in the programme's zone, so always ahead."""
    tomorrow = now.astimezone(zone_for(zone)).date() + dt.timedelta(days=1)
    return f"at {tomorrow:%Y-%m-%d} 10:00 or at tomorrow 10:00"


def send_time(words: tuple[str, ...], now: dt.datetime, zone: str) -> dt.datetime:
    """The aware instant the words after ``at`` mean; a kind ``UserFacingError`` when they mean none."""
    day, clock = _day_and_clock(words, now, zone)
    moment = resolve_local(day, clock, zone_for(zone))
    if moment < now - PAST_GRACE:
        raise UserFacingError(
            f"{day:%Y-%m-%d} {clock:%H:%M} has already passed; please give a time from now onwards, "
            f"e.g. {example(now, zone)}."
        )
    if moment > now + FURTHEST:
        raise UserFacingError(
            f"{day:%Y-%m-%d} is more than a year away; please choose a nearer time, e.g. {example(now, zone)}."
        )
    return moment


def _day_and_clock(words: tuple[str, ...], now: dt.datetime, zone: str) -> tuple[dt.date, dt.time]:
    hint = example(now, zone)
    if not words:
        raise UserFacingError(f"Please say when after 'at', e.g. {hint}.")
    first = words[0].lower()
    if len(words) == 1:
        if first in RELATIVE or _weekday(first) is not None:
            raise UserFacingError(f"Please add a time after '{words[0]}', e.g. at {first} 10:00.")
        if clock_of(first) is not None:
            raise UserFacingError(f"Please say which day as well as the time, e.g. at today {first} or {hint}.")
    clock = clock_of(" ".join(words[1:]).lower()) if len(words) in (2, 3) else None
    if clock is None:
        raise UserFacingError(f"Please give a day and a time, e.g. {hint}.")
    today = now.astimezone(zone_for(zone)).date()
    if first == "today":
        return today, clock
    if first == "tomorrow":
        return today + dt.timedelta(days=1), clock
    weekday = _weekday(first)
    if weekday is not None:
        return _next_weekday(today, weekday, clock, now, zone), clock
    day = parse_date(first)
    if day is None:
        raise UserFacingError(f"'{words[0]}' is not a day I can read; please write it like {hint}.")
    return day, clock


def clock_of(text: str) -> dt.time | None:
    """``09:30`` (24-hour), ``9am``, ``9:30pm``, ``9 am``, ``9.30 p.m.`` or ``noon``; None for anything else."""
    if text in ("noon", "midday"):
        return dt.time(12, 0)
    match = CLOCK.fullmatch(text)
    if match is not None:
        return dt.time(int(match[1]), int(match[2]))
    match = TWELVE_HOUR.fullmatch(text)
    if match is None:
        return None
    hour = int(match[1]) % 12 + (12 if match[3] == "p" else 0)
    return dt.time(hour, int(match[2] or 0))


def _weekday(word: str) -> int | None:
    if len(word) < 3:
        return None
    return next((index for index, name in enumerate(WEEKDAYS) if name.startswith(word)), None)


def _next_weekday(today: dt.date, weekday: int, clock: dt.time, now: dt.datetime, zone: str) -> dt.date:
    """The next date on that weekday whose time is still ahead (today counts when it is)."""
    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    if resolve_local(day, clock, zone_for(zone)) < now:
        day += dt.timedelta(days=7)
    return day
