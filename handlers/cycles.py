"""Which cycle and which cohort a contribution belongs to: coarse on purpose, so that neither identifies anyone."""

from __future__ import annotations

import datetime as dt
import itertools

from handlers.model import CheckinCycle, Participant, Programme

COMBINED = "combined"
OPEN_CYCLE = "open"


def current_cycle(programme: Programme, today: dt.date) -> CheckinCycle | None:
    """The latest check-in cycle that has started; before the first one, the first one (the baseline)."""
    cycles = sorted(programme.checkins, key=lambda c: c.date)
    started = [c for c in cycles if c.date <= today]
    if started:
        return started[-1]
    return cycles[0] if cycles else None


def cycle_code(programme: Programme, today: dt.date) -> str:
    cycle = current_cycle(programme, today)
    return cycle.code if cycle else OPEN_CYCLE


def cycle_closes(programme: Programme, code: str) -> dt.date | None:
    """A cycle closes when the next one starts; the last one stays open."""
    cycles = sorted(programme.checkins, key=lambda c: c.date)
    for this, following in itertools.pairwise(cycles):
        if this.code == code:
            return following.date
    return None


def cohort_of(person: Participant, agency_sizes: dict[str, int], k: int) -> str:
    """The person's agency if at least k people in the programme share it; otherwise one combined group."""
    return person.agency if agency_sizes.get(person.agency, 0) >= k else COMBINED


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week: the only date kept with a contribution, for retention."""
    return day - dt.timedelta(days=day.weekday())
