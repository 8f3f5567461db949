"""When a prompt may reach a person: their working window, bank holidays and leave.

Pure time logic. Bank holidays come through the ``HolidayCalendar`` port (``bot/holiday_calendar.py`` implements it).

The rules:

- Each working day of a person's pattern has one window, in their own time zone, from ``start`` up to (not including)
  ``end``. When ``end`` is at or before ``start`` the window crosses midnight and ends on the next day
  (a 19:00–07:00 night shift); when they are equal the window lasts a whole day.
- A window belongs to the local day it starts: that day must be a working day, not a bank holiday of the person's
  region, and not a day of leave (``away_until`` is the last day away, inclusive).
- A message due inside a window is sent when it is due; otherwise it waits for the next window opening. It is never
  dropped and never sent at night.
- Local wall times are resolved as RFC 5545 does: a time that does not exist (inside the spring-forward gap) moves
  forward by the length of the gap; a time that occurs twice (autumn back) means its first occurrence. A window's
  end means the last occurrence, so a night shift that works the extra hour keeps it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.model import Participant, WorkingPattern

logger = logging.getLogger(__name__)

LOOKAHEAD_DAYS = 400
ONE_DAY = dt.timedelta(days=1)


class HolidayCalendar(Protocol):
    def is_holiday(self, day: dt.date, region: str) -> bool:
        """True when ``day`` is a bank holiday in ``region`` (for example ENG, WLS, SCT, NIR)."""
        ...


@dataclass(frozen=True, slots=True)
class Window:
    """One working window: the local day it belongs to, and its start and end as aware UTC instants."""

    day: dt.date
    start: dt.datetime
    end: dt.datetime

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def zone_for(name: str) -> ZoneInfo:
    """The IANA time zone called ``name``; ValueError when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Unknown time zone {name!r}.") from exc


def resolve_local(day: dt.date, at: dt.time, zone: ZoneInfo, *, latest: bool = False) -> dt.datetime:
    """The UTC instant of wall time ``at`` on ``day`` in ``zone``.

    A wall time inside a DST gap moves forward by the gap. A wall time that occurs twice gives the first occurrence,
    or the second when ``latest`` is true.
    """
    naive = dt.datetime.combine(day, at.replace(tzinfo=None))
    if latest:
        second = naive.replace(tzinfo=zone, fold=1).astimezone(dt.UTC)
        if second.astimezone(zone).replace(tzinfo=None) == naive:
            return second
    return naive.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)


def check_pattern(pattern: WorkingPattern) -> None:
    """ValueError unless the pattern has at least one day and every day is 0 (Monday) to 6 (Sunday)."""
    if not pattern.days:
        raise ValueError("A working pattern needs at least one working day.")
    if any(day < 0 or day > 6 for day in pattern.days):
        raise ValueError("Working days must be numbers from 0 (Monday) to 6 (Sunday).")


def is_open_day(day: dt.date, person: Participant, calendar: HolidayCalendar) -> bool:
    """Whether a window may start on ``day``: a working day, not on leave, not a bank holiday."""
    if day.weekday() not in person.working_pattern.days:
        return False
    if person.away_until is not None and day <= person.away_until:
        return False
    return not calendar.is_holiday(day, person.region)


def window_on(day: dt.date, person: Participant, calendar: HolidayCalendar) -> Window | None:
    """The window that starts on local ``day``, or None when no window starts that day."""
    check_pattern(person.working_pattern)
    return _window(day, person, zone_for(person.timezone), calendar)


def in_window(moment: dt.datetime, person: Participant, calendar: HolidayCalendar) -> bool:
    """Whether ``moment`` (timezone-aware) falls inside one of the person's working windows."""
    _require_aware(moment)
    check_pattern(person.working_pattern)
    zone = zone_for(person.timezone)
    local_day = moment.astimezone(zone).date()
    for day in (local_day - ONE_DAY, local_day):
        window = _window(day, person, zone, calendar)
        if window is not None and window.contains(moment):
            return True
    return False


def next_window(after: dt.datetime, person: Participant, calendar: HolidayCalendar) -> Window:
    """The first window that is still open at ``after`` or opens later.

    ValueError when there is none within LOOKAHEAD_DAYS of ``after`` (or of the end of the person's leave).
    """
    _require_aware(after)
    check_pattern(person.working_pattern)
    zone = zone_for(person.timezone)
    first = after.astimezone(zone).date() - ONE_DAY  # yesterday's window may cross midnight
    if person.away_until is not None and person.away_until >= first:
        first = person.away_until + ONE_DAY
    for offset in range(LOOKAHEAD_DAYS):
        window = _window(first + offset * ONE_DAY, person, zone, calendar)
        if window is not None and window.end > after:
            return window
    raise ValueError(f"No working window within {LOOKAHEAD_DAYS} days.")


def next_send_time(
    due: dt.datetime,
    person: Participant,
    calendar: HolidayCalendar,
    *,
    not_before: dt.datetime | None = None,
) -> dt.datetime:
    """When a message due at ``due`` may be sent to ``person``, as an aware UTC instant.

    ``due`` itself when it falls inside a window, otherwise the next window opening. Pass ``not_before`` (usually
    now) so that a message whose due time has passed is judged at the time it would actually go, not at night.
    """
    _require_aware(due)
    earliest = due
    if not_before is not None:
        _require_aware(not_before)
        earliest = max(due, not_before)
    window = next_window(earliest, person, calendar)
    return max(earliest, window.start).astimezone(dt.UTC)


def _window(day: dt.date, person: Participant, zone: ZoneInfo, calendar: HolidayCalendar) -> Window | None:
    if not is_open_day(day, person, calendar):
        return None
    pattern = person.working_pattern
    end_day = day + ONE_DAY if pattern.end <= pattern.start else day
    start = resolve_local(day, pattern.start, zone)
    end = resolve_local(end_day, pattern.end, zone, latest=True)
    if end <= start:  # a start moved forward out of a DST gap has passed the end
        logger.debug("Window on %s vanishes in a clock change", day)
        return None
    return Window(day=day, start=start, end=end)


def _require_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Times passed to the scheduler must be timezone-aware.")
