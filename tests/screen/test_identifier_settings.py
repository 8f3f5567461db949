"""Identifier classes missed or over-flagged on holdout10 (issue 13, fourth round), in new wordings.

Settings a child is looked after or taught in (nurseries, schools, children's homes), vehicle registrations, first
names that are ordinary words in a person's context; and words that are not anyone's name: rulings and reports named
after people ("Gillick competent", "the Laming report"), children named in national reviews, titles of works, adverbs
opening a sentence, role nouns ("Source says") and surname particles on their own ("Van was let go").
"""

from __future__ import annotations

import pytest

from handlers.screen import find_identifiers, redact


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind.value, text[f.start : f.end]) for f in find_identifiers(text)]


def covers(text: str, span: str) -> bool:
    """A finding overlaps the span (how the score counts a caught identifier)."""
    start = text.index(span)
    end = start + len(span)
    return any(f.start < end and start < f.end for f in find_identifiers(text))


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("She started at Sunshine Days nursery in September.", "Sunshine Days"),
        ("The manager of Busy Bees nursery rang me back.", "Busy Bees"),
        ("Staff at the nursery at Little Stars noticed the bruise.", "Little Stars"),
        ("He's at Tiny Steps pre-school three mornings a week.", "Tiny Steps"),
        ("He was placed at Meadowbank children's home last month.", "Meadowbank"),
        ("She has been at Willow Lodge children's home since the spring.", "Willow Lodge"),
        ("The children's home called Beech House rang about the missing episode.", "Beech House"),
        ("They both go to St Joseph's and are in year 5.", "St Joseph's"),
        ("She moved to Hillcrest Academy last year.", "Hillcrest Academy"),
        ("He is at Oakfield Primary and doing well.", "Oakfield Primary"),
        ("She was picked up from Little Acorns by her nan, the nursery said.", "Little Acorns"),
        ("Staff at Rainbow Tots said she was hungry again at nursery.", "Rainbow Tots"),
    ],
)
def test_a_setting_name_is_caught(text: str, span: str) -> None:
    assert covers(text, span), found(text)
    assert ("school", span) in found(text) or any(span in s for _, s in found(text))


@pytest.mark.parametrize(
    "text",
    [
        "We go to nursery on Tuesday and to school at Christmas.",
        "The school nurse and the Early Years team met at the children's home.",
        "The Early Help unit and the Mental Health unit shared the plan.",
        "Maths school is on Saturdays now.",
        "She was moved to the Mental Health Crisis unit, then the Mother and Baby unit.",
    ],
)
def test_an_ordinary_setting_word_is_not_a_name(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Picked up from Jayden Carter's house after school.", ["Jayden Carter"]),
        ("She was at Mrs Ellis's after school.", ["Mrs Ellis"]),
    ],
)
def test_a_person_after_at_or_from_stays_a_name(text: str, names: list[str]) -> None:
    assert [s for k, s in found(text) if k == "name"] == names
    assert not [s for k, s in found(text) if k == "school"]


def test_a_shop_after_at_is_not_a_setting() -> None:
    assert found("We met at Costa Coffee after school.") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("A silver Golf, reg KX68 TYP, was seen outside the school.", "KX68 TYP"),
        ("She got into a car with registration YD16 ZRT at the gates.", "YD16 ZRT"),
        ("Partial plate started with YD16, a black hatchback.", "YD16"),
        ("Last seen getting into a van, partial reg LK19, near the park.", "LK19"),
        ("car reg AB12CDE outside the flat again", "AB12CDE"),
    ],
)
def test_a_vehicle_registration_is_caught(text: str, span: str) -> None:
    assert ("vehicle_registration", span) in found(text), found(text)
    assert "[vehicle registration]" in redact(text, find_identifiers(text))


@pytest.mark.parametrize(
    "text",
    [
        "He was in year 6 and in Y10 by the time of the review.",
        "I drove up the A1 in my car, then the M62 home.",
        "The car was parked in the drive at 3pm.",
    ],
)
def test_roads_and_school_years_are_not_registrations(text: str) -> None:
    assert not [k for k, _ in found(text) if k == "vehicle_registration"], found(text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("A 6 yr old Will was seen with a second burn.", "Will"),
        ("The 9-year-old Ruby was found in the park.", "Ruby"),
        ("Thanks, Grace, for picking this up.", "Grace"),
        ("I will ask Summer about it tomorrow.", "Summer"),
        ("we sat with Hope and Kyle in the lounge.", "Hope"),
        ("Joy's mum rang me twice.", "Joy"),
        ("Mum called Dawn to say sorry.", "Dawn"),
        ("Precious wants to go home to her nan.", "Precious"),
        ("Honor refused to go into school.", "Honor"),
        ("I was with Jayden and Precious at the park.", "Precious"),
    ],
)
def test_a_word_name_in_a_person_context_is_caught(text: str, span: str) -> None:
    assert ("name", span) in found(text), found(text)


def test_a_name_shown_once_is_a_name_again_before_a_person_verb() -> None:
    text = "Precious (11) is caring for the baby again. Precious asked me not to tell anyone."
    assert [s for k, s in found(text) if k == "name"] == ["Precious", "Precious"]


@pytest.mark.parametrize(
    "text",
    [
        "Will it help? I will see. Grace is a value we hold here.",
        "We sat with hope and compassion.",
        "Hi Team, a quick one about the rota.",
        "Patience ran out with the school. Precious little has changed.",
    ],
)
def test_an_ordinary_word_without_a_person_context_is_not_a_name(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "If she is Gillick competent we think about the Fraser guidelines before sharing.",
        "A fictional case about an STI: we talked through indicators, Fraser and when to share.",
        "Under Gillick, she could consent to the treatment.",
        "We used the Caldicott principles and the Bichard recommendations.",
        "The Laming report, the Munro review, the Wood report and the Jay report all say this.",
        "Lord Laming said it best after Victoria Climbié; Baby P came later.",
        "Year 11 are doing An Inspector Calls and a student wrote about it.",
        "Eventually said his dad was cross. Obviously we were worried.",
        "Source says the party is on Saturday. Witness said she ran. Victim says she left.",
        "Traffic stop, a van with six lads in. Van was let go after checks.",
    ],
)
def test_rulings_reports_works_and_sentence_words_are_not_names(text: str) -> None:
    assert [s for k, s in found(text) if k == "name"] == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Mr Munro rang the office about his son.", ["Mr Munro"]),
        ("Fraser said he was scared to go home.", ["Fraser"]),
        ("Apparently Kyle had left before we arrived.", ["Kyle"]),
        ("Met with A Khan and J Smith today.", ["Khan", "J Smith"]),  # "A" alone may be the article
        ("Virgil van Dijk and Mr de Souza were at the door.", ["Virgil van Dijk", "de Souza"]),
    ],
)
def test_a_person_with_such_a_name_is_still_caught(text: str, names: list[str]) -> None:
    assert [s for k, s in found(text) if k == "name"] == names
