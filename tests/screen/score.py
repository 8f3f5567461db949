"""Score the screen on a labelled YAML file, through the same code path as `aftercare screen --json`.

    .venv/bin/python -m tests.screen.score tests/screen/SOMEFILE.yaml [--misses]

The file has the format of tests/screen/corpus.yaml: ``entries`` with ``id``, ``text``, ``identifiers`` (each a
``text`` substring and a ``kind``), ``live_risk``, ``distress`` and optionally ``never_store``, ``known_names``,
``staff`` and ``voice`` (the last two are ignored by the score). Each text is passed to ``bot.cli.main(["screen",
"--json", ...])`` and its printed JSON read back, so what is scored is what a person running the command sees.

Printed: recall and precision with Wilson 95% intervals for *hold* (``outcome == "hold"``), *hold or ask* (a live
concern reaches the author), distress and identifier spans (a span is caught when a finding overlaps it; a finding
is right when it overlaps a labelled span), and the share of entries without live risk that get *ask* or *hold*.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.cli import main as cli_main

Z = 1.959964


@dataclass
class Count:
    hit: int = 0
    total: int = 0
    ids: list[str] = field(default_factory=list)

    def add(self, ok: bool, entry_id: str) -> None:
        self.total += 1
        self.hit += ok
        if not ok:
            self.ids.append(entry_id)

    def line(self, label: str) -> str:
        if not self.total:
            return f"{label:<44} n/a (0 cases)"
        low, high = wilson(self.hit, self.total)
        return f"{label:<44} {self.hit / self.total:.3f} ({self.hit}/{self.total})  95% CI {low:.3f}–{high:.3f}"


@dataclass
class Score:
    entries: int = 0
    measures: dict[str, Count] = field(default_factory=dict)

    def count(self, name: str) -> Count:
        return self.measures.setdefault(name, Count())


def wilson(hit: int, total: int) -> tuple[float, float]:
    """Wilson score interval at 95% for hit/total."""
    if total == 0:
        return (0.0, 1.0)
    p = hit / total
    denominator = 1 + Z * Z / total
    centre = (p + Z * Z / (2 * total)) / denominator
    half = Z * math.sqrt(p * (1 - p) / total + Z * Z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def screen_json(text: str, never_store: list[str], known_names: list[str]) -> dict[str, Any]:
    argv = ["screen", "--json"]
    argv += [f"--never-store={term}" for term in never_store]
    argv += [f"--known-name={name}" for name in known_names]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli_main([*argv, "--", text])
    if code != 0:
        raise RuntimeError(f"aftercare screen exited {code}")
    loaded: dict[str, Any] = json.loads(out.getvalue())
    return loaded


def score_entries(entries: list[dict[str, Any]]) -> Score:
    score = Score()
    for entry in entries:
        score.entries += 1
        result = screen_json(entry["text"], list(entry.get("never_store") or []), list(entry.get("known_names") or []))
        tally(score, entry, result)
    return score


def tally(score: Score, entry: dict[str, Any], result: dict[str, Any]) -> None:
    entry_id, outcome = str(entry["id"]), result["outcome"]
    risky, held, reached = bool(entry.get("live_risk")), outcome == "hold", outcome in ("hold", "ask")
    if risky:
        score.count("hold recall").add(held, entry_id)
        score.count("hold or ask recall").add(reached, entry_id)
    else:
        score.count("ask or hold on entries without live risk").add(not reached, entry_id)
        score.count("ask on entries without live risk").add(outcome != "ask", entry_id)
    if held:
        score.count("hold precision").add(risky, entry_id)
    if reached:
        score.count("hold or ask precision").add(risky, entry_id)
    if entry.get("distress"):
        score.count("distress recall").add(bool(result["distress"]), entry_id)
    if result["distress"]:
        score.count("distress precision").add(bool(entry.get("distress")), entry_id)
    tally_identifiers(score, entry, result["identifiers"])


def tally_identifiers(score: Score, entry: dict[str, Any], found: list[dict[str, Any]]) -> None:
    text, expected = entry["text"], []
    for label in entry.get("identifiers") or []:
        start = 0
        while (at := text.find(label["text"], start)) >= 0:
            expected.append((at, at + len(label["text"])))
            start = at + len(label["text"])
    for start, end in expected:
        caught = any(f["start"] < end and start < f["end"] for f in found)
        score.count("identifier recall (spans)").add(caught, f"{entry['id']}:{text[start:end]!r}")
    for f in found:
        right = any(f["start"] < end and start < f["end"] for start, end in expected)
        score.count("identifier precision (findings)").add(right, f"{entry['id']}:{text[f['start'] : f['end']]!r}")


def report(score: Score, misses: bool) -> str:
    lines = [f"{score.entries} entries"]
    for name in (
        "hold recall",
        "hold precision",
        "hold or ask recall",
        "hold or ask precision",
        "distress recall",
        "distress precision",
        "identifier recall (spans)",
        "identifier precision (findings)",
    ):
        lines.append(score.count(name).line(name))
    for name in ("ask on entries without live risk", "ask or hold on entries without live risk"):
        count = score.count(name)
        share = Count(count.total - count.hit, count.total)
        lines.append(share.line(name.replace("on entries", "share, entries")))
    if misses:
        lines += [f"  {name} — not right: {', '.join(c.ids)}" for name, c in score.measures.items() if c.ids]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Score the screen on a labelled YAML file.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--misses", action="store_true", help="list the ids behind every figure that is not 1")
    args = parser.parse_args()
    entries = yaml.safe_load(args.path.read_text(encoding="utf-8"))["entries"]
    print(report(score_entries(entries), args.misses))


if __name__ == "__main__":
    main()
