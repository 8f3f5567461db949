"""Classes found in issue 13's thirteenth round (the misses of holdout29 and holdout30 after each was scored once on
the final code of round 12), tested in new wordings, not the sets' own.

Every positive case but two failed on the code before the round: initials before a surname, a family title in lower
case before a word-name, a lower-case full name, a word-name messaged or set off by commas after a school year, a
lower-case word-name's possessive before a quoted relative, a named GP practice; a child's quoted words about dying
(the note in an exercise book had been read as a training exercise); the author contemplating leaving, drinking most
nights, wanting work away from children, making decisions they are not proud of, being wiped out. A pupil absent for
days with nobody answering and a texted "i just want to die" already reached the author and stay as guards. The
negative cases guard the new rules.
"""

from __future__ import annotations

import pytest

from handlers.screen import Outcome, find_identifiers, screen


def found(text: str) -> list[str]:
    return [text[f.start : f.end] for f in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Handed over to the new worker, T. Okonkwo-Reid, on Friday.", "T. Okonkwo-Reid"),
        ("Chased A.M. Pritchard for the minutes again.", "A.M. Pritchard"),
        ("DC L Marsden took the statement this afternoon.", "L Marsden"),
        ("spoke to PC R Hughes today", "R Hughes"),
        ("he said his uncle jack sleeps over most weekends", "jack"),
        ("auntie rose has the baby again this week", "rose"),
        ("rose pritchard asked if she could stay at mine tonight", "rose pritchard"),
        ("the coach keeps messaging Will after training.", "Will"),
        ("one of my Y4s, Will, has been coming in hungry", "Will"),
        ("lad in my yr 10s, Brook, keeps asking to stay late", "Brook"),
        ("faith's new 'stepdad' collects her now", "faith"),
    ],
)
def test_names_in_these_shapes_are_found(text: str, name: str) -> None:
    assert name in found(text), found(text)


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("Mum is registered at Millbrook Surgery.", "Mum is registered at [GP practice]."),
        ("The HV at Ashgrove Medical Centre rang me.", "The HV at [GP practice] rang me."),
        ("Seen at Tanyard Health Centre yesterday.", "Seen at [GP practice] yesterday."),
    ],
)
def test_a_named_gp_practice_is_redacted(text: str, redacted: str) -> None:
    assert screen(text).redacted == redacted


@pytest.mark.parametrize(
    "text",
    [
        "We are in group C. Tomorrow we present the audit.",
        "Ms K said the plan was agreed; Child T. Mum attended.",
        "I will ask. I Think it went well.",
        "uncle will pick him up from contact on Friday",
        "The day surgery unit was closed.",
        "Booked her into Day Surgery for next week.",
    ],
)
def test_these_are_not_names_or_practices(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "found a note in Kian's exercise book saying 'I want to die'. he's 10",
        'she texted me "i just want to die tbh" at 11pm',
        "pupil absent for 7 days, no contact from home, EWO went round and nobody answered",
    ],
)
def test_a_child_at_risk_now_reaches_the_author(text: str) -> None:
    assert screen(text).outcome in (Outcome.HOLD, Outcome.ASK)


@pytest.mark.parametrize(
    "text",
    [
        "Used the exercise from the training with the team; everyone joined in.",
        "Pupils were absent for two days with the flu in March; all back now and fine.",
    ],
)
def test_ordinary_texts_with_the_new_words_are_stored(text: str) -> None:
    assert screen(text).outcome is Outcome.STORE


@pytest.mark.parametrize(
    "text",
    [
        "genuinely contemplating leaving, the weight of it",
        "4 glasses most nights now",
        "applied for a desk job, anything without children in it",
        "too many nights in a row, I'm making calls I'm not proud of",
        "so wiped by thursday",
    ],
)
def test_the_authors_own_struggle_is_distress(text: str) -> None:
    assert screen(text).distress


@pytest.mark.parametrize(
    "text",
    [
        "The family are considering leaving the area.",
        "Felt proud of the team after the audit.",
    ],
)
def test_others_plans_and_pride_are_not_distress(text: str) -> None:
    assert not screen(text).distress
