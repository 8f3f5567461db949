"""The screen's second signal: a small trained text classifier for live risk and distress, run in plain Python.

The model is TF-IDF over word 1–2-grams and character 3–5-grams inside words, with one logistic-regression head
for live risk and one for distress. It is trained with scikit-learn by ``tools/screen_model.py`` on the labelled
corpora in ``tests/screen/`` and shipped as numbers in ``handlers/screen_model_weights.py``; here it is applied with
the standard library only (no scikit-learn, no file, no network at run time). ``features()`` is the analyzer used
in training too, so the two cannot drift apart; ``tests/screen/test_model.py`` checks that the scores here equal
scikit-learn's.

A long reflection is scored sentence by sentence and in pairs of sentences, and the highest score is kept, so one
worrying sentence is not diluted by ten ordinary ones.
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from handlers import screen_model_weights

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
CHAR_SIZES = (3, 4, 5)
WINDOW = 2
MIN_WORDS = 4


HEADS = ("live_risk", "distress")


@dataclass(frozen=True)
class Weights:
    """Per feature its IDF and each head's coefficient (in HEADS order); each head's intercept."""

    table: dict[str, tuple[float, float, float]]
    intercept: tuple[float, float]

    @classmethod
    def from_lists(
        cls, names: list[str], idf: list[float], coef: dict[str, list[float]], intercept: dict[str, float]
    ) -> Weights:
        table = {name: (idf[k], coef[HEADS[0]][k], coef[HEADS[1]][k]) for k, name in enumerate(names)}
        return cls(table=table, intercept=(intercept[HEADS[0]], intercept[HEADS[1]]))


@dataclass(frozen=True)
class ModelScores:
    live_risk: float
    distress: float


def features(text: str) -> list[str]:
    """Word unigrams and bigrams ("w:"), and character 3–5-grams of each word padded with spaces ("c:")."""
    words = WORD.findall(text.lower().replace("’", "'"))
    out = [f"w:{w}" for w in words]
    out += [f"w:{a} {b}" for a, b in itertools.pairwise(words)]
    for word in words:
        padded = f" {word} "
        for size in CHAR_SIZES:
            out += [f"c:{padded[k : k + size]}" for k in range(max(1, len(padded) - size + 1))]
    return out


@functools.cache
def weights() -> Weights:
    raw = json.loads(zlib.decompress(base64.b64decode(screen_model_weights.PACKED)))
    return Weights.from_lists(raw["features"], raw["idf"], raw["coef"], raw["intercept"])


def probabilities(text: str, model: Weights | None = None) -> dict[str, float]:
    """Each head's probability for one piece of text, exactly as scikit-learn's predict_proba would give it."""
    model = model or weights()
    return dict(zip(HEADS, _Part.of(model, text).probabilities(model), strict=True))


@dataclass(frozen=True)
class _Part:
    """A sentence's in-vocabulary feature counts and its unnormalised sums: squared TF-IDF, and each head's dot."""

    known: dict[str, int]
    square: float
    risk: float
    distress: float

    @classmethod
    def of(cls, model: Weights, text: str) -> _Part:
        table, known = model.table, {}
        square = risk = distress = 0.0
        for feature, n in Counter(features(text)).items():
            row = table.get(feature)
            if row is None:
                continue
            known[feature] = n
            value = _tf(n) * row[0]
            square += value * value
            risk += row[1] * value
            distress += row[2] * value
        return cls(known, square, risk, distress)

    def joined(self, model: Weights, other: _Part) -> _Part:
        """Two sentences as one window: sums add, except features in both, whose counts add before the log."""
        square, risk, distress = self.square + other.square, self.risk + other.risk, self.distress + other.distress
        for feature in self.known.keys() & other.known.keys():
            row, a, b = model.table[feature], self.known[feature], other.known[feature]
            v1, v2, v = _tf(a) * row[0], _tf(b) * row[0], _tf(a + b) * row[0]
            square += v * v - v1 * v1 - v2 * v2
            risk += row[1] * (v - v1 - v2)
            distress += row[2] * (v - v1 - v2)
        return _Part({}, square, risk, distress)

    def probabilities(self, model: Weights) -> tuple[float, float]:
        norm = math.sqrt(self.square) or 1.0
        return (_sigmoid(model.intercept[0] + self.risk / norm), _sigmoid(model.intercept[1] + self.distress / norm))


def _tf(n: int) -> float:
    return 1.0 if n == 1 else 1.0 + math.log(n)


def _sigmoid(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))


def sentences(text: str) -> list[str]:
    """Sentences, a fragment of under four words joined to the one before ("Missing x4. Again." is one)."""
    merged: list[str] = []
    for part in SENTENCE.split(text):
        if not part.strip():
            continue
        if merged and len(part.split()) < MIN_WORDS:
            merged[-1] += " " + part
        else:
            merged.append(part)
    return merged


def windows(text: str) -> list[str]:
    """The whole text when it is short; otherwise each sentence, and each two consecutive sentences."""
    sentences_ = sentences(text)
    if len(sentences_) <= WINDOW:
        return [text]
    return sentences_ + [" ".join(sentences_[k : k + WINDOW]) for k in range(len(sentences_) - WINDOW + 1)]


def score(text: str, may_be_own_feeling: Callable[[str], bool] = lambda _: True) -> ModelScores:
    """The highest score over the text's windows, for each head; distress only in windows that pass the check.

    Each sentence's features are counted once and a pair's sums are built from its sentences' (a word bigram
    across the join is the one feature this leaves out, as a small price for speed).
    """
    model = weights()
    split = sentences(text)
    if len(split) <= WINDOW:
        parts, scored = [text], [_Part.of(model, text)]
    else:
        singles = [_Part.of(model, s) for s in split]
        pairs = range(len(split) - WINDOW + 1)
        parts = split + [" ".join(split[k : k + WINDOW]) for k in pairs]
        scored = singles + [singles[k].joined(model, singles[k + 1]) for k in pairs]
    risk = distress = 0.0
    for part, sums in zip(parts, scored, strict=True):
        part_risk, part_distress = sums.probabilities(model)
        risk = max(risk, part_risk)
        if part_distress > distress and may_be_own_feeling(part):
            distress = part_distress
    return ModelScores(live_risk=risk, distress=distress)
