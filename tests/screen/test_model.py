"""The shipped classifier: plain-Python scores equal scikit-learn's, the artefact is what training produces, and the
scoring script reads `aftercare screen --json` correctly."""

from __future__ import annotations

import math

import pytest

from handlers import screen_model
from handlers.screen_gate import ASK_AT, HOLD_WITH_RULES, Outcome, decide
from tests.screen import score as scoring
from tools import screen_model as training

SAMPLES = [
    "He told me his dad puts his head under the cold tap when he wets himself.",
    "I think we sometimes assume teenagers are resilient when they're not.",
    "I'm jumpy, I can't focus and I keep double-checking every referral I make.",
    "",
    "Ünïcode and numbers 0800 123 456; the review’s learning was shared.",
]


@pytest.fixture(scope="module")
def small_model():
    data = training.load(("holdout5.yaml", "holdout6.yaml"))
    vectorizer, heads = training.fit(data.texts, data.labels)
    return vectorizer, heads, training.as_weights(vectorizer, heads, digits=12)


@pytest.mark.parametrize("text", SAMPLES)
def test_plain_python_scores_equal_scikit_learn(small_model, text):
    vectorizer, heads, weights = small_model
    ours = screen_model.probabilities(text, weights)
    matrix = vectorizer.transform([text])
    for head, model in heads.items():
        assert math.isclose(ours[head], model.predict_proba(matrix)[0][1], abs_tol=1e-9)


def test_the_shipped_weights_are_what_training_on_the_corpora_gives():
    """Retrain on the same files; scores agree to rounding, so the artefact is not stale or hand-edited."""
    data = training.load()
    vectorizer, heads = training.fit(data.texts, data.labels)
    for text in [*SAMPLES, *data.texts[::97]]:
        matrix = vectorizer.transform([text])
        shipped = screen_model.probabilities(text)
        for head, model in heads.items():
            assert math.isclose(shipped[head], model.predict_proba(matrix)[0][1], abs_tol=1e-3)


def test_the_gate_holds_only_when_both_signals_agree_and_asks_on_either():
    assert decide(True, HOLD_WITH_RULES) is Outcome.HOLD
    assert decide(True, 0.0) is Outcome.ASK
    assert decide(False, 0.99) is Outcome.ASK
    assert decide(False, ASK_AT) is Outcome.ASK
    assert decide(False, ASK_AT - 0.01) is Outcome.STORE


def test_a_long_text_is_scored_by_its_most_worrying_window():
    ordinary = "We talked about the new chronology template and agreed it reads better. " * 12
    worrying = "He told me his dad puts his head under the cold tap when he wets himself."
    assert screen_model.score(ordinary + worrying + " " + ordinary).live_risk > 0.5
    assert screen_model.score(ordinary).live_risk < ASK_AT


def test_wilson_interval_matches_a_known_value():
    low, high = scoring.wilson(11, 20)
    assert (round(low, 3), round(high, 3)) == (0.342, 0.742)
    assert scoring.wilson(0, 0) == (0.0, 1.0)


def test_the_scoring_script_scores_through_the_command(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(
        "entries:\n"
        "- id: t1\n  text: He told me his dad puts his head under the cold tap when he wets himself.\n"
        "  identifiers: []\n  live_risk: true\n  distress: false\n"
        "- id: t2\n  text: I spoke to Jayden Carter about the review.\n"
        "  identifiers: [{text: Jayden Carter, kind: name}]\n  live_risk: false\n  distress: false\n"
        "  staff: police\n  voice: plain\n"
        "- id: t3\n  text: '-- the plan was agreed'\n  identifiers: []\n  live_risk: false\n  distress: false\n",
        encoding="utf-8",
    )
    import yaml

    result = scoring.score_entries(yaml.safe_load(path.read_text())["entries"])
    assert result.count("hold or ask recall").hit == 1
    assert result.count("identifier recall (spans)").hit == 1
    assert result.count("ask or hold on entries without live risk").total == 2
    assert "hold or ask recall" in scoring.report(result, misses=True)


def test_the_word_memo_is_bounded_and_does_not_change_scores(small_model, monkeypatch):
    """The classifier remembers each word's known features; past its bound it computes them afresh, same scores."""
    _, _, weights = small_model
    monkeypatch.setattr(screen_model, "WORD_MEMO", 5)
    weights.words.clear()
    text = "He told me his dad puts his head under the cold tap when he wets himself and nobody has been told."
    first = screen_model.probabilities(text, weights)
    assert len(weights.words) == 5
    assert screen_model.probabilities(text, weights) == first
    weights.words.clear()
    monkeypatch.setattr(screen_model, "WORD_MEMO", 0)
    assert screen_model.probabilities(text, weights) == first
    assert weights.words == {}
