"""Groups of wording: repeatable, and each term's people counted per cycle, never summed across cycles."""

from __future__ import annotations

from collections import defaultdict

from bot.reports.clustering import cluster, terms_of
from handlers.reports.facts import ReflectionRows
from handlers.reports.theme_facts import tag_candidates, wording_candidates

SUPERVISION = "Supervision gives me space to think about the family and my own assumptions"
FRONT_DOOR = "The front door hears about missing episodes the same day from the school"


def rows(count: int) -> ReflectionRows:
    found = ReflectionRows()
    for i in range(count):
        text = SUPERVISION if i % 2 else FRONT_DOOR
        found.cycles.append("C0" if i < count // 2 else "C3")
        found.cohorts.append("KBC" if i % 3 else "KPOL")
        found.contributors.append(f"h{i % (count // 2)}")  # the same hashes recur in the second cycle
        found.tags.append(("supervision_reflection",) if i % 2 else ("information_sharing",))
        found.texts.append(f"{text} {'and ' * (i % 3)}week {i % 7}")
    return found


def test_terms_never_bridge_a_removed_word():
    terms = terms_of("We forget to ask what a normal day is like; missing episodes matter.")
    assert "forget" in terms and "missing episodes" in terms
    assert "forget ask" not in terms and "normal day" not in terms  # "day" is a stop word here


def test_grouping_is_repeatable_and_finds_the_two_kinds_of_wording():
    data = rows(60)
    first, terms = cluster(data)
    again, _ = cluster(data)
    assert first == again
    by_text = defaultdict(set)
    for label, text in zip(first, data.texts, strict=True):
        by_text[SUPERVISION in (text or "")].add(label)
    assert all(len(labels) == 1 for labels in by_text.values()) and by_text[True] != by_text[False]
    supervision = next(iter(by_text[True]))
    words = {t.term: t.people for t in terms[supervision]}
    assert "supervision" in words


def test_people_behind_a_term_are_the_most_in_one_cycle():
    data = rows(60)
    labels, terms = cluster(data)
    for label, supports in terms.items():
        for support in supports:
            per_cycle: dict[str, set[str]] = defaultdict(set)
            for i, text in enumerate(data.texts):
                if labels[i] == label and support.term in terms_of(text or ""):
                    per_cycle[data.cycles[i]].add(data.contributors[i])
            assert support.people == max((len(who) for who in per_cycle.values()), default=0)


def test_candidates_count_people_per_cycle():
    data = rows(60)
    tags = {c.tag: c for c in tag_candidates(data)}
    assert tags["supervision_reflection"].per_cycle == {"C0": 15, "C3": 15}
    assert tags["supervision_reflection"].people == 15
    labels, terms = cluster(data)
    wording = wording_candidates(data, labels, terms)
    assert [c.key for c in wording][:2] == ["wording:1", "wording:2"]
    assert sum(sum(c.per_cycle.values()) for c in wording) == 60  # each (cycle, hash) in exactly one group


def test_too_few_reflections_are_not_grouped():
    data = rows(10)
    labels, terms = cluster(data)
    assert labels == [-1] * 10 and terms == {}
