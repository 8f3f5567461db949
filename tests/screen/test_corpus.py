"""Precision and recall of the reflection screen over the hand-labelled corpora in tests/screen/.

Run ``.venv/bin/python -m pytest tests/screen -s`` to see the figures.

- corpus.yaml: written before the code (the brief's corpus); asserted.
- holdout.yaml to holdout4.yaml: each written later and scored once before it was used to improve the code; their
  first-run figures are in docs/anonymity-screen.md. They are development sets now, asserted together with
  corpus.yaml as a regression guard.
- holdout5.yaml: written before the general live-risk and distress rules and never used to change the code: the
  out-of-sample estimate. Printed, and asserted only at floors well below what it reached.
- holdout6.yaml: written after the rewrite was finished and scored once, as a check on holdout5 (whose wordings the
  same author had in mind while writing the lexicons). Printed, not asserted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from handlers import screen_distress, screen_risk_words
from handlers.screen import ScreenResult, screen
from handlers.screen_risk import Document

Entry = dict[str, Any]
HERE = Path(__file__).parent
CORPUS = HERE / "corpus.yaml"
DEVELOPMENT = ("corpus.yaml", "holdout.yaml", "holdout2.yaml", "holdout3.yaml", "holdout4.yaml")
HELD_OUT = "holdout5.yaml"
LATE_CHECK = "holdout6.yaml"
ALL_FILES = (*DEVELOPMENT, HELD_OUT, LATE_CHECK)
KINDS = {
    "name",
    "postcode",
    "address",
    "date_of_birth",
    "nhs_number",
    "phone",
    "email",
    "school",
    "case_reference",
    "listed_term",
    "specific_date",
}
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.85
# Pooled development sets (corpus.yaml + holdout.yaml to holdout4.yaml).
DEVELOPMENT_FLOORS = {"identifiers": 0.95, "live risk": 0.9, "distress": 0.9}
# holdout5.yaml, out of sample: floors set with a margin below what it reached, never tuned on it.
# It reached live-risk recall 0.932 (41/44) and distress recall 0.960 (24/25) on its one scoring run.
HELD_OUT_FLOORS = {"live risk": 0.80, "distress": 0.85}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def line(self, label: str) -> str:
        return (
            f"{label:<22} recall {self.recall:.3f} ({self.tp}/{self.tp + self.fn})  "
            f"precision {self.precision:.3f} ({self.tp}/{self.tp + self.fp})"
        )


@dataclass
class Figures:
    entries: int = 0
    identifiers: Tally = field(default_factory=Tally)
    kind_agree: int = 0
    live_risk: Tally = field(default_factory=Tally)
    distress: Tally = field(default_factory=Tally)
    urgent: Tally = field(default_factory=Tally)
    staff: Tally = field(default_factory=Tally)
    per_kind: dict[str, list[int]] = field(default_factory=dict)


def load_entries(*names: str) -> list[Entry]:
    entries: list[Entry] = []
    for name in names:
        entries += yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["entries"]
    return entries


def load_corpus() -> list[Entry]:
    return load_entries(CORPUS.name)


def expected_spans(entry: Entry) -> list[tuple[str, int, int]]:
    spans = []
    for label in entry["identifiers"]:
        needle, start = label["text"], 0
        while (found := entry["text"].find(needle, start)) >= 0:
            spans.append((label["kind"], found, found + len(needle)))
            start = found + len(needle)
    return spans


def tally_flag(tally: Tally, entry_id: str, expected: bool, actual: bool) -> None:
    if expected and actual:
        tally.tp += 1
    elif expected:
        tally.fn += 1
        tally.misses.append(entry_id)
    elif actual:
        tally.fp += 1
        tally.false_alarms.append(entry_id)


def score_identifiers(figures: Figures, entry: Entry, result: ScreenResult) -> None:
    """A finding is right when it overlaps an expected span; an expected span is caught when a finding overlaps it."""
    text, expected = entry["text"], expected_spans(entry)
    found = result.identifiers
    for kind, start, end in expected:
        hits = [f for f in found if f.start < end and start < f.end]
        stats = figures.per_kind.setdefault(kind, [0, 0])
        stats[1] += 1
        if hits:
            figures.identifiers.tp += 1
            stats[0] += 1
            figures.kind_agree += any(f.kind.value == kind for f in hits)
        else:
            figures.identifiers.fn += 1
            figures.identifiers.misses.append(f"{entry['id']}:{kind}:{text[start:end]!r}")
    for f in found:
        if not any(f.start < end and start < f.end for _, start, end in expected):
            figures.identifiers.fp += 1
            figures.identifiers.false_alarms.append(f"{entry['id']}:{f.kind.value}:{text[f.start : f.end]!r}")


def compute_figures(entries: list[Entry]) -> Figures:
    figures = Figures()
    for entry in entries:
        figures.entries += 1
        result = screen(entry["text"], entry.get("never_store", ()), entry.get("known_names", ()))
        score_identifiers(figures, entry, result)
        tally_flag(figures.live_risk, entry["id"], entry["live_risk"], result.live_risk)
        tally_flag(figures.distress, entry["id"], entry["distress"], result.distress)
        tally_flag(figures.urgent, entry["id"], entry.get("urgent", False), result.live_risk_urgent)
        tally_flag(figures.staff, entry["id"], entry.get("staff", False), result.concern_about_staff)
    return figures


def report(title: str, figures: Figures) -> str:
    lines = [f"== {title}: {figures.entries} entries", figures.identifiers.line("identifiers (spans)")]
    lines.append(f"identifier kind agreement on caught spans: {figures.kind_agree}/{figures.identifiers.tp}")
    for kind, (caught, total) in sorted(figures.per_kind.items()):
        lines.append(f"  {kind:<16} recall {caught}/{total}")
    for label, tally in (
        ("live risk", figures.live_risk),
        ("live risk urgent", figures.urgent),
        ("concern about staff", figures.staff),
        ("distress", figures.distress),
    ):
        lines.append(tally.line(label))
    for label, tally in (
        ("identifiers", figures.identifiers),
        ("live risk", figures.live_risk),
        ("distress", figures.distress),
    ):
        lines.append(f"{label} missed: {tally.misses}")
        lines.append(f"{label} false alarms: {tally.false_alarms}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def corpus_figures() -> Figures:
    figures = compute_figures(load_corpus())
    print("\n" + report("corpus.yaml (written before the code)", figures))
    return figures


@pytest.fixture(scope="module")
def development_figures() -> Figures:
    figures = compute_figures(load_entries(*DEVELOPMENT))
    print("\n" + report("development sets " + " + ".join(DEVELOPMENT), figures))
    return figures


@pytest.fixture(scope="module")
def held_out_figures() -> Figures:
    figures = compute_figures(load_entries(HELD_OUT))
    print("\n" + report(f"{HELD_OUT} (held out, never used to change the code)", figures))
    late = compute_figures(load_entries(LATE_CHECK))
    print("\n" + report(f"{LATE_CHECK} (written after the code, never used to change it; not asserted)", late))
    return figures


@pytest.mark.parametrize("name", ALL_FILES)
def test_corpus_file_is_well_formed(name):
    entries = load_entries(name)
    assert len({e["id"] for e in entries}) == len(entries)
    for entry in entries:
        assert isinstance(entry["live_risk"], bool), entry["id"]
        assert isinstance(entry["distress"], bool), entry["id"]
        for label in entry["identifiers"]:
            assert label["kind"] in KINDS, entry["id"]
            assert label["text"] in entry["text"], entry["id"]


def test_corpus_ids_are_unique_across_files():
    entries = load_entries(*ALL_FILES)
    assert len({e["id"] for e in entries}) == len(entries)


def test_corpus_is_large_and_covers_every_kind_at_least_ten_times():
    entries = load_corpus()
    assert len(entries) >= 160
    counts: dict[str, int] = {}
    for entry in entries:
        for label in entry["identifiers"]:
            counts[label["kind"]] = counts.get(label["kind"], 0) + 1
    assert set(counts) == KINDS
    assert min(counts.values()) >= 10, counts


def test_identifier_recall_and_precision(corpus_figures: Figures):
    assert corpus_figures.identifiers.recall >= RECALL_FLOOR, corpus_figures.identifiers.misses
    assert corpus_figures.identifiers.precision >= PRECISION_FLOOR, corpus_figures.identifiers.false_alarms


def test_live_risk_recall_and_precision(corpus_figures: Figures):
    assert corpus_figures.live_risk.recall >= RECALL_FLOOR, corpus_figures.live_risk.misses
    assert corpus_figures.live_risk.precision >= PRECISION_FLOOR, corpus_figures.live_risk.false_alarms


def test_distress_recall_and_precision(corpus_figures: Figures):
    assert corpus_figures.distress.recall >= RECALL_FLOOR, corpus_figures.distress.misses
    assert corpus_figures.distress.precision >= PRECISION_FLOOR, corpus_figures.distress.false_alarms


def test_development_sets_stay_above_the_floors(development_figures: Figures):
    tallies = {
        "identifiers": development_figures.identifiers,
        "live risk": development_figures.live_risk,
        "distress": development_figures.distress,
    }
    for label, tally in tallies.items():
        assert tally.recall >= DEVELOPMENT_FLOORS[label], (label, tally.misses)
        assert tally.precision >= PRECISION_FLOOR, (label, tally.false_alarms)


def test_held_out_set_stays_above_its_margin_floors(held_out_figures: Figures):
    tallies = {"live risk": held_out_figures.live_risk, "distress": held_out_figures.distress}
    for label, tally in tallies.items():
        assert tally.recall >= HELD_OUT_FLOORS[label], (label, tally.misses)
        assert tally.precision >= 0.8, (label, tally.false_alarms)


def test_every_keyword_precheck_is_safe():
    """The screen skips a pattern in sentences without its keywords; that is only safe if every match has one."""
    pairs = (*screen_risk_words.KEYED_PATTERNS, *screen_distress.keyed_patterns())
    checked = 0
    for entry in load_entries(*ALL_FILES):
        lower = Document(entry["text"]).lower
        for keywords, pattern in pairs:
            for m in pattern.finditer(lower):
                checked += 1
                assert any(k in m.group() for k in keywords), (entry["id"], pattern.pattern[:60], m.group())
    assert checked > 300


def test_the_gate_reaches_every_development_concern_and_rarely_asks_otherwise():
    """Regression guard for the gate (issue 13), IN SAMPLE: the classifier was trained on these files, so this only
    catches a broken gate or stale weights. Out-of-fold figures: `python -m tools.screen_model --report`."""
    entries = load_entries(*ALL_FILES)
    outcomes = [(bool(e["live_risk"]), screen(e["text"]).outcome.value) for e in entries]
    risky = [outcome for live, outcome in outcomes if live]
    calm = [outcome for live, outcome in outcomes if not live]
    assert sum(o in ("hold", "ask") for o in risky) / len(risky) >= 0.97
    assert sum(o != "store" for o in calm) / len(calm) <= 0.15
    held = [live for live, outcome in outcomes if outcome == "hold"]
    assert sum(held) / len(held) >= 0.85
