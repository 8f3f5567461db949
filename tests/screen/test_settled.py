"""After holdout8: texts already acted on, historic, training or about the author's own state step the gate down.

Every sentence here is a new wording (not copied from any corpus). The signal lowers a hold to an ask; a firm signal
(the author's own distress, two separate signs of action taken, a historic case, a training example) lowers an ask to
storage, and never when a danger cue is left in the text. The live sentences
at the end must still reach their author whatever settled-sounding words sit beside them.
"""

from __future__ import annotations

import pytest

from handlers.screen import Outcome, screen
from handlers.screen_gate import decide
from handlers.screen_settled import Damping, damping

ACTED_ON = [
    "Lad with the slash wound to his hand last Tuesday: strat held the same evening, he's now placed with his"
    " grandad out of area and the exploitation team have him.",
    "Toddler came in with a torn lip this morning; paeds and CSC saw her by lunchtime and she's gone home with her"
    " maternal aunt under a safety plan. Felt like it all worked.",
    "Mum told me about the coercion at the antenatal visit. MARAC referral made, IDVA allocated the next day and"
    " she's in a refuge with the baby now.",
    "The 14yo who kept going missing was found safe and well in Coventry overnight and the return home interview"
    " was done this morning by her worker.",
    "Teacher reported the PE volunteer's messages, LADO informed the same day, he's been suspended and the"
    " children's parents spoken to.",
    "He disclosed the beatings on Friday; police attended, stepdad arrested, and the boy is settled with his nan.",
]
HISTORIC = [
    "In 2018 a baby in our area was shaken by a father nobody had assessed; we changed the pre-birth pathway after.",
    "When I was a student social worker I missed a girl being groomed by her tutor, and I still think about her.",
    "The review's child was left alone for days at a time and the school didn't know who to ring. That was years"
    " ago now.",
]
TRAINING = [
    "The exercise at the DSL refresher: a year 9 boy with new trainers and cash is picked up at the gates by older"
    " lads. We argued about thresholds for an hour.",
    "Role-play today on a teenager disclosing abuse by her stepfather: I found it hard to stay quiet and listen.",
]
OWN_DISTRESS = [
    "I'm on four hours' sleep a night and shaking before every home visit. I don't know how much longer I can do"
    " this job.",
    "I've been drinking a bottle most evenings to get to sleep and hiding it from my partner.",
    "My chest gets tight every time the duty phone rings and I've cried in the car twice this week.",
]
STILL_LIVE = [
    "Strat was held last month but she's back at her dad's again tonight and nobody has told the social worker.",
    "He's placed with his nan, but I think he's still being collected by the same older men after school.",
    "Mum went to a refuge in March; she's let him move back in despite the plan and the baby is there with him.",
    "I haven't rung anyone yet: the girl in year 8 told me her uncle comes into her room, and she goes home with"
    " him today.",
    "I'm exhausted and can't sleep, and the 4 year old I saw today had fingertip bruises and is going home with"
    " the boyfriend tonight.",
]


@pytest.mark.parametrize("text", ACTED_ON)
def test_a_case_already_acted_on_is_settled(text: str) -> None:
    assert damping(text, distress=False) in (Damping.SETTLED, Damping.SETTLED_FIRMLY)
    assert screen(text).outcome is not Outcome.HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Referral was made the same morning, the girl is living with her grandmother and there's a safety plan.",
        "The dad has been arrested and the lad is safe and well, back at school on Monday.",
        # A visit that found the children well (since holdout25)
        "Welfare visit to the twins this morning: both seen and spoken to, no injuries, no new concerns.",
        "Checked in after the Encompass call: she's fine, no further concerns, and he's happy back at school.",
    ],
)
def test_two_separate_signs_of_action_taken_are_firm(text: str) -> None:
    assert damping(text, distress=False) is Damping.SETTLED_FIRMLY
    assert decide(False, 0.9, Damping.SETTLED_FIRMLY) is Outcome.STORE
    assert decide(True, 0.9, Damping.SETTLED_FIRMLY) is Outcome.ASK


@pytest.mark.parametrize(
    "text",
    [
        "Her little brother has started carrying for the same group, both at home with mum who works nights.",
        "She said the boys from the estate have been messaging her little sister too. She's living with her nan.",
    ],
)
def test_one_sign_of_action_taken_keeps_the_question(text: str) -> None:
    assert damping(text, distress=False) is Damping.SETTLED
    assert decide(False, 0.9, Damping.SETTLED) is Outcome.ASK


@pytest.mark.parametrize("text", HISTORIC)
def test_a_historic_case_is_never_held(text: str) -> None:
    assert damping(text, distress=False) is Damping.HISTORIC
    assert screen(text).outcome is not Outcome.HOLD


@pytest.mark.parametrize("text", TRAINING)
def test_a_training_example_is_never_held(text: str) -> None:
    assert damping(text, distress=False) is Damping.TRAINING
    assert screen(text).outcome is not Outcome.HOLD


@pytest.mark.parametrize("text", OWN_DISTRESS)
def test_the_authors_own_distress_gets_support_without_the_child_question(text: str) -> None:
    result = screen(text)
    assert result.distress
    assert result.outcome is Outcome.STORE


@pytest.mark.parametrize("text", STILL_LIVE)
def test_a_danger_cue_keeps_the_gate_open_beside_settled_words(text: str) -> None:
    assert damping(text, distress=screen(text).distress, rules_live_risk=True, risk_score=0.9) is Damping.NONE
    assert screen(text).outcome in (Outcome.HOLD, Outcome.ASK)


def test_damping_lowers_one_step_and_only_a_firm_signal_lowers_an_ask_to_storage() -> None:
    assert decide(True, 0.9, Damping.SETTLED) is Outcome.ASK
    assert decide(True, 0.1, Damping.SETTLED) is Outcome.ASK
    assert decide(False, 0.9, Damping.SETTLED) is Outcome.ASK
    assert decide(True, 0.9, Damping.HISTORIC) is Outcome.ASK
    assert decide(False, 0.9, Damping.HISTORIC) is Outcome.STORE
    assert decide(False, 0.9, Damping.TRAINING) is Outcome.STORE
    assert decide(False, 0.9, Damping.OWN_DISTRESS) is Outcome.STORE
    assert decide(True, 0.9, Damping.NONE) is Outcome.HOLD
    assert decide(False, 0.1, Damping.SETTLED) is Outcome.STORE


def test_the_authors_own_words_read_as_risk_still_ask() -> None:
    """With no child in the text, a hold on the author's own state becomes an ask, never a store."""
    assert decide(True, 0.9, Damping.OWN_WORDS_READ_AS_RISK) is Outcome.ASK
    assert decide(True, 0.1, Damping.OWN_WORDS_READ_AS_RISK) is Outcome.ASK
    assert screen("I want to end it all, I can't face another shift.").outcome is not Outcome.STORE


@pytest.mark.parametrize(
    "text",
    [
        "Went round after the neighbour rang: two little ones on their own, no referral made, mum back by ten.",
        "She's not been placed with her aunt yet, so she's at the flat with him for now.",
    ],
)
def test_a_negated_settled_phrase_does_not_count(text: str) -> None:
    assert damping(text, distress=False) is not Damping.SETTLED


def test_a_child_with_a_worrying_score_is_not_set_aside_as_the_authors_distress() -> None:
    """The author's feelings beside a child the classifier is worried about keep the question (one step, not two)."""
    text = "I'm shaken. Girl, 6, flinched when I said I'd ring home and hid under the desk till her taxi came."
    assert damping(text, distress=True, rules_live_risk=False, risk_score=0.5) is not Damping.OWN_DISTRESS
    # Since holdout26, with a child in the text the author's distress lowers a hold to an ask but never an ask to
    # storage: "cant stop thinking about baby Riley, 3rd no access visit … I feel sick" had been filed away.
    assert damping(text, distress=True, rules_live_risk=False, risk_score=0.3) is Damping.OWN_DISTRESS_CHILD
    assert decide(False, 0.3, Damping.OWN_DISTRESS_CHILD) is Outcome.ASK
    assert decide(True, 0.35, Damping.OWN_DISTRESS_CHILD) is Outcome.ASK


def test_a_danger_word_about_the_authors_own_state_needs_a_higher_score_than_a_child() -> None:
    """No child in the text: a danger word ("scared", "keeps") about the author's own life steps down below 0.60."""
    text = "My manager keeps asking why I'm off sick and I'm scared to open my emails."
    assert damping(text, distress=True, rules_live_risk=False, risk_score=0.5) is Damping.OWN_DISTRESS
    assert damping(text, distress=True, rules_live_risk=False, risk_score=0.7) is not Damping.OWN_DISTRESS


def test_no_concerns_beside_a_danger_cue_keeps_the_question() -> None:
    text = "School say no concerns, but she's still going back to his flat tonight and nobody has rung anyone."
    assert damping(text, distress=False) is Damping.NONE


def test_nobody_else_knowing_the_case_keeps_a_child_live_beside_the_authors_distress() -> None:
    text = "3rd no access visit for the baby and dad shouted through the letterbox. nobody else knows. I feel sick"
    assert damping(text, distress=True, rules_live_risk=False, risk_score=0.3) is Damping.NONE


def test_the_authors_distress_about_a_historic_case_is_still_stored() -> None:
    text = "The baby in the 2019 review is in my head every night and I can't sleep, I feel sick every morning."
    assert damping(text, distress=True, rules_live_risk=False, risk_score=0.3) is Damping.HISTORIC
    assert decide(False, 0.3, Damping.HISTORIC) is Outcome.STORE
