"""Theme candidates from reflections: by tag, and by the groups of wording the clustering found (bot/reports).

Contributor hashes differ between cycles, so a theme's people are counted per cycle and the largest count is used:
the number of different people we can be sure of.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from handlers.reports.facts import ReflectionRows, TermSupport, ThemeCandidate


def tag_candidates(rows: ReflectionRows) -> list[ThemeCandidate]:
    people: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    cohorts: dict[str, set[str]] = defaultdict(set)
    for cycle, cohort, contributor, tags in zip(rows.cycles, rows.cohorts, rows.contributors, rows.tags, strict=True):
        for tag in tags:
            people[tag][cycle].add(contributor)
            cohorts[tag].add(cohort)
    return [
        ThemeCandidate(
            key=f"tag:{tag}",
            kind="tag",
            tag=tag,
            per_cycle={cycle: len(who) for cycle, who in by_cycle.items()},
            cohorts=frozenset(cohorts[tag]),
        )
        for tag, by_cycle in sorted(people.items())
    ]


def wording_candidates(
    rows: ReflectionRows,
    labels: Sequence[int],
    terms: Mapping[int, tuple[TermSupport, ...]],
    phrases: Mapping[int, tuple[TermSupport, ...]] | None = None,
) -> list[ThemeCandidate]:
    """One candidate per group of wording; ``labels[i]`` is row i's group, or -1 when it has no words to group."""
    people: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    cohorts: dict[int, set[str]] = defaultdict(set)
    tags: dict[int, Counter[str]] = defaultdict(Counter)
    for i, label in enumerate(labels):
        if label < 0:
            continue
        people[label][rows.cycles[i]].add(rows.contributors[i])
        cohorts[label].add(rows.cohorts[i])
        tags[label].update(rows.tags[i])
    ordered = sorted(people, key=lambda label: (-sum(len(w) for w in people[label].values()), label))
    return [
        ThemeCandidate(
            key=f"wording:{rank + 1}",
            kind="wording",
            per_cycle={cycle: len(who) for cycle, who in people[label].items()},
            cohorts=frozenset(cohorts[label]),
            tags=tuple(sorted(tags[label].items(), key=lambda item: (-item[1], item[0]))),
            terms=terms.get(label, ()),
            phrases=(phrases or {}).get(label, ()),
        )
        for rank, label in enumerate(ordered)
    ]
