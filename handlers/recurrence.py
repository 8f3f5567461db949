"""When a schedule fires: a small recurrence rule, its short text form, and its occurrences.

A rule names a local wall time; each recipient's occurrences are that wall time in their own time zone, converted to
UTC with zoneinfo, so a weekly 10:00 stays 10:00 local across a clock change (handlers/windows.resolve_local decides
times that do not exist or occur twice). The text form, one of:

    weekly on MO at 10:00
    weekly on MO,TH at 10:00 from 2026-04-06
    every 2 weeks on TU at 09:30 from 2026-01-06
    monthly on day 1 at 10:00
    every 3 months on day 31 at 10:00        (a short month uses its last day)
    offset +90 days from milestone published at 10:00

``from`` sets the first day that counts, and anchors "every N weeks/months" (without it, weeks are counted from
Monday 1 January 2001 and months from January 2001, so the answer never depends on the range asked about).
An offset rule fires once; if its milestone has no date yet, it has no occurrences.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from collections.abc import Iterator, Mapping
from enum import StrEnum

from pydantic import Field, ValidationError, field_validator, model_validator

from handlers.model import Frozen
from handlers.windows import resolve_local, zone_for

logger = logging.getLogger(__name__)

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
EPOCH_MONDAY = dt.date(2001, 1, 1)
ONE_DAY = dt.timedelta(days=1)


class RecurrenceKind(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    OFFSET = "offset"


class Recurrence(Frozen):
    """A schedule's rule. Only the fields of its kind may be set."""

    kind: RecurrenceKind
    at: dt.time
    every: int = Field(default=1, ge=1, le=52)
    weekdays: tuple[int, ...] = ()  # weekly: 0 is Monday
    month_day: int | None = Field(default=None, ge=1, le=31)  # monthly
    milestone: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]+$")  # offset
    offset_days: int | None = Field(default=None, ge=-3660, le=3660)  # offset
    starts: dt.date | None = None  # weekly, monthly

    @field_validator("at")
    @classmethod
    def _whole_minutes(cls, at: dt.time) -> dt.time:
        if at.tzinfo is not None or at.second or at.microsecond:
            raise ValueError("the time must be a local hour and minute")
        return at

    @field_validator("weekdays")
    @classmethod
    def _sorted_days(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        if any(day < 0 or day > 6 for day in days):
            raise ValueError("weekdays must be numbers from 0 (Monday) to 6 (Sunday)")
        return tuple(sorted(set(days)))

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Recurrence:
        weekly, monthly, offset = (self.kind is kind for kind in RecurrenceKind)
        if weekly != bool(self.weekdays):
            raise ValueError("weekdays belong to a weekly rule, which needs at least one")
        if monthly != (self.month_day is not None):
            raise ValueError("month_day belongs to a monthly rule, which needs one")
        if offset != (self.milestone is not None) or offset != (self.offset_days is not None):
            raise ValueError("milestone and offset_days belong to an offset rule, which needs both")
        if offset and (self.every != 1 or self.starts is not None):
            raise ValueError("an offset rule fires once, so it takes no interval or start date")
        return self


_AT = r"at (?P<at>\d{1,2}:\d{2})"
_FROM = r"(?: from (?P<starts>\d{4}-\d{2}-\d{2}))?"
_WEEKLY = re.compile(
    rf"(?:weekly|every (?:(?P<every>\d+) )?weeks?) on (?P<days>[a-z]{{2}}(?: ?, ?[a-z]{{2}})*) {_AT}{_FROM}", re.I
)
_MONTHLY = re.compile(rf"(?:monthly|every (?:(?P<every>\d+) )?months?) on day (?P<day>\d{{1,2}}) {_AT}{_FROM}", re.I)
_OFFSET = re.compile(rf"offset (?P<days>[+-]?\d+) days? from milestone (?P<milestone>[A-Za-z0-9_.-]+) {_AT}", re.I)
_HELP = 'I could not read that schedule; try something like "weekly on MO at 10:00".'


def parse_recurrence(text: str) -> Recurrence:
    """Read the short text form (see the module docstring); ValueError with a one-sentence message otherwise."""
    cleaned = " ".join(text.split())
    try:
        if match := _WEEKLY.fullmatch(cleaned):
            return Recurrence(
                kind=RecurrenceKind.WEEKLY,
                at=_time(match["at"]),
                every=int(match["every"] or 1),
                weekdays=tuple(_weekday(code) for code in re.split(r" ?, ?", match["days"])),
                starts=_date(match["starts"]),
            )
        if match := _MONTHLY.fullmatch(cleaned):
            return Recurrence(
                kind=RecurrenceKind.MONTHLY,
                at=_time(match["at"]),
                every=int(match["every"] or 1),
                month_day=int(match["day"]),
                starts=_date(match["starts"]),
            )
        if match := _OFFSET.fullmatch(cleaned):
            return Recurrence(
                kind=RecurrenceKind.OFFSET,
                at=_time(match["at"]),
                milestone=match["milestone"],
                offset_days=int(match["days"]),
            )
    except (ValidationError, ValueError) as exc:
        raise ValueError(_HELP) from exc
    raise ValueError(_HELP)


def format_recurrence(rule: Recurrence) -> str:
    """The canonical text form; ``parse_recurrence(format_recurrence(rule)) == rule``."""
    at = f"at {rule.at:%H:%M}"
    since = f" from {rule.starts.isoformat()}" if rule.starts else ""
    if rule.kind is RecurrenceKind.WEEKLY:
        head = "weekly" if rule.every == 1 else f"every {rule.every} weeks"
        days = ",".join(WEEKDAY_CODES[day] for day in rule.weekdays)
        return f"{head} on {days} {at}{since}"
    if rule.kind is RecurrenceKind.MONTHLY:
        head = "monthly" if rule.every == 1 else f"every {rule.every} months"
        return f"{head} on day {rule.month_day} {at}{since}"
    return f"offset {rule.offset_days:+d} days from milestone {rule.milestone} {at}"


def local_occurrences(
    rule: Recurrence, first: dt.date, last: dt.date, milestones: Mapping[str, dt.date] | None = None
) -> list[dt.datetime]:
    """The rule's occurrences as naive local datetimes, on days from ``first`` to ``last`` inclusive, in order."""
    days = [day for day in _days(rule, first, last, milestones or {}) if first <= day <= last]
    if rule.starts is not None:
        days = [day for day in days if day >= rule.starts]
    return [dt.datetime.combine(day, rule.at) for day in days]


def occurrences(
    rule: Recurrence,
    start: dt.datetime,
    end: dt.datetime,
    zone: str,
    milestones: Mapping[str, dt.date] | None = None,
) -> list[dt.datetime]:
    """The rule's occurrences in time zone ``zone`` as aware UTC instants, ``start`` <= t < ``end``, in order.

    Each local day gives at most one instant, so a wall time that occurs twice is never sent twice.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("Times passed to the scheduler must be timezone-aware.")
    tz = zone_for(zone)
    # One day either side: the local dates of [start, end) in ``zone``, with room for a wall time moved by DST.
    first = start.astimezone(tz).date() - ONE_DAY
    last = end.astimezone(tz).date() + ONE_DAY
    instants = (
        resolve_local(local.date(), local.time(), tz) for local in local_occurrences(rule, first, last, milestones)
    )
    return [instant for instant in instants if start <= instant < end]


def next_occurrence(
    rule: Recurrence, after: dt.datetime, zone: str, milestones: Mapping[str, dt.date] | None = None
) -> dt.datetime | None:
    """The first occurrence strictly after ``after`` (aware UTC), or None when the rule has no more."""
    if after.tzinfo is None:
        raise ValueError("Times passed to the scheduler must be timezone-aware.")
    if rule.kind is RecurrenceKind.OFFSET:
        day = next(_days(rule, dt.date.min, dt.date.max, milestones or {}), None)
        if day is None:
            return None
        instant = resolve_local(day, rule.at, zone_for(zone))
        return instant if instant > after else None
    period = 7 if rule.kind is RecurrenceKind.WEEKLY else 31
    horizon = dt.timedelta(days=period * (rule.every + 1) + 2)
    if rule.starts is not None:
        horizon += max(dt.timedelta(0), dt.datetime.combine(rule.starts, rule.at, dt.UTC) - after)
    found = occurrences(rule, after + dt.timedelta(microseconds=1), after + horizon, zone, milestones)
    return found[0] if found else None


def _days(rule: Recurrence, first: dt.date, last: dt.date, milestones: Mapping[str, dt.date]) -> Iterator[dt.date]:
    if rule.weekdays:
        yield from _weekly_days(rule.weekdays, rule.every, rule.starts, first, last)
    elif rule.month_day is not None:
        yield from _monthly_days(rule.month_day, rule.every, rule.starts, first, last)
    elif rule.milestone is not None and rule.offset_days is not None:
        milestone = milestones.get(rule.milestone)
        if milestone is None:
            logger.info("Milestone %s has no date yet, so its offset schedule has no occurrences", rule.milestone)
            return
        yield milestone + dt.timedelta(days=rule.offset_days)


def _weekly_days(
    weekdays: tuple[int, ...], every: int, starts: dt.date | None, first: dt.date, last: dt.date
) -> Iterator[dt.date]:
    anchor = _monday(starts or EPOCH_MONDAY)
    day = first
    while day <= last:
        weeks = (_monday(day) - anchor).days // 7
        if weeks % every == 0 and day.weekday() in weekdays:
            yield day
        day += ONE_DAY


def _monthly_days(
    month_day: int, every: int, starts: dt.date | None, first: dt.date, last: dt.date
) -> Iterator[dt.date]:
    anchor = _month_index(starts or EPOCH_MONDAY)
    for index in range(_month_index(first), _month_index(last) + 1):
        if (index - anchor) % every == 0:
            year, month = divmod(index, 12)
            yield dt.date(year, month + 1, min(month_day, calendar.monthrange(year, month + 1)[1]))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _time(text: str) -> dt.time:
    hour, minute = (int(part) for part in text.split(":"))
    return dt.time(hour, minute)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _weekday(code: str) -> int:
    try:
        return WEEKDAY_CODES.index(code.upper())
    except ValueError:
        raise ValueError(f"unknown weekday {code!r}") from None
