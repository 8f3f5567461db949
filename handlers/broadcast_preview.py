"""What a facilitator checks before a broadcast goes: who it reaches, by agency, and when the first one arrives.

Pure. The first (and last) delivery times follow the same rule the dispatcher applies to each message
(``handlers.windows.next_send_time``): a message waits for its recipient's working window, bank holidays and leave.
A Slack channel follows the programme's zone with the default working pattern, as the dispatcher does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.audiences import Resolution
from handlers.model import Participant
from handlers.windows import HolidayCalendar, next_send_time


class NoHolidays:
    """A calendar without bank holidays, for surfaces built without one."""

    def is_holiday(self, day: dt.date, region: str) -> bool:
        return False


@dataclass(frozen=True)
class Reach:
    by_agency: tuple[tuple[str, int], ...]  # (agency code, people), largest first
    channels: int
    first: dt.datetime | None  # None when nobody has a working window within a year
    last: dt.datetime | None


def reach(
    audience: Resolution,
    send_at: dt.datetime,
    now: dt.datetime,
    zone: str,
    programme_id: int,
    calendar: HolidayCalendar | None,
) -> Reach:
    counted = Counter(person.agency for person in audience.people)
    by_agency = tuple(sorted(counted.items(), key=lambda item: (-item[1], item[0])))
    people: list[Participant] = list(audience.people)
    if audience.channels:
        people.append(Participant(id=0, programme_id=programme_id, email="", name="", agency="", timezone=zone))
    times = _delivery_times(people, send_at, now, calendar or NoHolidays())
    return Reach(
        by_agency=by_agency,
        channels=len(audience.channels),
        first=min(times) if times else None,
        last=max(times) if times else None,
    )


def _delivery_times(
    people: Sequence[Participant], send_at: dt.datetime, now: dt.datetime, calendar: HolidayCalendar
) -> list[dt.datetime]:
    """When each distinct kind of recipient (zone, hours, region, leave) would first be sent it."""
    seen: dict[tuple[object, ...], dt.datetime | None] = {}
    for person in people:
        key = (person.timezone, person.working_pattern, person.region, person.away_until)
        if key in seen:
            continue
        try:
            seen[key] = next_send_time(send_at, person, calendar, not_before=now)
        except (ValueError, KeyError):  # no window within a year, or a region without a calendar
            seen[key] = None
    return [moment for moment in seen.values() if moment is not None]


def agencies_line(found: Reach) -> str:
    parts = [f"{code} {count:,}" for code, count in found.by_agency]
    if found.channels:
        parts.append(f"{found.channels} Slack channel{'' if found.channels == 1 else 's'}")
    return ", ".join(parts) or "nobody"
