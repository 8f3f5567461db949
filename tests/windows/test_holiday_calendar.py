"""HolidaysCalendar: UK nations and Ireland from the holidays package, cached per (region, year)."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from bot.holiday_calendar import HolidaysCalendar, normalise_region
from handlers.windows import HolidayCalendar, next_send_time
from tests.windows.people import person, utc


@pytest.fixture
def calendar() -> HolidaysCalendar:
    return HolidaysCalendar()


def test_it_satisfies_the_port(calendar):
    port: HolidayCalendar = calendar
    assert port.is_holiday(dt.date(2026, 12, 25), "ENG")


@pytest.mark.parametrize(
    ("day", "holiday_in"),
    [
        (dt.date(2026, 12, 25), {"ENG", "WLS", "SCT", "NIR"}),
        (dt.date(2026, 12, 28), {"ENG", "WLS", "SCT", "NIR"}),  # Boxing Day (observed)
        (dt.date(2026, 8, 31), {"ENG", "WLS", "NIR"}),
        (dt.date(2026, 8, 3), {"SCT"}),
        (dt.date(2026, 1, 2), {"SCT"}),
        (dt.date(2026, 4, 6), {"ENG", "WLS", "NIR"}),  # Easter Monday
        (dt.date(2026, 3, 17), {"NIR"}),
        (dt.date(2026, 7, 13), {"NIR"}),  # Battle of the Boyne (observed)
        (dt.date(2026, 11, 30), {"SCT"}),
        (dt.date(2026, 6, 17), set()),
    ],
)
def test_uk_bank_holidays_differ_by_nation(calendar, day, holiday_in):
    for region in ("ENG", "WLS", "SCT", "NIR"):
        assert calendar.is_holiday(day, region) == (region in holiday_in), region


def test_ireland(calendar):
    assert calendar.is_holiday(dt.date(2026, 10, 26), "IE")
    assert calendar.is_holiday(dt.date(2026, 2, 2), "IE")  # St Brigid's Day
    assert not calendar.is_holiday(dt.date(2026, 8, 31), "IE")


@pytest.mark.parametrize(("alias", "code"), [("gb-sct", "SCT"), (" Scotland ", "SCT"), ("Northern  Ireland", "NIR")])
def test_region_aliases(alias, code):
    assert normalise_region(alias) == code


def test_unknown_region_is_refused(calendar):
    with pytest.raises(ValueError, match="ENG, WLS, SCT, NIR, IE"):
        calendar.is_holiday(dt.date(2026, 12, 25), "XYZ")


def test_names_and_year_listing(calendar):
    assert calendar.holiday_name(dt.date(2026, 8, 31), "ENG") == "Late Summer Bank Holiday"
    assert calendar.holiday_name(dt.date(2026, 8, 31), "SCT") is None
    listed = calendar.holidays_in("ENG", 2026)
    assert list(listed) == sorted(listed)
    assert len(listed) == 9
    assert all(day.year == 2026 for day in listed)


def test_holidays_are_loaded_once_per_region_and_year(calendar, monkeypatch):
    calls: list[tuple[str, str | None, int]] = []
    real = holidays.country_holidays

    def counting(country, subdiv=None, years=None):
        calls.append((country, subdiv, years))
        return real(country, subdiv=subdiv, years=years)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    for _ in range(3):
        calendar.is_holiday(dt.date(2026, 12, 25), "ENG")
        calendar.is_holiday(dt.date(2026, 5, 1), "GB-ENG")
    calendar.is_holiday(dt.date(2027, 1, 1), "ENG")
    calendar.is_holiday(dt.date(2026, 1, 1), "SCT")
    assert calls == [("GB", "ENG", 2026), ("GB", "ENG", 2027), ("GB", "SCT", 2026)]


def test_christmas_prompt_waits_for_the_first_working_day_after_the_bank_holidays(calendar):
    christmas_eve = utc(2026, 12, 24, 17, 30)  # after hours on Thursday
    assert next_send_time(christmas_eve, person(), calendar) == utc(2026, 12, 29, 9)


def test_late_summer_bank_holiday_england_against_scotland(calendar):
    monday_31_aug = utc(2026, 8, 31, 9)  # 10:00 BST
    assert next_send_time(monday_31_aug, person(region="ENG"), calendar) == utc(2026, 9, 1, 8)
    assert next_send_time(monday_31_aug, person(region="SCT"), calendar) == monday_31_aug
    monday_3_aug = utc(2026, 8, 3, 9)
    assert next_send_time(monday_3_aug, person(region="SCT"), calendar) == utc(2026, 8, 4, 8)
    assert next_send_time(monday_3_aug, person(region="ENG"), calendar) == monday_3_aug
