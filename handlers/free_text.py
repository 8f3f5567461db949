"""Every free text we keep besides reflections: the same identifier screen, and a length limit with a kind message.

Action notes, evidence of completion and of impact, broadcast text and report titles are seen by many people and
printed in board reports and exports, so a child's name, address or date of birth must never be kept in them. The
text is screened with the reflection screen's identifier rules (``handlers.screen.find_identifiers``) and saved with
each finding replaced by its placeholder ("[name]", "[address]"…); the author is told what was removed, in the
reflection form's words, and sees the text as saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handlers.errors import UserFacingError
from handlers.screen import IdentifierKind, find_identifiers, redact

# Characters. Generous for what each is for, and far below what a chat message or a spreadsheet cell can hold.
LIMITS = {
    "note": 1000,
    "evidence": 1000,
    "impact": 1000,
    "broadcast": 2000,
    "title": 150,
}
WHAT = {
    "note": "a progress note",
    "evidence": "evidence of completion",
    "impact": "evidence of impact",
    "broadcast": "a broadcast",
    "title": "a title",
}


@dataclass(frozen=True)
class Screened:
    text: str
    removed: tuple[str, ...]  # kinds removed, in plain words ("name", "date of birth")

    @property
    def notice(self) -> str:
        """One sentence for the reply; empty when nothing was removed."""
        if not self.removed:
            return ""
        return (
            f"I've removed details that could identify someone ({', '.join(self.removed)}) before saving, so it "
            f'reads: "{self.text}"'
        )


def check_length(text: str, kind: str) -> None:
    limit = LIMITS[kind]
    if len(text) > limit:
        raise UserFacingError(
            f"Please keep {WHAT[kind]} to {limit:,} characters (this one has {len(text):,}); nothing was saved."
        )


def screen_free_text(text: str, kind: str, never_store: Sequence[str] = ()) -> Screened:
    """Check the length, then replace identifiers with placeholders. ``kind`` is a key of LIMITS.

    A plain date ("by 12 March") is left alone here: plans and broadcasts need dates, and a date alone identifies
    nobody. A date of birth, and every other kind, is removed."""
    check_length(text, kind)
    findings = [f for f in find_identifiers(text, never_store) if f.kind is not IdentifierKind.SPECIFIC_DATE]
    removed = tuple(sorted({f.kind.value.replace("_", " ") for f in findings}))
    return Screened(text=redact(text, findings) if findings else text, removed=removed)
