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


def named_agencies(agency_sizes: dict[str, int], k: int) -> frozenset[str]:
    """Agencies that are a cohort of their own: at least k people, and the combined rest at least k too.

    The agencies below k share one combined cohort. If that group would itself be smaller than k (one small agency
    of two people is still two people), the smallest named agencies join it until it reaches k, or until everyone
    is combined.
    """
    named = sorted((a for a, n in agency_sizes.items() if n >= k), key=lambda a: (agency_sizes[a], a))
    rest = sum(n for a, n in agency_sizes.items() if a not in named)
    while named and 0 < rest < k:
        rest += agency_sizes[named.pop(0)]
    return frozenset(named)


def cohort_of(person: Participant, agency_sizes: dict[str, int], k: int) -> str:
    """The person's agency if it is a cohort of its own (``named_agencies``); otherwise the combined group."""
    return person.agency if person.agency in named_agencies(agency_sizes, k) else COMBINED


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week: the only date kept with a contribution, for retention."""
    return day - dt.timedelta(days=day.weekday())
