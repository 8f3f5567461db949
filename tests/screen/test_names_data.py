"""Names from names-dataset and wordfreq (generated into handlers/screen_name_data.py): lower case, hyphenated and
uncommon names are found; ordinary words that are also names are not."""

from __future__ import annotations

import pytest

from handlers.screen import find_identifiers, screen
from handlers.screen_english_data import ENGLISH_WORDS
from handlers.screen_name_data import FIRST_NAMES_AT_START, FIRST_NAMES_IN_LOWER_CASE, SURNAMES_IN_LOWER_CASE


def names_in(text: str) -> list[str]:
    return [text[f.start : f.end] for f in find_identifiers(text) if f.kind.value == "name"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("i saw jayden at the clinic and his mum was there", "jayden"),
        ("spoke with kayleigh-ann about it after school", "kayleigh-ann"),
        ("Mary-Jane's mum came in on her own.", "Mary-Jane"),
        ("Oluwaseun said he was fine.", "Oluwaseun"),
        ("Zainab was quiet today.", "Zainab"),
        ("Kacper didn't come in this week.", "Kacper"),
        ("we met with sarah jones and her son", "sarah jones"),
        ("ryan smith attended the meeting", "ryan smith"),
    ],
)
def test_names_in_lower_case_hyphenated_or_uncommon_are_found(text, name):
    assert name in names_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Will the board agree to the plan?",
        "Hope is what keeps us going.",
        "the van was outside the house",
        "I used the kit and the chip reader",
        "I'd like a named contact in each practice.",
        "the lead said mark the date in your diary",
        "Summer holidays are hard for families.",
        "Young people told us the same thing.",
    ],
)
def test_ordinary_words_that_are_also_names_are_not_flagged(text):
    assert names_in(text) == []


def test_the_generated_lists_are_large_and_leave_out_ordinary_english_words():
    assert len(FIRST_NAMES_AT_START) > 5000
    assert len(SURNAMES_IN_LOWER_CASE) > 3000
    assert {"jayden", "kayleigh", "siobhan", "mohammed"} <= FIRST_NAMES_IN_LOWER_CASE
    assert not {"will", "hope", "young", "summer", "kit", "page"} & FIRST_NAMES_IN_LOWER_CASE


def test_the_brief_example_is_fully_redacted():
    result = screen("Standard used in Jayden Carter's case (14 Mill Lane, KM4 7QT, DOB 04/05/2012)")
    assert result.redacted == "Standard used in [name]'s case ([address], [postcode], DOB [date of birth])"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ayaan keeps falling asleep in class.", "Ayaan"),
        ("spoke to nevaeh at the drop-in about her mum", "nevaeh"),
        ("Jaxson's little sister was on her own at the door.", "Jaxson"),
        ("we saw oakley and his dad at clinic", "oakley"),
    ],
)
def test_rarer_names_many_children_have_now_are_found(text, name):
    """Names that rank in the thousands among adults (the dataset's counts) but are common among children."""
    assert name in names_in(text)


def test_the_rare_names_are_not_english_words():
    from handlers.screen_name_data import RARE_FIRST_NAMES

    assert len(RARE_FIRST_NAMES) > 20000
    assert not {"triage", "hostel", "paeds", "strat", "caseload", "referral", "nurse", "court"} & RARE_FIRST_NAMES


def test_the_ordinary_english_words_hold_no_listed_name_and_the_common_words_of_the_work() -> None:
    assert not ENGLISH_WORDS & (FIRST_NAMES_AT_START | FIRST_NAMES_IN_LOWER_CASE | SURNAMES_IN_LOWER_CASE)
    assert {"feedback", "support", "advice", "brought", "attend"} <= ENGLISH_WORDS
    assert not {"jayden", "kacper", "oluwaseun", "zainab"} & ENGLISH_WORDS
