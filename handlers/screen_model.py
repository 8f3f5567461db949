"""The screen's second signal: a small trained text classifier for live risk and distress, run in plain Python.

The model is TF-IDF over word 1–2-grams and character 3–4-grams inside words, with one logistic-regression head
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
from dataclasses import dataclass, field

from handlers import screen_model_weights

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
CHAR_SIZES = (3, 4)
WINDOW = 2
MIN_WORDS = 4


HEADS = ("live_risk", "distress")


# Words whose in-vocabulary features are remembered, per model (a bounded memo: common words repeat in every text).
WORD_MEMO = 20_000


@dataclass(frozen=True)
class Weights:
    """Per feature its IDF, its squared IDF and each head's coefficient times the IDF (in HEADS order); each head's
    intercept. ``words`` remembers, per word, which of its unigram and character n-gram features are known."""

    table: dict[str, tuple[float, float, float, float]]
    intercept: tuple[float, float]
    words: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_lists(
        cls, names: list[str], idf: list[float], coef: dict[str, list[float]], intercept: dict[str, float]
    ) -> Weights:
        risk, distress = coef[HEADS[0]], coef[HEADS[1]]
        table = {
            name: (idf[k], idf[k] * idf[k], risk[k] * idf[k], distress[k] * idf[k]) for k, name in enumerate(names)
        }
        return cls(table=table, intercept=(intercept[HEADS[0]], intercept[HEADS[1]]))

    def known(self, word: str) -> tuple[str, ...]:
        """The word's unigram and character n-gram features that are in the vocabulary."""
        found = self.words.get(word)
        if found is None:
            table = self.table
            found = tuple(f for f in word_features(word) if f in table)
            if len(self.words) < WORD_MEMO:
                self.words[word] = found
        return found


@dataclass(frozen=True)
class ModelScores:
    live_risk: float
    distress: float


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


def word_features(word: str) -> list[str]:
    """One word's unigram ("w:") and character 3–4-grams of the word padded with spaces ("c:")."""
    padded = f" {word} "
    out = [f"w:{word}"]
    for size in CHAR_SIZES:
        out += [f"c:{padded[k : k + size]}" for k in range(max(1, len(padded) - size + 1))]
    return out


def features(text: str) -> list[str]:
    """Word unigrams and bigrams ("w:"), and character 3–4-grams of each word padded with spaces ("c:")."""
    split = words(text)
    out = [f"w:{w}" for w in split]
    out += [f"w:{a} {b}" for a, b in itertools.pairwise(split)]
    for word in split:
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

    known: Counter[str]
    square: float
    risk: float
    distress: float

    @classmethod
    def of(cls, model: Weights, text: str) -> _Part:
        """The same sums as TF-IDF over ``features(text)``, from each word's remembered known features."""
        table, memo, known = model.table, model.words, model.known
        split = words(text)
        counts = Counter(itertools.chain.from_iterable([memo.get(word) or known(word) for word in split]))
        counts.update(f for a, b in itertools.pairwise(split) if (f := f"w:{a} {b}") in table)
        square = risk = distress = 0.0
        for feature, n in counts.items():
            _, idf2, r, d = table[feature]
            if n == 1:
                square += idf2
                risk += r
                distress += d
            else:
                tf = _TF[n] if n < _TF_KNOWN else _tf(n)
                square += tf * tf * idf2
                risk += r * tf
                distress += d * tf
        return cls(counts, square, risk, distress)

    def joined(self, model: Weights, other: _Part) -> _Part:
        """Two sentences as one window: sums add, except features in both, whose counts add before the log."""
        square, risk, distress = self.square + other.square, self.risk + other.risk, self.distress + other.distress
        for feature in self.known.keys() & other.known.keys():
            _, idf2, r, d = model.table[feature]
            a, b = self.known[feature], other.known[feature]
            if a + b < _TF_KNOWN:
                t1, t2, t = _TF[a], _TF[b], _TF[a + b]
            else:
                t1, t2, t = _tf(a), _tf(b), _tf(a + b)
            square += (t * t - t1 * t1 - t2 * t2) * idf2
            risk += r * (t - t1 - t2)
            distress += d * (t - t1 - t2)
        return _Part(Counter(), square, risk, distress)

    def probabilities(self, model: Weights) -> tuple[float, float]:
        norm = math.sqrt(self.square) or 1.0
        return (_sigmoid(model.intercept[0] + self.risk / norm), _sigmoid(model.intercept[1] + self.distress / norm))


def _tf(n: int) -> float:
    return _TF[n] if n < len(_TF) else 1.0 + math.log(n)


# Sublinear term frequency, 1 + log(n), for the counts that occur in practice.
_TF = [0.0, 1.0] + [1.0 + math.log(n) for n in range(2, 64)]
_TF_KNOWN = len(_TF)


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
