"""Classes found in issue 13's fourteenth round (the misses of holdout31 and holdout32 after each was scored once on
round 13's final code), tested in new wordings, not the sets' own.

Every positive case failed on round 13's code: a surname before "brothers" or "sisters"; two-part hyphenated first
names; a first name with a surname's initial; a name before a class code; a name with a post in business support; a
GP practice named after its area; a child's concern in one sentence not set aside as a training example because a
workshop is praised in another; a child asking that nobody be told, which the rules now hold; the author's own
"can't do this any more" beside talk of children. The negative cases guard the new rules.
"""

from __future__ import annotations

import pytest

from handlers.screen import Outcome, find_identifiers, screen
from handlers.screen_distress import shows_distress
from handlers.screen_risk import assess_risk


def found(text: str) -> list[str]:
    return [text[f.start : f.end] for f in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Core group for the Hunter sisters went well.", "Hunter"),
        ("Strategy discussion about the Baker brothers this morning.", "Baker"),
        ("the carer has been buying Summer-Rose sweets every visit", "Summer-Rose"),
        ("reception: Rose T came in crying again", "Rose T"),
        ("Poppy 2C told the TA she was hungry", "Poppy"),
        ("Sunny in business support sorted the chronology for me.", "Sunny"),
        ("Joint visit with the HV from Riverside Surgery.", "Riverside Surgery"),
    ],
)
def test_names_and_practices_in_these_shapes_are_found(text: str, name: str) -> None:
    assert name in found(text), found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Will I be able to join the next session?",
        "The boys were all at football training.",
        "Hope A grade is possible for the audit.",
    ],
)
def test_these_are_not_names(text: str) -> None:
    assert found(text) == []


def test_a_concern_beside_praise_for_a_workshop_is_not_a_training_example() -> None:
    text = (
        "Long day. Loved the CSPR workshop, the bit on curiosity landed. On the home visit Leo (6) whispered that "
        "daddy gets cross and then hid behind the sofa. Need to go back."
    )
    assert screen(text).outcome is Outcome.ASK


def test_the_next_line_of_a_case_study_is_still_a_training_example() -> None:
    text = "In the workshop we used a case study. A girl of 12 says her uncle hurts her. We talked about next steps."
    assert screen(text).outcome is not Outcome.HOLD


def test_a_child_asking_that_nobody_be_told_is_live_risk_to_the_rules() -> None:
    assert assess_risk("Kacper (14) asked me not to tell anyone he sleeps at his mate's most nights now").live_risk


def test_the_authors_own_cant_do_this_any_more_is_distress() -> None:
    assert screen("can't do this any more. two child deaths on the patch this year and we just carry on").distress


def test_a_parents_quoted_cant_do_this_any_more_is_not_the_authors_distress_to_the_rules() -> None:
    text = "Dad texted at 3am saying 'I can't do this any more, someone come and get them' - he has the twins alone."
    assert not shows_distress(text)
    assert screen(text).outcome is Outcome.HOLD
