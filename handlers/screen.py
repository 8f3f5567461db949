"""The reflection screen: identifiers, live risk and distress, checked before anything is stored.

Deterministic and local: regular expressions, word lists and a small trained classifier applied in plain Python
(``handlers.screen_model``), no network. ``screen()`` never logs or
keeps the text. Identifier rules live in ``handlers.screen_patterns`` and ``handlers.screen_names``; live-risk and
distress wording in ``handlers.screen_risk``. Precision and recall over the labelled corpus in
``tests/screen/corpus.yaml`` are recorded in ``docs/anonymity-screen.md``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from typing import Any

from handlers.model import Frozen
from handlers.screen_distress import shows_distress
from handlers.screen_gate import Outcome, decide, distressed, may_be_own_feeling
from handlers.screen_model import score
from handlers.screen_names import find_name_spans, is_generic
from handlers.screen_patterns import IdentifierKind, Span, find_pattern_spans
from handlers.screen_risk import assess_risk
from handlers.screen_settled import damping
from handlers.screen_words import FUNCTION_WORDS, GENERIC, STREET_BLOCK, WORDLIKE_NAMES

logger = logging.getLogger(__name__)

__all__ = ["PLACEHOLDERS", "Finding", "IdentifierKind", "Outcome", "ScreenResult", "redact", "screen"]

PLACEHOLDERS: dict[IdentifierKind, str] = {
    IdentifierKind.NAME: "[name]",
    IdentifierKind.POSTCODE: "[postcode]",
    IdentifierKind.ADDRESS: "[address]",
    IdentifierKind.DATE_OF_BIRTH: "[date of birth]",
    IdentifierKind.NHS_NUMBER: "[NHS number]",
    IdentifierKind.PHONE: "[phone]",
    IdentifierKind.EMAIL: "[email]",
    IdentifierKind.SCHOOL: "[school]",
    IdentifierKind.CASE_REFERENCE: "[reference]",
    IdentifierKind.LISTED_TERM: "[removed]",
    IdentifierKind.SPECIFIC_DATE: "[date]",
    IdentifierKind.VEHICLE: "[vehicle registration]",
    IdentifierKind.HANDLE: "[username]",
    IdentifierKind.PRACTICE: "[GP practice]",
}

# When findings overlap, the merged finding takes the kind that comes first here.
PRIORITY: tuple[IdentifierKind, ...] = (
    IdentifierKind.LISTED_TERM,
    IdentifierKind.EMAIL,
    IdentifierKind.NHS_NUMBER,
    IdentifierKind.PHONE,
    IdentifierKind.CASE_REFERENCE,
    IdentifierKind.VEHICLE,
    IdentifierKind.HANDLE,
    IdentifierKind.DATE_OF_BIRTH,
    IdentifierKind.POSTCODE,
    IdentifierKind.SCHOOL,
    IdentifierKind.PRACTICE,
    IdentifierKind.ADDRESS,
    IdentifierKind.SPECIFIC_DATE,
    IdentifierKind.NAME,
)
_RANK = {kind: rank for rank, kind in enumerate(PRIORITY)}
_COMMON_WORDS = WORDLIKE_NAMES | GENERIC | FUNCTION_WORDS


class Finding(Frozen):
    kind: IdentifierKind
    start: int
    end: int


class ScreenResult(Frozen):
    identifiers: tuple[Finding, ...]
    live_risk: bool
    live_risk_urgent: bool
    concern_about_staff: bool
    distress: bool
    redacted: str
    outcome: Outcome = Outcome.STORE

    def as_json(self) -> dict[str, Any]:
        """The shape `aftercare screen --json` prints (CONTRACT §2, with "outcome" from §6)."""
        return {
            "identifiers": [{"kind": f.kind.value, "start": f.start, "end": f.end} for f in self.identifiers],
            "live_risk": self.live_risk,
            "distress": self.distress,
            "redacted": self.redacted,
            "outcome": self.outcome.value,
        }


def screen(text: str, never_store: Sequence[str] = (), known_names: Sequence[str] = ()) -> ScreenResult:
    """Screen one reflection. ``never_store`` and ``known_names`` match case-insensitively on word boundaries."""
    findings = find_identifiers(text, never_store, known_names)
    risk = assess_risk(text)
    scores = score(text, may_be_own_feeling)
    distress = distressed(shows_distress(text), scores.distress)
    outcome = decide(risk.live_risk, scores.live_risk, damping(text, distress, risk.live_risk, scores.live_risk))
    return ScreenResult(
        identifiers=findings,
        live_risk=outcome is Outcome.HOLD,
        live_risk_urgent=risk.urgent,
        concern_about_staff=risk.concern_about_staff,
        distress=distress,
        redacted=redact(text, findings),
        outcome=outcome,
    )


def find_identifiers(
    text: str, never_store: Sequence[str] = (), known_names: Sequence[str] = ()
) -> tuple[Finding, ...]:
    """Identifiers only (no live-risk or distress reading): for action notes, evidence, broadcasts and titles."""
    spans = find_pattern_spans(text, GENERIC, STREET_BLOCK)
    spans += find_name_spans(text)
    spans += _listed_spans(text, tuple(never_store), IdentifierKind.LISTED_TERM)
    spans += _listed_spans(text, tuple(known_names), IdentifierKind.NAME)
    return merge(spans)


def merge(spans: Sequence[Span]) -> tuple[Finding, ...]:
    """Merge overlapping spans into one finding each; the merged kind is the highest in PRIORITY."""
    merged: list[Finding] = []
    for kind, start, end in sorted(spans, key=lambda s: (s[1], -s[2])):
        if start >= end:
            continue
        if merged and start < merged[-1].end:
            last = merged[-1]
            best = kind if _RANK[kind] < _RANK[last.kind] else last.kind
            merged[-1] = Finding(kind=best, start=last.start, end=max(last.end, end))
        else:
            merged.append(Finding(kind=kind, start=start, end=end))
    return tuple(merged)


def redact(text: str, findings: Sequence[Finding]) -> str:
    """Replace each finding (non-overlapping, sorted) with its kind's placeholder."""
    parts: list[str] = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.start):
        parts.append(text[cursor : finding.start])
        parts.append(PLACEHOLDERS[finding.kind])
        cursor = max(cursor, finding.end)
    parts.append(text[cursor:])
    return "".join(parts)


def _listed_spans(text: str, terms: tuple[str, ...], kind: IdentifierKind) -> list[Span]:
    spans: list[Span] = []
    for pattern in _term_patterns(terms, kind is IdentifierKind.NAME):
        spans += [(kind, m.start(), m.end()) for m in pattern.finditer(text)]
    return spans


@functools.lru_cache(maxsize=256)
def _term_patterns(terms: tuple[str, ...], roster: bool) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for term in terms:
        words = term.split()
        if not words:
            continue
        body = r"\s+".join(re.escape(w) for w in words)
        # A roster name that is also a common word ("Will", "Hope") must be written with a capital to match.
        case_sensitive = roster and (term.lower() in _COMMON_WORDS or is_generic(term))
        flags = 0 if case_sensitive else re.IGNORECASE
        if case_sensitive:
            body = re.escape(words[0][0].upper()) + r"\s+".join(re.escape(w) for w in words)[1:]
        patterns.append(re.compile(rf"(?<![\w@]){body}(?:['’]s|s|es|['’])?(?![\w@])", flags))
    return tuple(patterns)
