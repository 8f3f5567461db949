"""Identifier classes found on the development sets (issue 13, fifth to tenth rounds), in new wordings.

Every positive case failed on the code before these rounds (lower-case and police titles, handles, nicknames,
ordinary-word surnames before "children", listed surnames opening a sentence, initials after a family title, house
numbers, courts, named centres and houses, word-names in person contexts); the negative cases guard against the false
alarms the new rules could bring (places abroad, "Reg of the car", "I hope that", "Operation Linden").
"""

from __future__ import annotations

import pytest

from handlers.screen import find_identifiers, redact, screen


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind.value, text[f.start : f.end]) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("saw mrs achterberg at the gate this morning", "mrs achterberg"),
        ("mr. lindqvist said the lad was fine", "mr. lindqvist"),
        ("PS Ainsworth took the first account.", "PS Ainsworth"),
        ("Imam Yusuf came to the meeting with the family.", "Imam Yusuf"),
        ("the Fox children were at the door again", "Fox"),
        ("Pemberton rang me back after the visit.", "Pemberton"),
        ("the boy known as 'Spider' was at the flat", "Spider"),
        ("Kez (Kerry-Ann) left the unit at 9.", "Kez"),
        ("she's been staying at Auntie J's since Friday", "J"),
        ("two children seen at no. 14 on their own", "no. 14"),
        ("last seen near Alder Court with the older lads", "Alder Court"),
        ("he's been going to the Hollybrook Centre instead of school", "Hollybrook Centre"),
        ("the 15yo we discussed (Rose) turned up at reception", "Rose"),
        ("Will's nan rang the office twice today.", "Will"),
        ("kacper's mum says kacper hasn't slept at home", "kacper"),
        ("saw the lad outside 41 sparrow grove again tonight", "41 sparrow grove"),
        ("the car was parked on wensley road with the engine running", "wensley road"),
        ("noise from the flat above (flat 6) most nights", "flat 6"),
        ("Older sister Daisy-Mae hasn't been at school since Monday", "Daisy-Mae"),
        ("faith told the dinner lady her stepdad locks her in", "faith"),
        ("Shout out to Holly on our team for the late visit", "Holly"),
        ("Grace was really withdrawn in maths this morning", "Grace"),
        ("Court tomorrow for the Bishop kids, interim order expected", "Bishop"),
        ("the strategy meeting on Thursday 14th agreed a s47", "Thursday 14th"),
        ("the night staff at Bramble House said she came in at 3am", "Bramble House"),
        ("she's been going to a party at someone called KJ's flat", "KJ"),
        ("they found him on the Meadow Bank Estate with older lads", "Meadow Bank Estate"),
        ("Thanks all. Ruth, the independent chair, kept it calm.", "Ruth"),
    ],
)
def test_a_name_or_place_of_this_class_is_caught(text: str, span: str) -> None:
    assert any(s == span or span in s for _, s in found(text)), found(text)


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("he messages her as x_darkangel_x on snap", "x_darkangel_x"),
        ("someone called @bigmanz.07 keeps adding year 8s", "@bigmanz.07"),
        ("his gamertag is N1ghtOwl and he plays till 3am", "N1ghtOwl"),
        ("her snap name is kaylzzx and it's public", "kaylzzx"),
    ],
)
def test_a_social_media_handle_is_redacted_as_a_username(text: str, handle: str) -> None:
    assert ("social_media_handle", handle) in found(text), found(text)
    assert "[username]" in redact(text, find_identifiers(text))


@pytest.mark.parametrize(
    "text",
    [
        "the @here mention in the channel went to everyone",
        "his snap was scarily realistic in the training video",
        "her insta is private so we couldn't see anything",
        "Reg of the van was partly covered in mud.",
        "They flew back to Sylhet for the wedding in the summer holidays.",
        "I read the plan to her and I hope that helped.",
        "The Polish family liaison officer was brilliant.",
        "Got home late. Sat in the car for a bit. Caseload is 31 now.",
        "We covered Re B and the Prevent duty in the legal session.",
        "the custody hearing is at the Crown Court next week",
        "the child's case (2019) was reviewed at the panel",
        "Historic exploitation case (Operation Linden) discussed in the team meeting today.",
        "Attended Court in Leeds for the final hearing, which went as expected.",
        "Good talk from Women's Aid on coercive control at the briefing.",
        "We offered a Tigrinya interpreter and the Chrome browser kept crashing.",
    ],
)
def test_an_ordinary_word_place_or_year_is_not_an_identifier(text: str) -> None:
    assert found(text) == [], found(text)


@pytest.mark.parametrize(
    "text",
    [
        # The author's own distress used to lower these asks to storage: no word like "child" was in the text.
        "Kai in Y9 showed me a burn on his arm at break and said his stepdad did it when he was late home. "
        "I logged it but haven't slept and I feel sick thinking about him going home tonight.",
        "Keeley (15, CP) posted a story on insta from a hotel in Leeds with an older man, captioned 'my man'. She's "
        "meant to be at her aunt's. Her worker is on leave. I only just saw it, it's 10pm.",
    ],
)
def test_an_upset_author_does_not_file_away_a_child_at_risk_now(text: str) -> None:
    assert screen(text).outcome.value in ("hold", "ask")


@pytest.mark.parametrize(
    "text",
    [
        "the weekends don't feel like rest any more, just a gap between weeks",
        "It's the first time in years I've thought about what else I could do. I used to love this.",
        "does anyone else feel sick every Sunday night? that's most weeks for me",
        "just need someone to tell me I did the right thing today",
    ],
)
def test_distress_written_without_a_feeling_word_is_noticed(text: str) -> None:
    assert screen(text).distress
