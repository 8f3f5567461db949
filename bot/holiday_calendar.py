"""Bank holidays from the ``holidays`` package: the HolidayCalendar port of handlers/windows.py.

Regions are the UK nations as the package names its subdivisions (ENG, WLS, SCT, NIR), plus IE for Ireland.
ISO 3166-2 codes (GB-ENG) and nation names (Scotland) are accepted too. Substitute days count: when Boxing Day
falls on a Saturday, the Monday "(observed)" is the bank holiday.
"""

from __future__ import annotations

import datetime as dt
import logging

import holidays

logger = logging.getLogger(__name__)

REGIONS: dict[str, tuple[str, str | None]] = {
    "ENG": ("GB", "ENG"),
    "WLS": ("GB", "WLS"),
    "SCT": ("GB", "SCT"),
    "NIR": ("GB", "NIR"),
    "IE": ("IE", None),
}
ALIASES = {
    "GB-ENG": "ENG",
    "GB-WLS": "WLS",
    "GB-SCT": "SCT",
    "GB-NIR": "NIR",
    "ENGLAND": "ENG",
    "WALES": "WLS",
    "SCOTLAND": "SCT",
    "NORTHERN IRELAND": "NIR",
    "IRL": "IE",
    "IRELAND": "IE",
}


def normalise_region(region: str) -> str:
    """The canonical code for ``region`` (ENG, WLS, SCT, NIR or IE); ValueError when it is not one we know."""
    key = " ".join(region.split()).upper()
    key = ALIASES.get(key, key)
    if key not in REGIONS:
        known = ", ".join(REGIONS)
        raise ValueError(f"Unknown bank holiday region {region!r}; use one of {known}.")
    return key


class HolidaysCalendar:
    """Bank holidays per region, loaded once per (region, year) and kept for the life of the process."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int], dict[dt.date, str]] = {}

    def is_holiday(self, day: dt.date, region: str) -> bool:
        return day in self._year(normalise_region(region), day.year)

    def holiday_name(self, day: dt.date, region: str) -> str | None:
        """The holiday's name (for telling someone why a prompt waited), or None on an ordinary day."""
        return self._year(normalise_region(region), day.year).get(day)

    def holidays_in(self, region: str, year: int) -> dict[dt.date, str]:
        """Every bank holiday of ``region`` in ``year``, in date order."""
        return dict(sorted(self._year(normalise_region(region), year).items()))

    def _year(self, region: str, year: int) -> dict[dt.date, str]:
        key = (region, year)
        cached = self._cache.get(key)
        if cached is None:
            country, subdivision = REGIONS[region]
            loaded = holidays.country_holidays(country, subdiv=subdivision, years=year)
            cached = {day: str(name) for day, name in loaded.items()}
            self._cache[key] = cached
            logger.debug("Loaded %d bank holidays for %s %d", len(cached), region, year)
        return cached
