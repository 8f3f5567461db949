"""The general live-risk and distress rules (handlers/screen_risk_general.py, screen_distress_general.py).

Sentences written while developing the rules, in wordings not in the corpus files: each checks one thing the rules
are meant to generalise over (a child + a harm + now; the author + an emotional state), or one of the things that
must stop them (historic, framing, hypothetical, completed, someone else's feelings).
"""

from __future__ import annotations

import pytest

from handlers.screen import screen
from handlers.screen_distress_general import general_distress
from handlers.screen_risk_general import general_risk_position


@pytest.mark.parametrize(
    "text",
    [
        "The toddler is being fed only crisps and fizzy drinks and has rotten teeth that nobody is treating.",
        "The girl's grandad collects her from school and she's begged her teacher not to let him.",
        "The baby has been left with the mum's friend for days and nobody knows where mum is.",
        "He's sleeping at a different address every night and won't say whose.",
        "He turns up at the youth club starving and says there's nothing in the fridge.",
        "The girl is being passed around by men at parties and thinks one of them is her boyfriend.",
        "Her stepmum makes her eat her dinner on the floor with the dog.",
        "I've just had a call from the hospital: the infant has bleeding on the brain and dad's story doesn't add up.",
        "He's eight and he's cooking for his little sisters because mum is in bed all day.",
        "Missing x4 this month. Last seen getting into a black Audi with older males.",
        "14yo male, found with £800 and 2 phones, won't say where from.",
        "Good meeting overall. My only worry is the little boy next door: he's out on the street until midnight.",
    ],
)
def test_live_risk_in_unseen_wording_is_flagged(text):
    assert screen(text).live_risk


@pytest.mark.parametrize(
    "text",
    [
        "He was hit by his stepdad when he was little, which is part of why he finds trust so hard now.",
        "I keep thinking about how the baby's bruises were explained away by three different professionals.",
        "She is doing much better now and her bruises have long healed.",
        "Every child who comes through A&E with an injury now gets a safeguarding check.",
        "The police officer explained how they decide whether a child is at risk of significant harm.",
        "A teenager in that situation can be both a victim and someone who causes harm.",
        "The man who abused the children in the review is now in prison.",
        "Schools tell us that children are going hungry in the holidays.",
        "We've agreed a new escalation route for when health and social care disagree about a baby's injuries.",
        "Exploitation is still too often seen as a police problem rather than everyone's.",
    ],
)
def test_historic_framed_general_or_completed_text_is_not_live_risk(text):
    assert not screen(text).live_risk


def test_the_general_rule_points_at_the_harm_word():
    sentence = "the lad has money he can't explain and goes quiet when we ask about the older boys."
    position = general_risk_position(sentence)
    assert position is not None
    assert sentence[position:].startswith("older boys")


def test_a_past_relative_clause_in_a_sentence_about_now_still_counts():
    assert general_risk_position("he is still going to the house where he was exploited.") is not None
    assert general_risk_position("he went to the house where he was exploited.") is None


@pytest.mark.parametrize(
    "text",
    [
        "I dread Monday mornings now and I can feel my heart racing in the car park.",
        "Honestly I feel like a shell of myself since that case.",
        "I keep waking up convinced I've missed something.",
        "My hands haven't stopped shaking since I read the findings.",
        "I've cancelled plans with friends for weeks because I'm too wiped out.",
        "I'm angry all the time and I don't like who I'm becoming.",
        "I've lost my appetite and I've been having the same dream for weeks.",
        "Going back on that estate fills me with dread.",
    ],
)
def test_distress_in_unseen_wording_is_flagged(text):
    assert screen(text).distress


@pytest.mark.parametrize(
    "text",
    [
        "I was anxious before the panel but it went well and I feel clearer now.",
        "My colleague was in tears after the panel, so I stayed with her.",
        "The young person told me she can't sleep because of the nightmares.",
        "I've been reflecting on how tired families are when we ask them to attend so many meetings.",
        "I used to get upset after every conference but I've learned to look after myself.",
        "I'm scared for this little girl and what happens when she goes home.",
        "I'm not overwhelmed; the workload is fine this term.",
    ],
)
def test_someone_elses_past_or_resolved_feelings_are_not_distress(text):
    assert not screen(text).distress


def test_general_distress_needs_the_author_as_the_nearest_person():
    assert general_distress("my chest goes tight every time i open my inbox.")
    assert not general_distress("the mother said she felt numb when the police arrived.")
