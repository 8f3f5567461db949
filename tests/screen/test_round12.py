"""Classes found in issue 13's twelfth round (holdout22, dev26 to dev28, and the misses of holdout25, holdout26 and
holdout28 after each was scored once), tested in new wordings.

Most positive cases failed on the code before the round (a few already passed and stay as guards): word-names in a
person's context, a child's class, short names and initials, lower-case titles, bed and plot numbers, Welsh schools,
plate letters; the author's numbness, time off, "can't face", rumination; suicidal intent without the word; an
unacted concern beside the author's distress. The negative cases guard the new rules: ordinary English words opening a
sentence, rooms, roles, dialect, a review's labels, someone else's quoted words, the author's own plans.
"""

from __future__ import annotations

import pytest

from handlers.screen import find_identifiers, screen
from handlers.screen_distress_signs import shows_distress_signs
from handlers.screen_risk import assess_risk


def found(text: str) -> list[str]:
    return [text[f.start : f.end] for f in find_identifiers(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Honestly I don't feel anything when I read the chronologies now.",
        "feeling nothing at all after the inquest, just going through the day",
        "I've been off for a while with anxiety and I'm only just back.",
        "Easing myself back in after a few weeks away, please bear with me.",
        "Can't face the team meeting tomorrow.",
        "I can't face another visit to that house.",
        "I've reread that one sentence in the report probably 200 times.",
        "I can't go into Tesco without thinking people are staring at me.",
        "I'd rather stack shelves than go through another review like that.",
    ],
)
def test_the_authors_numbness_time_off_rumination_or_feeling_watched_is_distress(text: str) -> None:
    assert shows_distress_signs(text)
    assert screen(text).distress


@pytest.mark.parametrize(
    "text",
    [
        "Mum said 'I don't feel anything for him' and looked away.",
        'Dad told me "I can\'t sleep since the police came" and asked for help.',
        "The young person said: 'I've been off school with stress for weeks'.",
        "She said she can't face going to school tomorrow.",
    ],
)
def test_someone_elses_quoted_words_are_not_the_authors_distress(text: str) -> None:
    assert not shows_distress_signs(text)


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("Met Jordan at the hub today.", "Met [name] at the hub today."),
        ("Rang Priya back about the plan.", "Rang [name] back about the plan."),
        ("Visited Amelia Nowak and her mum.", "Visited [name] and her mum."),
    ],
)
def test_a_verb_opening_the_sentence_is_kept_when_the_name_after_it_is_redacted(text: str, redacted: str) -> None:
    assert screen(text).redacted == redacted


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("nurse amy did the weigh-in and baby had dropped a centile.", "amy"),
        ("pc ward attended and took the first account.", "ward"),
        ("auntie jacinta has been having him at weekends.", "jacinta"),
        ("TJ and AJ were seen getting into a car outside the chippy.", "TJ"),
        ("TJ and AJ were seen getting into a car outside the chippy.", "AJ"),
        ("jo from early help is picking this up.", "jo"),
        ("Ty said he didn't want to go home.", "Ty"),
        ("supervision with al today was really useful", "al"),
    ],
)
def test_short_names_initials_and_lower_case_titles_are_caught(text: str, span: str) -> None:
    assert span in found(text), found(text)


def test_an_unacted_concern_keeps_its_question_however_upset_its_author_is() -> None:
    text = (
        "cant stop thinking about the little one at the flat. nappy looked like it hadnt been changed since "
        "yesterday. raised it with my TM and she said we've no capacity for another s47 this week. I'm lying awake "
        "with it every night"
    )
    assert screen(text).outcome != "store"


def test_the_letters_a_plate_ends_with_are_a_registration() -> None:
    text = "the taxi keeps waiting outside after, reg ends in XLT. will mention it at briefing"
    assert ("vehicle_registration", "XLT") in [(f.kind.value, text[f.start : f.end]) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Kai just texted me 'dont think ill be around much longer tbh'. he's 16. not answering now, out of hours",
        "she messaged the group to say everyone would be better off without her",
        "he said there's no point in being here anymore and went quiet",
    ],
)
def test_suicidal_intent_without_the_word_reaches_its_author(text: str) -> None:
    assert screen(text).outcome != "store"


@pytest.mark.parametrize(
    "text",
    ["I won't be around next week, I'm on leave.", "I won't be around much longer in this job, notice is in."],
)
def test_the_authors_own_plans_are_not_read_as_suicidal_intent(text: str) -> None:
    assert not assess_risk(text).live_risk


# Every class of name, place, date and plate the round added, in new wordings (caught when a finding holds the span).
CAUGHT = [
    ("Talked to Hope about the move and she seemed relieved.", "Hope"),
    ("I spoke to Will about it today.", "Will"),
    ("Joy on reception spotted him waiting outside again.", "Joy"),
    ("Will on the gate said the car came back at half three.", "Will"),
    ("sunny in 3C came in with the same bruise on her arm", "sunny"),
    ("Ivy (nursery) was collected by someone we did not know.", "Ivy"),
    ("Grace from 5R has been very quiet since half term.", "Grace"),
    ("Mo has been missing from school since Tuesday.", "Mo"),
    ("We did the joint visit on the 9th together and agreed the plan.", "the 9th"),
    ("the car was a black audi, plate something like KT19.", "KT19"),
    ("she's in bed 12 on ward 30 since Friday", "bed 12"),
    ("moved to bay 4 overnight after the scan", "bay 4"),
    ("the family on plot 4 at the site have a new baby", "plot 4"),
    ("room 14 at the home has had the window screwed shut", "room 14"),
    ("Brook told me in the car that she is scared to go home.", "Brook"),
    ("Dawn from the contact centre said the visit went well.", "Dawn"),
    ("Mark from the pharmacy rang about the paracetamol.", "Mark"),
    ("Jo from attendance has rung the home three times.", "Jo"),
    ("Her uncle T picks her up, and Uncle T's flat is where she stays.", "T"),
    ("Ghost was spotted again outside the chicken shop.", "Ghost"),
    ("Honey is 3 and her brother is 5.", "Honey"),
    ("josh rang me at 9pm from a number I don't know.", "josh"),
    ("mo keeps asking if he can stay behind after school.", "mo"),
    ("Grace in nursery told the TA her daddy shouts at night.", "Grace"),
    ("After Kyrie's stabbing the whole estate changed.", "Kyrie"),
    ("the 15yo in the Haddon placement has a new older friend", "Haddon"),
    ("Thanks to the Year 6 team at Ysgol Gymraeg Bryn Derw for the posters.", "Ysgol Gymraeg Bryn Derw"),
    ("grace in Y3 said she can't go home tonight", "grace"),
    ("third visit this week to the Dunn house and the baby still has that rash", "Dunn"),
    ("someone called TJ keeps messaging her", "TJ"),
]


@pytest.mark.parametrize(("text", "span"), CAUGHT)
def test_an_identifier_of_the_twelfth_rounds_classes_is_caught(text: str, span: str) -> None:
    spans = found(text)
    assert any(span in s for s in spans), spans


# Ordinary words, rooms, roles, dialect and a review's labels in the same places: never an identifier.
NOT_IDENTIFIERS = [
    "NQ YJ worker here. She went missing from resi again last night.",
    "Training on reception procedures went well.",
    "Focus on the gate rota for next term.",
    "We moved the class 3 trip to the summer term.",
    "I will speak to the DSL in the morning.",
    "Hope this helps the team think about drift.",
    "the DJ at the party was an adult.",
    "give me a mo and I'll ring back",
    "the pc attended and was great",
    "nan said she would pick him up",
    "the nurse said baby was thriving",
    "we met in meeting room 3 for the strat",
    "he spent 4 hours in a room 2 metres wide",
    "Feedback from the team was great.",
    "Support from the hub has been brilliant.",
    "Advice from the clinic was clear.",
    "Trainer said treat it as exploitation until shown otherwise.",
    "Reflective bit: Was Not Brought, not Did Not Attend.",
    "Brook's traffic light tool was useful in the training.",
    "his Snap is private and so is his Insta",
    "Child T's mother is called Ms K in the report.",
    "We work with the Salvation Army and Language Line.",
    "Our action: a named HV for every family on a CP or CIN plan.",
    "Aye, what I'll do differently: see the weans myself.",
    "Wee reflection from me about the weans.",
    "in with abdo pain, obs stable, seen by paeds",
    "Posters for Anti-Bullying Week are up in the hall.",
]


@pytest.mark.parametrize("text", NOT_IDENTIFIERS)
def test_ordinary_words_in_those_places_are_not_identifiers(text: str) -> None:
    assert found(text) == []
