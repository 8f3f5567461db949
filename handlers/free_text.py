"""Every free text we keep besides reflections: the same identifier screen, and a length limit with a kind message.

Action notes, evidence of completion and of impact, broadcast text and report titles are seen by many people and
printed in board reports and exports, so a child's name, address or date of birth must never be kept in them. The
text is screened with the reflection screen's identifier rules (``handlers.screen.find_identifiers``) and saved with
each finding replaced by its placeholder ("[name]", "[address]"…); the author is told what was removed, in the
reflection form's words, and sees the text as saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from handlers.errors import UserFacingError
from handlers.programme_doc import ActionDoc
from handlers.screen import Finding, IdentifierKind, find_identifiers, redact

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


# What a person is told was removed: plain words, not the JSON kinds ("NHS number", not "nhs_number").
_PLAIN: dict[IdentifierKind, str] = {
    IdentifierKind.NHS_NUMBER: "NHS number",
    IdentifierKind.CASE_REFERENCE: "reference",
    IdentifierKind.LISTED_TERM: "a never-store term",
    IdentifierKind.HANDLE: "username",
    IdentifierKind.PRACTICE: "GP practice",
}


def plain_kinds(findings: Iterable[Finding]) -> tuple[str, ...]:
    """Each kind found once, in plain words, in alphabetical order."""
    words = {_PLAIN.get(f.kind, f.kind.value.replace("_", " ")) for f in findings}
    return tuple(sorted(words, key=str.lower))


def screen_free_text(text: str, kind: str, never_store: Sequence[str] = ()) -> Screened:
    """Check the length, then replace identifiers with placeholders. ``kind`` is a key of LIMITS.

    A plain date ("by 12 March") is left alone here: plans and broadcasts need dates, and a date alone identifies
    nobody. A date of birth, and every other kind, is removed."""
    check_length(text, kind)
    findings = [f for f in find_identifiers(text, never_store) if f.kind is not IdentifierKind.SPECIFIC_DATE]
    removed = plain_kinds(findings)
    return Screened(text=redact(text, findings) if findings else text, removed=removed)


# Free text an action plan brings in (a spreadsheet's cells or a programme file's fields): the limit, and whether a
# name counts. Titles and job titles name services in Title Case ("the Missing and Exploitation Hub"), which the
# name rule cannot tell from people, so there only the unambiguous kinds (address, postcode, date of birth, NHS
# number, phone, email, school, reference, never-store terms) are refused.
PLAN_TEXT_FIELDS: dict[str, tuple[int, bool]] = {
    "title": (300, False),
    "owner_role": (150, False),
    "resources": (1000, True),
    "success_measure": (1000, True),
    "evidence_of_impact": (1000, True),
    "evidence_of_completion": (1000, True),
    "impact_evidenced": (1000, True),
}


def plan_text_problem(text: str, field: str, never_store: Sequence[str] = ()) -> str | None:
    """Why an imported cell cannot be kept as it is (too long, or it could identify someone), or None.

    An import is refused rather than redacted: the spreadsheet is the plan's record outside the bot, and it should
    lose the details too; the problem names the row and column and never repeats what was found."""
    limit, names = PLAN_TEXT_FIELDS[field]
    if len(text) > limit:
        return f"please keep this to {limit:,} characters (this one has {len(text):,})"
    skip = {IdentifierKind.SPECIFIC_DATE} | (set() if names else {IdentifierKind.NAME})
    kinds = plain_kinds(f for f in find_identifiers(text, never_store) if f.kind not in skip)
    if not kinds:
        return None
    return (
        f"this could identify someone ({', '.join(kinds)}); please take those details out of the plan and import it "
        "again"
    )


def plan_text_issues(action: ActionDoc, never_store: Sequence[str] = ()) -> list[tuple[tuple[str], str]]:
    """Every imported free-text field of one action that is too long or could identify someone."""
    found: list[tuple[tuple[str], str]] = []
    for field in PLAN_TEXT_FIELDS:
        text = getattr(action, field)
        if text and (problem := plan_text_problem(text, field, never_store)):
            found.append(((field,), problem))
    return found
