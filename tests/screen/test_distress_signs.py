"""Distress written as bodily and behavioural signs, without a feeling word (issue 13, step 1).

The sentences here are new wordings, not copied from the corpora: the rule should read the class (sleep, heart,
tears, avoidance, drinking, dreams, sick leave, not eating, shaking, quitting), in the first person or with no
subject, and leave alone the same signs in a child, a parent or a colleague, and ordinary tiredness.
"""

from __future__ import annotations

import pytest

from handlers.screen import screen
from handlers.screen_distress_signs import shows_distress_signs

AUTHOR_SIGNS = [
    "Most nights I'm awake at 3am going over the strategy meeting.",
    "woke up at 5 again with my heart pounding",
    "Every time Teams pings my stomach drops.",
    "I've been sitting in the car outside the office for twenty minutes every morning before I can go in.",
    "Had a little cry in the staff toilets after the panel.",
    "I can't bring myself to open my inbox on a Monday.",
    "I dread picking up the work phone now.",
    "Drinking more than I should since the inquest, if I'm honest.",
    "I keep dreaming about that flat.",
    "Signed off for a fortnight by my GP.",
    "Haven't really been eating properly since the verdict.",
    "My hands were shaking all the way through the panel.",
    "I avoid the office on the days the review group meets.",
    "Thinking of packing it in, I don't see the point any more.",
    "I jump every time my mobile goes, and I'm up at 4am most days.",
]
NOT_THE_AUTHOR = [
    "Mum told me she lies awake at 3am worrying about the rent.",
    "The baby wakes at 5 every morning and dad has been drinking more.",
    "He cried in the car on the way back from contact, which is understandable.",
    "Her hands were shaking when she described the night the police came.",
    "The teenager has stopped answering calls and isn't eating, the school say.",
    "Dad says he dreams about the accident and won't drive down that road.",
    "Our newly qualified worker was signed off after the inquest and the team rallied round.",
    "Staff told us they dread the phone ringing on a Friday afternoon.",
]
ORDINARY = [
    "Long day, tired, but the family meeting went well.",
    "I was tired after the training but it was worth it.",
    "I used to sit in the car crying after visits, but supervision helped and I'm fine now.",
    "I've never been signed off, and the team has been good to me.",
    "We discussed what to do when a parent stops answering the phone.",
    "The review says staff should not be afraid to check emails out of hours for urgent referrals.",
]


@pytest.mark.parametrize("text", AUTHOR_SIGNS)
def test_signs_of_the_author_not_coping_count_as_distress(text: str) -> None:
    assert shows_distress_signs(text)
    assert screen(text).distress


@pytest.mark.parametrize("text", NOT_THE_AUTHOR + ORDINARY)
def test_the_same_signs_in_someone_else_or_ordinary_tiredness_do_not(text: str) -> None:
    assert not shows_distress_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "I jump every time the doorbell goes now.",
        "I've been off for six weeks with stress.",
        "My GP has put me on sertraline.",
        "I keep cancelling plans with friends.",
    ],
)
def test_more_signs_of_the_author_not_coping(text: str) -> None:
    assert shows_distress_signs(text)


@pytest.mark.parametrize(
    "text",
    [
        "I sat in the car outside the house for an hour waiting for police to arrive.",
        "I was up at 5am to catch the early train to the conference.",
        "I'm off for two weeks from Monday on annual leave.",
        "I stopped answering calls after 6pm as the policy says.",
        "I drink more water now that we have the new cooler.",
        "I lost a stone on the diet and feel great.",
    ],
)
def test_a_sign_with_an_ordinary_purpose_or_a_good_outcome_is_not_distress(text: str) -> None:
    assert not shows_distress_signs(text)
