"""Train, cross-validate and export the screen's classifier (scikit-learn at build time, plain Python at run time).

    .venv/bin/python -m tools.screen_model --report   # cross-validated figures on the development corpora
    .venv/bin/python -m tools.screen_model --write    # retrain on every labelled corpus and rewrite the weights

Training data: tests/screen/corpus.yaml, holdout.yaml to holdout13.yaml, holdout15.yaml, dev14.yaml and dev17.yaml to
dev19.yaml, by name (never any other file). Every figure this prints is on data the classifier or the rules were
tuned on, and says so.
"""

from __future__ import annotations

import argparse
import base64
import json
import textwrap
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from handlers.screen_distress import shows_distress
from handlers.screen_gate import decide, distressed, may_be_own_feeling
from handlers.screen_model import Weights, features, probabilities, windows
from handlers.screen_risk import assess_risk
from handlers.screen_settled import damping
from tests.screen.score import Score, tally
from tests.screen.score import report as score_report

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "tests" / "screen"
TRAINING_FILES = (
    "corpus.yaml",
    "holdout.yaml",
    "holdout2.yaml",
    "holdout3.yaml",
    "holdout4.yaml",
    "holdout5.yaml",
    "holdout6.yaml",
    "holdout7.yaml",
    "holdout8.yaml",
    "holdout9.yaml",
    "holdout10.yaml",
    "holdout11.yaml",
    "dev14.yaml",
    "holdout12.yaml",
    "holdout13.yaml",
    "dev17.yaml",
    "dev18.yaml",
    "dev19.yaml",
    "holdout15.yaml",
    "holdout16.yaml",
    "holdout20.yaml",
    "holdout21.yaml",
    "holdout22.yaml",
    "dev26.yaml",
    "dev27.yaml",
    "dev28.yaml",
    "holdout23.yaml",
    "holdout24.yaml",
    "holdout25.yaml",
)
HEADS = ("live_risk", "distress")
C = 8.0
MIN_DF = 2
SEED = 13
WEIGHTS_FILE = ROOT / "handlers" / "screen_model_weights.py"


@dataclass
class Data:
    texts: list[str]
    labels: dict[str, np.ndarray[Any, Any]]
    files: list[str]
    entries: list[dict[str, Any]]


def load(files: tuple[str, ...] = TRAINING_FILES) -> Data:
    entries: list[dict[str, Any]] = []
    names: list[str] = []
    for name in files:
        loaded = yaml.safe_load((CORPORA / name).read_text(encoding="utf-8"))["entries"]
        entries += loaded
        names += [name] * len(loaded)
    labels = {head: np.array([bool(e.get(head, False)) for e in entries]) for head in HEADS}
    return Data([e["text"] for e in entries], labels, names, entries)


def fit(texts: list[str], labels: dict[str, np.ndarray[Any, Any]]) -> tuple[TfidfVectorizer, dict[str, Any]]:
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=MIN_DF, lowercase=False)
    matrix = vectorizer.fit_transform(texts)
    heads = {}
    for head in HEADS:
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        model.fit(matrix, labels[head])
        heads[head] = model
    return vectorizer, heads


def out_of_fold(data: Data, folds: int = 5) -> dict[str, np.ndarray[Any, Any]]:
    """Each entry scored by a model trained without it (stratified on live risk), windows as at run time."""
    scores = {head: np.zeros(len(data.texts)) for head in HEADS}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    strata = data.labels["live_risk"] * 2 + data.labels["distress"]
    for train, test in splitter.split(data.texts, strata):
        vectorizer, heads = fit([data.texts[k] for k in train], {h: v[train] for h, v in data.labels.items()})
        model = as_weights(vectorizer, heads)
        for k in test:
            for head in HEADS:
                scores[head][k] = max(probabilities(w, model)[head] for w in windows(data.texts[k]))
    return scores


def leave_one_file_out(data: Data) -> dict[str, np.ndarray[Any, Any]]:
    scores = {head: np.zeros(len(data.texts)) for head in HEADS}
    files = np.array(data.files)
    for name in TRAINING_FILES:
        train, test = np.where(files != name)[0], np.where(files == name)[0]
        vectorizer, heads = fit([data.texts[k] for k in train], {h: v[train] for h, v in data.labels.items()})
        model = as_weights(vectorizer, heads)
        for k in test:
            for head in HEADS:
                scores[head][k] = max(probabilities(w, model)[head] for w in windows(data.texts[k]))
    return scores


def report(data: Data, scores: dict[str, np.ndarray[Any, Any]], per_file: bool = False) -> None:
    """The gate's figures with out-of-fold classifier scores: pooled, and per file when asked."""
    rules = [assess_risk(t).live_risk for t in data.texts]
    rules_distress = [shows_distress(t) for t in data.texts]
    groups = [("all files", set(TRAINING_FILES))] + ([(name, {name}) for name in TRAINING_FILES] if per_file else [])
    for label, chosen in groups:
        score = Score()
        for k, entry in enumerate(data.entries):
            if data.files[k] not in chosen:
                continue
            own = float(scores["distress"][k]) if may_be_own_feeling(data.texts[k]) else 0.0
            risk, distress = float(scores["live_risk"][k]), distressed(rules_distress[k], own)
            result: dict[str, Any] = {
                "outcome": decide(rules[k], risk, damping(data.texts[k], distress, rules[k], risk)).value,
                "distress": distress,
                "identifiers": [],
            }
            score.entries += 1
            tally(score, {**entry, "identifiers": []}, result)
        print(f"  {label}:")
        print("\n".join("    " + line for line in score_report(score, misses=False).splitlines()))


def as_lists(vectorizer: TfidfVectorizer, heads: dict[str, Any], digits: int = 6) -> dict[str, Any]:
    """What the weights module ships: feature names, IDF, each head's coefficients and intercept."""
    return {
        "features": [str(f) for f in vectorizer.get_feature_names_out()],
        "idf": [round(float(v), digits) for v in vectorizer.idf_],
        "coef": {h: [round(float(v), digits) for v in m.coef_[0]] for h, m in heads.items()},
        "intercept": {h: float(m.intercept_[0]) for h, m in heads.items()},
    }


def as_weights(vectorizer: TfidfVectorizer, heads: dict[str, Any], digits: int = 6) -> Weights:
    lists = as_lists(vectorizer, heads, digits)
    return Weights.from_lists(lists["features"], lists["idf"], lists["coef"], lists["intercept"])


def write(data: Data) -> None:
    vectorizer, heads = fit(data.texts, data.labels)
    body = as_lists(vectorizer, heads)
    blob = base64.b64encode(zlib.compress(json.dumps(body, separators=(",", ":")).encode(), 9)).decode()
    lines = [blob[k : k + 116] for k in range(0, len(blob), 116)]
    doc = (
        "Generated by `python -m tools.screen_model --write`; do not edit. The screen classifier's vocabulary, IDF,"
        f" coefficients and intercepts (zlib-compressed JSON, base64): {len(body['features'])} features, trained on"
        f" {', '.join(TRAINING_FILES)} ({len(data.texts)} entries)."
    )
    wrapped = "\n".join(textwrap.wrap(doc, 112))
    WEIGHTS_FILE.write_text(
        f'"""{wrapped}"""\n\nPACKED = (\n' + "".join(f'    b"{line}"\n' for line in lines) + ")\n",
        encoding="utf-8",
    )
    print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}: {len(body['features'])} features, {len(blob)} bytes packed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    data = load()
    if args.write:
        write(data)
    if args.report:
        print("5-fold, stratified (classifier scores out of fold; the rules were tuned on every file):")
        report(data, out_of_fold(data))
        print("Leave one file out (each file scored by a classifier trained on the others; the rules tuned on all):")
        report(data, leave_one_file_out(data), per_file=True)


if __name__ == "__main__":
    main()
