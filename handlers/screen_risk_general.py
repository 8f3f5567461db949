"""The general live-risk rule: a child, a harm and "now" in one sentence, with nothing that makes it not-now.

The phrase rules in ``handlers.screen_risk_words`` catch wordings someone thought of. This rule generalises: a
sentence counts when it has

(a) a reference to a child (child, baby, pupil, teenager, "the eldest", "a seven-week-old", or he/she/him/her,
    because reflections are about children and their carers),
(b) a word from a broad harm and danger lexicon, matched by stem (hurt, bruis…, groom…, exploit…, scared, missing,
    hungry, left alone, self-harm, picked up, older men, sharing images…), not negated earlier in its own clause,
(c) a sign of the present or future: present-tense forms ("is", "keeps", "grabs", "won't"), "still", "now",
    "again", "every night", "this weekend", "tonight", "yesterday", "after school"…,

and none of (d): a historic marker ("years ago", "back then", "looking back", "in 2019"), review, procedure or
training framing ("the review", "the policy says", "in the workshop"), a hypothetical before the harm ("if",
"would", "when a child…"), a completed action ("was referred", "is now safe", "strategy meeting was held",
"already raised", "were arrested"), or a general subject ("parents are…", "we're seeing…").
"""

from __future__ import annotations

import logging

from handlers.screen_risk_lexicon import (
    BLOCK,
    CHILD,
    CLAUSE_BREAK,
    DONE,
    HARM,
    HISTORIC,
    HYPOTHETICAL,
    NEGATION,
    NOTE_START,
    NOW,
    PAST,
    RECENT,
    RELATIVE,
    REPORTED,
    SENTENCE_RECENT,
    STRONG_NOW,
    TENSE_BREAK,
)
from handlers.screen_risk_words import GENERAL_SUBJECT

logger = logging.getLogger(__name__)

__all__ = ["BLOCK", "DONE", "general_risk_position", "past_clause"]


def general_risk_position(sentence: str) -> int | None:
    """Offset in a lower-cased sentence of the harm that makes it live risk, or None."""
    if not (CHILD.search(sentence) or _note_style(sentence)) or not NOW.search(sentence):
        return None
    if DONE.search(sentence) or GENERAL_SUBJECT.search(sentence):
        return None
    if HISTORIC.search(sentence) and not STRONG_NOW.search(sentence):
        return None
    for harm in HARM.finditer(sentence):
        before = sentence[: harm.start()]
        if _hypothetical(before) or BLOCK.search(before) or BLOCK.search(_clause_of(sentence, harm.start())):
            return None
        clause = CLAUSE_BREAK.split(before)[-1]
        if not NEGATION.search(clause) and not past_clause(sentence, harm.start(), harm.end()):
            return harm.start()
    return None


def _note_style(sentence: str) -> bool:
    """A case-note sentence with no subject ("Missing x4 this month.") is about the child in hand."""
    return NOTE_START.match(sentence) is not None


def past_clause(sentence: str, start: int, end: int | None = None) -> bool:
    """The harm's own clause is in the past ("the bruises were explained away") and nothing ties it to now.

    A past relative clause in a sentence that is plainly about now still counts: "he is still going to the house
    where he was exploited".
    """
    if SENTENCE_RECENT.search(sentence):
        return False
    clause = _clause_of(sentence, start, end)
    if PAST.search(clause) is None or RECENT.search(clause) is not None:
        return False
    return not (RELATIVE.search(clause) and STRONG_NOW.search(sentence))


def _clause_of(sentence: str, start: int, end: int | None = None) -> str:
    breaks = [m.start() for m in TENSE_BREAK.finditer(sentence)]
    left = max((b for b in breaks if b < start), default=0)
    right = min((b for b in breaks if b >= (start if end is None else end)), default=len(sentence))
    return sentence[left:right]


def _hypothetical(before: str) -> bool:
    """A hypothetical before the harm; an "if" inside reported speech ("he says if she tells…") does not count."""
    return any(not (m.group() == "if" and REPORTED.search(before[: m.start()])) for m in HYPOTHETICAL.finditer(before))
