"""The reflection screen: one text, on the code path of `aftercare screen --json`, in process.

Run: .venv/bin/python -m bench.screen [--rounds N]
Prints CPU-time p50/p95 per call for 2,000-character reflections and for one-sentence ones, for the whole screen
(rules, classifier and gate) next to a baseline measured in the same run: the rules alone (identifiers, live-risk
and distress rules, without the classifier), which is what the screen did before the gate. The classifier remembers
each word's known features; because the bench repeats the same texts, a third line times the screen with that memo
emptied before every call (the worst case: a text of words never seen before in the process).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from handlers.screen import find_identifiers, screen
from handlers.screen_distress import shows_distress
from handlers.screen_model import weights
from handlers.screen_risk import assess_risk

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "screen" / "corpus.yaml"


def rules_alone(text: str) -> object:
    return (find_identifiers(text), assess_risk(text), shows_distress(text))


def whole_screen(text: str) -> object:
    return screen(text).as_json()


def whole_screen_cold(text: str) -> object:
    weights().words.clear()
    return screen(text).as_json()


def texts() -> dict[str, list[str]]:
    entries = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["entries"]
    prose = " ".join(e["text"] for e in entries)
    long = [prose[k : k + 2000] for k in range(0, len(prose) - 2000, len(prose) // 6)][:5]
    short = [e["text"] for e in entries[::40]]
    awkward = [("hi\n" * 700)[:2000], ("He Hit Her Again Tonight And She Is Scared. " * 50)[:2000]]
    return {
        "2,000 characters (5 slices of corpus.yaml)": long,
        "one entry (10 from corpus.yaml)": short,
        "2,000 characters, awkward (700 one-word lines; a capitalised harm sentence repeated)": awkward,
    }


def timed(fn: Callable[[str], object], samples: list[str], rounds: int) -> list[float]:
    for text in samples:
        fn(text)
    cpu: list[float] = []
    for _ in range(rounds):
        for text in samples:
            start = time.process_time()
            fn(text)
            cpu.append((time.process_time() - start) * 1000)
    return cpu


def line(label: str, cpu: list[float]) -> str:
    p95 = statistics.quantiles(cpu, n=20)[-1]
    return f"  {label:<34} p50 {statistics.median(cpu):6.2f} ms   p95 {p95:6.2f} ms   ({len(cpu)} calls)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    started = time.perf_counter()
    weights()
    print(f"classifier weights loaded once in {(time.perf_counter() - started) * 1000:.0f} ms (wall)")
    for label, samples in texts().items():
        print(label)
        print(line("baseline: rules alone", timed(rules_alone, samples, args.rounds)))
        print(line("screen (rules + classifier + gate)", timed(whole_screen, samples, args.rounds)))
        print(line("screen, word memo emptied each call", timed(whole_screen_cold, samples, args.rounds)))


if __name__ == "__main__":
    main()
