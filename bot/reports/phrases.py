"""Short phrases (2 to 5 words) that enough different people used, to describe a group of similar wording.

A group is described in people's own words, safely: only phrases that at least ``min_people`` different people
used (contributor hashes counted per cycle, the largest count taken, as everywhere else), never a whole sentence or
clause anyone wrote, never more than five words, and never two phrases that, read one after the other, would
repeat six words of a reflection. Phrases are looked for only around the group's most characteristic words (from
the clustering), so the work stays small for 25,000 reflections.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # type: ignore[import-untyped]

from handlers.reports.facts import ReflectionRows, TermSupport

logger = logging.getLogger(__name__)

SHORTEST, LONGEST = 2, 5
MOST = 4  # phrases per group
READ_AT_MOST = 800  # reflections per group read for phrases (the first by random id): counts are "at least" figures
_CLAUSE = re.compile(r"[.!?;:,()\[\]\"“”‘–—…/\n]+|\s'|'\s")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
EDGE_STOP = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "ve", "don't", "didn't", "i'm", "it's", "we're"}

Phrase = tuple[str, ...]


def clauses(text: str) -> list[list[str]]:
    """The text's clauses (split at punctuation), each as its lower-case words; numbers are dropped."""
    cleaned = text.lower().replace("’", "'").replace("‘", "'")
    return [words for part in _CLAUSE.split(cleaned) if (words := _WORD.findall(part))]


def phrases_around(words: Sequence[str], anchors: frozenset[str]) -> set[Phrase]:
    """Runs of 2 to 5 words that hold an anchor word, start and end on a word that carries meaning, and are not
    the whole clause (a short clause is someone's sentence, not a phrase)."""
    found: set[Phrase] = set()
    size = len(words)
    for at, word in enumerate(words):
        if word not in anchors:
            continue
        for n in range(SHORTEST, min(LONGEST, size - 1) + 1):
            for start in range(max(0, at - n + 1), min(at, size - n) + 1):
                run = tuple(words[start : start + n])
                if run[0] not in EDGE_STOP and run[-1] not in EDGE_STOP:
                    found.add(run)
    return found


def group_phrases(
    rows: ReflectionRows,
    members: Iterable[int],
    anchors: frozenset[str],
    min_people: int,
) -> tuple[TermSupport, ...]:
    """The group's phrases that at least ``min_people`` different people used, best first."""
    people: dict[Phrase, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    said: list[str] = []  # each reflection's words in order, punctuation dropped
    for i in members:
        text = rows.texts[i]
        if not text:
            continue
        parts = clauses(text)
        said.append(" ".join(word for words in parts for word in words))
        for words in parts:
            for run in phrases_around(words, anchors):
                people[run][rows.cycles[i]].add(rows.contributors[i])
    support = {run: max(len(who) for who in by_cycle.values()) for run, by_cycle in people.items()}
    common = [run for run, n in support.items() if n >= min_people]
    common.sort(key=lambda run: (-support[run] * (1 + 0.25 * len(run)), run))
    chosen = _choose(common, said)
    return tuple(TermSupport(term=" ".join(run), people=support[run]) for run in chosen)


def describe_groups(
    rows: ReflectionRows, labels: Sequence[int], terms: dict[int, tuple[TermSupport, ...]], min_people: int
) -> dict[int, tuple[TermSupport, ...]]:
    """Each group's phrases, found around the words the clustering found most characteristic of it."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        if label >= 0:
            members[label].append(i)
    found = {}
    for label, group in members.items():
        group = group[:READ_AT_MOST]
        anchors = frozenset(word for support in terms.get(label, ()) for word in support.term.split())
        found[label] = group_phrases(rows, group, anchors, min_people)
    logger.debug("Described %d groups of wording by phrases", len(found))
    return found


def _choose(ranked: Sequence[Phrase], said: Sequence[str]) -> list[Phrase]:
    """Up to MOST phrases that share no meaningful word, so each adds something, and of which no two, read in
    order, run on as one piece of someone's text."""
    chosen: list[Phrase] = []
    used: set[str] = set()
    for run in ranked:
        meaningful = {w for w in run if w not in EDGE_STOP}
        if meaningful & used:
            continue
        if chosen and _runs_on(chosen[-1], run, said):
            continue
        chosen.append(run)
        used |= meaningful
        if len(chosen) == MOST:
            break
    return chosen


def _runs_on(first: Phrase, second: Phrase, said: Sequence[str]) -> bool:
    joined = " ".join((*first, *second))
    return any(joined in text for text in said)
