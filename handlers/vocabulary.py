"""The words people type: statuses, roles and dates, with kind suggestions when a word is not known."""

from __future__ import annotations

import datetime as dt
import difflib

from handlers.model import Role, Status

STATUS_ALIASES: dict[str, Status] = {
    "done": Status.COMPLETE,
    "green": Status.ON_TRACK,
    "amber": Status.AT_RISK,
    "red": Status.OFF_TRACK,
    "complete_awaiting_impact": Status.COMPLETE,
    "closed_evidenced": Status.CLOSED,
}


def normalise_word(word: str) -> str:
    return word.strip().lower().replace("-", "_").replace(" ", "_")


def parse_status(word: str) -> Status | None:
    """Return the status a word names, or None. Hyphens and spaces count as underscores."""
    key = normalise_word(word)
    if key in STATUS_ALIASES:
        return STATUS_ALIASES[key]
    try:
        return Status(key)
    except ValueError:
        return None


def status_words() -> list[str]:
    return [status.value for status in Status]


def parse_role(word: str) -> Role | None:
    try:
        return Role(normalise_word(word))
    except ValueError:
        return None


def parse_date(word: str) -> dt.date | None:
    """Parse an ISO date (YYYY-MM-DD); anything else is None."""
    try:
        return dt.date.fromisoformat(word.strip())
    except ValueError:
        return None


def closest(word: str, choices: list[str]) -> str | None:
    """The nearest known word, for 'Did you mean …?' answers.

    Typing slips (one letter wrong, missing, extra, or two swapped, as in A70 for A07) win; otherwise the most
    similar word by difflib's ratio, if it is similar enough.
    """
    if not choices:
        return None
    key = word.lower()
    letters = sorted(key)
    candidates = {c for c in choices if sorted(c.lower()) == letters}  # swapped letters
    candidates.update(difflib.get_close_matches(word, choices, n=5, cutoff=0.5))
    if len(choices) <= 200:
        candidates.update(choices)
    if not candidates:
        return None
    distances = [(edit_distance(key, choice.lower()), choice) for choice in sorted(candidates)]
    best = min(distance for distance, _ in distances)
    if best <= 1 or (best == 2 and len(key) > 4):
        tied = [choice for distance, choice in distances if distance == best]
        return max(tied, key=lambda c: difflib.SequenceMatcher(None, key, c.lower()).ratio())
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


def did_you_mean(word: str, choices: list[str]) -> str:
    """' Did you mean X?' or an empty string."""
    match = closest(word, choices)
    return f" Did you mean {match}?" if match else ""
