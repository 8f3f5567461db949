"""Unit tests for the reflection screen: NHS check digit, redaction, merging, JSON shape, flags and speed."""

from __future__ import annotations

import json
import logging

import pydantic
import pytest

from handlers.screen import Finding, IdentifierKind, ScreenResult, merge, redact, screen
from handlers.screen_patterns import nhs_check_digit_ok


@pytest.mark.parametrize(
    ("digits", "ok"),
    [
        ("9434765919", True),  # the example number in NHS documentation
        ("4010232137", True),
        ("9999139094", True),
        ("9434765918", False),  # last digit changed
        ("9434765030", False),  # the first nine digits give a check value of 10: never issued
        ("943476591", False),  # nine digits
        ("94347659190", False),  # eleven digits
        ("943 476 5919", False),  # the check takes bare digits
    ],
)
def test_nhs_check_digit(digits, ok):
    assert nhs_check_digit_ok(digits) is ok


@pytest.mark.parametrize("number", ["943 476 5919", "943-476-5919", "9434765919"])
def test_valid_nhs_number_is_found_in_any_spacing(number):
    text = f"It was {number} on the letter."
    (finding,) = screen(text).identifiers
    assert finding.kind is IdentifierKind.NHS_NUMBER
    assert text[finding.start : finding.end] == number


def test_ten_digits_with_a_bad_check_digit_are_left_alone_unless_called_an_nhs_number():
    assert screen("The figure 9434765918 appeared twice.").identifiers == ()
    (finding,) = screen("Her NHS number 9434765918 was typed wrong.").identifiers
    assert finding.kind is IdentifierKind.NHS_NUMBER


def test_ten_digits_starting_with_zero_are_a_phone_number():
    (finding,) = screen("Call 0163296055 after six.").identifiers
    assert finding.kind is IdentifierKind.PHONE


def test_redaction_uses_one_placeholder_per_kind():
    text = (
        "Mrs Doyle (DOB 04/07/2016) lives at 14 Elm Grove, LS11 7HN. NHS 943 476 5919, call 07700 900123 or "
        "mail kd@example.com. Crime ref CR/12345/26. She attends Oakfield Primary. Seen on 3rd March 2025."
    )
    # "Mrs Doyle" (a name) overlaps the never-store term "Doyle": one finding, the listed kind wins.
    assert screen(text, never_store=["Doyle"]).redacted == (
        "[removed] (DOB [date of birth]) lives at [address], [postcode]. NHS [NHS number], call [phone] or "
        "mail [email]. Crime ref [reference]. She attends [school]. Seen on [date]."
    )


def test_redaction_without_findings_returns_the_text_unchanged():
    text = "We agreed to write down what we saw, not what we were told."
    result = screen(text)
    assert result.identifiers == ()
    assert result.redacted == text


def test_merge_joins_overlapping_spans_and_keeps_the_stronger_kind():
    spans = [
        (IdentifierKind.NAME, 0, 5),
        (IdentifierKind.ADDRESS, 3, 12),
        (IdentifierKind.NAME, 20, 25),
        (IdentifierKind.LISTED_TERM, 22, 24),
    ]
    assert merge(spans) == (
        Finding(kind=IdentifierKind.ADDRESS, start=0, end=12),
        Finding(kind=IdentifierKind.LISTED_TERM, start=20, end=25),
    )


def test_merge_keeps_touching_spans_apart():
    spans = [(IdentifierKind.NAME, 0, 5), (IdentifierKind.NAME, 5, 9)]
    assert len(merge(spans)) == 2


def test_never_store_term_overlapping_a_street_becomes_one_listed_finding():
    text = "Most referrals from the estate off Marsh Lane come through the police."
    (finding,) = screen(text, never_store=["Marsh Lane"]).identifiers
    assert finding.kind is IdentifierKind.LISTED_TERM
    assert text[finding.start : finding.end] == "Marsh Lane"


def test_redact_handles_findings_in_any_order():
    text = "abc def ghi"
    findings = [Finding(kind=IdentifierKind.NAME, start=8, end=11), Finding(kind=IdentifierKind.EMAIL, start=0, end=3)]
    assert redact(text, findings) == "[email] def [name]"


def test_as_json_has_exactly_the_contract_shape():
    result = screen("I emailed kerry@example.com about it.")
    data = result.as_json()
    assert set(data) == {"identifiers", "live_risk", "distress", "redacted", "outcome"}
    assert data["outcome"] == "store"
    assert data["identifiers"] == [{"kind": "email", "start": 10, "end": 27}]
    assert type(data["identifiers"][0]["kind"]) is str
    assert data["live_risk"] is False
    assert data["distress"] is False
    assert data["redacted"] == "I emailed [email] about it."
    assert json.loads(json.dumps(data)) == data


def test_result_is_frozen():
    result = screen("Nothing here.")
    with pytest.raises(pydantic.ValidationError):
        result.live_risk = True  # type: ignore[misc]
    assert isinstance(result, ScreenResult)


def test_never_store_matches_any_case_and_plural_or_possessive():
    text = "The BRENNANS' neighbours knew the brennan children."
    found = [text[f.start : f.end] for f in screen(text, never_store=["Brennan"]).identifiers]
    assert found == ["BRENNANS", "brennan"]


def test_never_store_does_not_match_inside_a_longer_word():
    result = screen("the brennanson report was useful.", never_store=["Brennan"])
    assert result.identifiers == ()


def test_roster_name_that_is_an_ordinary_word_needs_a_capital():
    text = "I will raise it, and Will said he would help."
    found = [text[f.start : f.end] for f in screen(text, known_names=["Will"]).identifiers]
    assert found == ["Will"]


def test_roster_name_matches_lower_case_when_it_is_not_an_ordinary_word():
    text = "I raised it with okafor in supervision."
    (finding,) = screen(text, known_names=["Okafor"]).identifiers
    assert finding.kind is IdentifierKind.NAME


@pytest.mark.parametrize(
    "text",
    [
        "The boy I saw yesterday is still living with the stepdad who hit him.",
        "She told me today that her dad hits her mum.",
        "He hasn't been seen since Friday.",
        "Mum's partner has threatened to burn the house down.",
        "The baby I saw this morning has a bruise on his cheek.",
    ],
)
def test_current_harm_is_live_risk(text):
    assert screen(text).live_risk is True


@pytest.mark.parametrize(
    "text",
    [
        "In the review, the child was harmed by mum's partner over several months.",
        "There was no evidence that he was at risk at the time.",
        "If a child told me today that they were being hurt, I would know who to ring.",
        "The procedure says if a child is at risk of significant harm call 999.",
        "None of the children I work with are at risk right now.",
        "Last year a colleague was suspended after a LADO referral.",
        "The action on training is at risk of drifting.",
    ],
)
def test_past_negated_hypothetical_and_procedure_text_is_not_live_risk(text):
    assert screen(text).live_risk is False


def test_urgent_wording_sets_the_urgent_flag_only_with_live_risk():
    assert screen("He's going back there tonight even though they hurt him.").live_risk_urgent is True
    assert screen("He is still living with the man who hit him.").live_risk_urgent is False
    assert screen("The learning event is tonight.").live_risk_urgent is False


def test_a_professional_harming_a_child_is_a_concern_about_staff():
    result = screen("A colleague is hurting one of the children in the unit.")
    assert (result.live_risk, result.concern_about_staff) == (True, True)
    told = screen("He told his teacher he hasn't eaten since Friday.")
    assert (told.live_risk, told.concern_about_staff) == (True, False)


@pytest.mark.parametrize(
    ("text", "distress"),
    [
        ("I can't sleep since the review came out.", True),
        ("I feel I failed that family.", True),
        ("I went home and couldn't stop crying.", True),
        ("Staff wellbeing was discussed at the team meeting.", False),
        ("I'm not anxious about the review; I'm curious.", False),
        ("I used to dread these meetings but now they help.", False),
        ("A few people said they couldn't sleep after the briefing.", False),
    ],
)
def test_distress_is_the_author_own(text, distress):
    assert screen(text).distress is distress


def test_empty_text():
    result = screen("")
    assert result.as_json() == {
        "identifiers": [],
        "live_risk": False,
        "distress": False,
        "redacted": "",
        "outcome": "store",
    }
    assert (result.live_risk_urgent, result.concern_about_staff) == (False, False)


def test_screen_never_logs_the_text(caplog):
    caplog.set_level(logging.DEBUG)
    screen("Kayleigh at 14 Elm Grove told me today that he is still hitting her.", never_store=["Kayleigh"])
    assert "Kayleigh" not in caplog.text
    assert "Elm Grove" not in caplog.text
