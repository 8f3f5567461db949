"""Groups of reflections with similar wording: TF-IDF and k-means (Lloyd) from scikit-learn, with a fixed seed.

The same reflections (read in the same order, by their random ids) always give the same groups. Each group comes
back with its most characteristic words and, for each, the fewest different people who used it (contributor
hashes counted per cycle, the largest count taken), so that handlers/reports/themes.py can keep only words at
least three people used. Nothing here is logged but sizes.
"""

from __future__ import annotations

import logging
import string
from itertools import pairwise
from typing import Any

import numpy as np
from sklearn.cluster import KMeans  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer  # type: ignore[import-untyped]

from handlers.reports.facts import ReflectionRows, TermSupport

logger = logging.getLogger(__name__)

SEED = 20260120
MIN_DOCUMENTS = 12
TOP_TERMS = 12
EXTRA_STOP_WORDS = frozenset(
    [
        "really",
        "just",
        "lot",
        "lots",
        "things",
        "thing",
        "think",
        "thought",
        "feel",
        "felt",
        "got",
        "get",
        "getting",
        "make",
        "made",
        "bit",
        "quite",
        "still",
        "now",
        "one",
        "also",
        "way",
        "ve",
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "like",
        "know",
        "want",
        "need",
        "time",
        "times",
        "day",
        "days",
        "week",
        "weeks",
        "sure",
    ]
)


STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | EXTRA_STOP_WORDS
_SPACES = str.maketrans(dict.fromkeys(string.punctuation + string.digits + "“”‘–—…", " "))


def terms_of(text: str) -> list[str]:
    """Words that are not stop words, and pairs of such words standing next to each other in the text.

    A pair never bridges a removed word, so "forget to ask" gives no "forget ask", and never holds a past tense or
    an adverb. (Plain string operations: this runs once per reflection, 100,000 times for a large programme.)
    """
    cleaned = text.lower().replace("’", "'").replace("'s ", " ").replace("'", "").translate(_SPACES)
    words = [w if len(w) > 2 and w not in STOP_WORDS else None for w in cleaned.split()]
    found = [w for w in words if w]
    found += [f"{a} {b}" for a, b in pairwise(words) if a and b and _pairs(a) and _pairs(b)]
    return found


def _pairs(word: str) -> bool:
    """Past tenses and adverbs make fragments of sentences ("tool helped"), not names of things; leave them single."""
    return not word.endswith(("ed", "ly"))


def groups_for(documents: int) -> int:
    """About one group per 20 reflections, between 2 and 12."""
    return max(2, min(12, documents // 20))


def cluster(rows: ReflectionRows) -> tuple[list[int], dict[int, tuple[TermSupport, ...]]]:
    """A group label per row (-1 for rows without words) and each group's characteristic terms."""
    index = [i for i, text in enumerate(rows.texts) if text]
    labels = [-1] * len(rows)
    if len(index) < MIN_DOCUMENTS:
        return labels, {}
    vectoriser = TfidfVectorizer(
        analyzer=terms_of, min_df=3, max_df=0.5, max_features=4000, sublinear_tf=True, dtype=np.float32
    )
    try:
        matrix = vectoriser.fit_transform([rows.texts[i] for i in index])
    except ValueError:  # every word too rare or too common: nothing to group on
        return labels, {}
    count = min(groups_for(len(index)), _distinct_rows(matrix))
    if count < 2:
        return labels, {}
    model = KMeans(n_clusters=count, random_state=SEED, n_init=1, max_iter=50)
    found = model.fit_predict(matrix)
    for position, label in zip(index, found, strict=True):
        labels[position] = int(label)
    tops = {label: _top_terms(matrix, found == label) for label in range(count)}
    terms = _support(rows, index, found, matrix, vectoriser.get_feature_names_out(), tops)
    logger.debug("Grouped %d reflections into %d groups of wording", len(index), count)
    return labels, terms


def _distinct_rows(matrix: Any) -> int:
    """How many different vectors there are: k-means cannot find more groups than that."""
    bounds = zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True)
    return len({(matrix.indices[a:b].tobytes(), matrix.data[a:b].tobytes()) for a, b in bounds})


def _top_terms(matrix: Any, members: np.ndarray) -> list[int]:
    """The columns with the highest mean weight over the group's own reflections."""
    if not members.any():
        return []
    weights = np.asarray(matrix[np.flatnonzero(members)].mean(axis=0)).ravel()
    return [int(col) for col in np.argsort(-weights, kind="stable")[:TOP_TERMS] if weights[col] > 0]


def _support(
    rows: ReflectionRows,
    index: list[int],
    found: np.ndarray,
    matrix: Any,
    vocabulary: np.ndarray,
    tops: dict[int, list[int]],
) -> dict[int, tuple[TermSupport, ...]]:
    """Each group's top terms by weight, each with the most different people in one cycle who used it."""
    pairs: dict[tuple[str, str], int] = {}  # (cycle, contributor hash) → a number: one person in one cycle
    person = np.array([pairs.setdefault((rows.cycles[i], rows.contributors[i]), len(pairs)) for i in index])
    cycles = {cycle: n for n, cycle in enumerate(sorted({cycle for cycle, _ in pairs}))}
    cycle_of = np.zeros(len(pairs), dtype=np.int64)
    for (cycle, _), number in pairs.items():
        cycle_of[number] = cycles[cycle]
    columns = sorted({col for top in tops.values() for col in top})
    position = {col: j for j, col in enumerate(columns)}
    used = matrix[:, columns].tocsc()
    result: dict[int, tuple[TermSupport, ...]] = {}
    for label, top in tops.items():
        supports = []
        for col in top:
            j = position[col]
            documents = used.indices[used.indptr[j] : used.indptr[j + 1]]
            people = np.unique(person[documents[found[documents] == label]])
            most = int(np.bincount(cycle_of[people]).max()) if len(people) else 0
            supports.append(TermSupport(term=str(vocabulary[col]), people=most))
        result[label] = tuple(supports)
    return result
