"""Live-risk screen: does a reflection suggest a child may be at risk now?

Works sentence by sentence. Two layers:

1. Phrase rules on the wording in ``handlers.screen_risk_words``: a current-harm trigger ("is being hit", "hasn't
   been seen since"), a past harm tied to now by a recency word ("came in this morning with a burn"), a harm or
   indicator word with a sign of "now" in the same clause ("mum is drinking again"), a future return despite risk,
   an under-16 with a much older partner, or the author's worry about a particular child. None of these counts when,
   earlier in the same sentence, the text is procedure, training or review narrative, hypothetical or generic,
   historic, or negated in the same clause.
2. The general rule in ``handlers.screen_risk_general`` for sentences the phrases miss: a particular child, a word
   from a broad harm lexicon and a present or future time signal, minus historic, framing, hypothetical, negated and
   completed-action markers.

Every candidate from either layer is then vetoed when the sentence reports a completed action or a good outcome ("is
now safe", "were arrested"), when framing comes before the trigger ("in the workshop"), or when the trigger sits in
a past clause with nothing tying it to now ("the bruises were explained away"). Recall is preferred to precision: a
false alarm costs the author one tap ("historic or already actioned"); a miss files a live concern into an anonymous
pool.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from handlers import screen_risk_words as words
from handlers.screen_risk_general import BLOCK, DONE, general_risk_position, past_clause

logger = logging.getLogger(__name__)

_NOT_NOW = re.compile(
    r"\b(?:procedures?|polic(?:y|ies)|guidance|flow ?chart|protocol|training|case stud(?:y|ies)|scenario|role[- ]?play"
    r"\w*|workshop|briefing|induction|e-learning|research|threshold|document|in the review|the review (?:found|says"
    r"|said|describes|notes|noted|shows|showed)|review period|the panel|the report says|last year|years ago"
    r"|months ago|back then|at the time|historically|previously|used to|in the past|in 20\d\d|important to remember"
    r"|we must remember)\b"
)
_PUBLISHED_CHILD = re.compile(r"\b(?:Child|Baby) [A-Z]\b")
_HYPOTHETICAL = re.compile(
    r"\b(?:if|would|could|might|should|imagine|suppose|supposing|hypothetically|in case|unless|what would)\b"
    r"|\bwhen\s+(?:a|an|the)?\s*(?:child|children|young person|young people|baby|pupil|someone|somebody|parent)\b"
    r"|^\W*(?:a|any|every)\s+(?:child|young person|baby|pupil)\s+who\b"
    r"|(?<!the )(?<!these )(?<!those )(?<!her )(?<!his )(?<!their )\b(?:children|young people|babies) who\b"
)
_REPORTED = re.compile(r"\b(?:says|said|told|tells|reckons|threatened|threatens|screamed|shouted)\b")
_NEGATED = re.compile(r"\b(?:no|not|never|none|nobody|no one|without|nothing)\b|n't\b")
_EPISTEMIC = re.compile(r"\b(?:don't|do not|doesn't|not) (?:know|think|believe|sure)\b|\bcan't believe\b")
_URGENT = re.compile(
    r"\b(?:tonight|right now|in danger|immediate danger|as we speak|this evening|ha(?:s|ve) a plan|trying to get in"
    r"|banging on the door)\b"
    r"|\bnow,? waiting\b|\boutside\b.*\bnow\b"
)
_STAFF = re.compile(
    r"\b(?:colleague|teacher|teaching assistant|ta|nurse|foster carer|carer|social worker|support worker|staff member"
    r"|member of staff|coach|youth worker|officer|doctor|health visitor|midwife|residential worker|key worker"
    r"|childminder|nursery worker|tutor|volunteer|care worker|therapist|counsellor|caretaker|dinner lady|dinner ladies"
    r"|lunchtime supervisor|scout leader|instructor|priest|imam|one of (?:the|our|my) staff)s?\b"
)
_STAFF_AS_OBJECT = re.compile(r"\b(?:told|tells|tell|to|asked|with|by|for)\b(?:\s+(?:his|her|their|the|a|my|our))?$")
_NOT_SUBJECT = re.compile(r"\b(?:that|told|tell|tells|said|says|asked|reported|to|by|about|from)\b")
SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
CLAUSE_BREAK = re.compile(r"[,;:(—–]")


@dataclass(frozen=True)
class RiskFlags:
    live_risk: bool = False
    urgent: bool = False
    concern_about_staff: bool = False


class Document:
    """A text split into sentences and clauses, with each pattern run once over the whole text (for speed)."""

    def __init__(self, text: str) -> None:
        self.raw = text.replace("’", "'")
        lower = self.raw.lower()
        if len(lower) != len(self.raw):  # a few characters grow when lower-cased; keep offsets aligned
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.raw)
        self.lower = lower
        self.sentences = [(m.start(), m.end()) for m in SENTENCE.finditer(lower)]
        self._sentence_starts = [start for start, _ in self.sentences]
        breaks = [m.start() + 1 for m in CLAUSE_BREAK.finditer(lower)]
        self._clause_starts = sorted(set(self._sentence_starts) | set(breaks))

    def sentence_of(self, pos: int) -> int | None:
        index = bisect.bisect_right(self._sentence_starts, pos) - 1
        if index < 0 or pos >= self.sentences[index][1]:
            return None
        return index

    def clause_of(self, pos: int) -> int:
        return bisect.bisect_right(self._clause_starts, pos) - 1

    def clause_end(self, clause: int) -> int:
        following = self._clause_starts[clause + 1] if clause + 1 < len(self._clause_starts) else len(self.lower)
        index = self.sentence_of(self._clause_starts[clause])
        return min(following, self.sentences[index][1]) if index is not None else following

    def has_any(self, keywords: tuple[str, ...]) -> bool:
        return any(k in self.lower for k in keywords)

    def sentences_with(self, keywords: tuple[str, ...]) -> list[int]:
        """Indexes of the sentences that contain any of the keywords (plain substring search, which is fast)."""
        found: set[int] = set()
        for keyword in keywords:
            pos = self.lower.find(keyword)
            while pos >= 0:
                index = self.sentence_of(pos)
                if index is not None:
                    found.add(index)
                pos = self.lower.find(keyword, pos + 1)
        return sorted(found)

    def by_sentence(
        self, pattern: re.Pattern[str], keywords: tuple[str, ...] | None = None, only: Iterable[int] | None = None
    ) -> dict[int, list[re.Match[str]]]:
        """Matches grouped by sentence; only sentences holding a keyword (or listed in ``only``) are searched."""
        if only is not None:
            indexes: Iterable[int] = sorted(only)
        else:
            indexes = range(len(self.sentences)) if keywords is None else self.sentences_with(keywords)
        found: dict[int, list[re.Match[str]]] = {}
        for index in indexes:
            start, end = self.sentences[index]
            matches = list(pattern.finditer(self.lower, start, end))
            if matches:
                found[index] = matches
        return found

    def first_by_clause(self, pattern: re.Pattern[str]) -> dict[int, re.Match[str]]:
        found: dict[int, re.Match[str]] = {}
        for m in pattern.finditer(self.lower):
            found.setdefault(self.clause_of(m.start()), m)
        return found


def assess_risk(text: str) -> RiskFlags:
    """Live-risk flags for a reflection; never logs or keeps the text."""
    doc = Document(text)
    positions = _positions(doc)
    live = urgent = staff = False
    for index, position in positions.items():
        start, end = doc.sentences[index]
        sentence = doc.lower[start:end]
        live = True
        urgent = urgent or _URGENT.search(sentence) is not None
        staff = staff or _about_staff(sentence[: position - start])
    return RiskFlags(live_risk=live, urgent=urgent, concern_about_staff=staff)


def _positions(doc: Document) -> dict[int, int]:
    """Sentence index → absolute position of the first rule that fires there, rules tried in a fixed order."""
    candidates: dict[int, list[tuple[int, int, int]]] = {}
    for rank, (keywords, pattern) in enumerate(words.TRIGGERS):
        for index, matches in doc.by_sentence(pattern, keywords).items():
            candidates.setdefault(index, []).extend((rank, m.start(), m.start()) for m in matches)
    recent = {i: ms[0].start() for i, ms in doc.by_sentence(words.RECENT, words.RECENT_KEYWORDS).items()}
    for index, matches in doc.by_sentence(words.RECENT_HARM, only=recent).items():
        if index in recent:
            rank = len(words.TRIGGERS)
            candidates.setdefault(index, []).extend((rank, m.start(), min(m.start(), recent[index])) for m in matches)
    positions: dict[int, int] = {}
    for index, found in candidates.items():
        for _, position, checked_at in sorted(found):
            if _counts_at(doc, index, checked_at):
                positions[index] = position
                break
    positions |= _other_positions(doc, skip=set(positions))
    for index, (start, end) in enumerate(doc.sentences):
        if index not in positions and (offset := general_risk_position(doc.lower[start:end])) is not None:
            positions[index] = start + offset
    return {index: pos for index, pos in positions.items() if not _vetoed(doc, index, pos)}


def _vetoed(doc: Document, index: int, position: int) -> bool:
    """Checks every rule shares: a completed action or good outcome in the sentence ("is now safe"), framing before
    the trigger ("in the workshop"), or a trigger in a past clause with nothing tying it to now."""
    start, end = doc.sentences[index]
    sentence = doc.lower[start:end]
    offset = position - start
    return bool(DONE.search(sentence) or BLOCK.search(sentence, 0, offset)) or past_clause(sentence, offset)


def _other_positions(doc: Document, skip: set[int]) -> dict[int, int]:
    sentence_rules = _sentence_rule_starts(doc)
    harm_now: dict[int, list[int]] = {}
    for clause, harm in sorted(doc.first_by_clause(words.HARM).items()):
        index = doc.sentence_of(harm.start())
        now = words.NOW.search(doc.lower, doc._clause_starts[clause], doc.clause_end(clause))
        if index is not None and now:
            harm_now.setdefault(index, []).append(max(harm.start(), now.start()))
    positions: dict[int, int] = {}
    for index in sorted((set(sentence_rules) | set(harm_now)) - skip):
        for position in sentence_rules.get(index, []) + harm_now.get(index, []):
            if _counts_at(doc, index, position):
                positions[index] = position
                break
    return positions


def _sentence_rule_starts(doc: Document) -> dict[int, list[int]]:
    """Per sentence, the candidate positions of the future-return, under-16 and worried-about-a-child rules."""

    def first(pattern: re.Pattern[str], keywords: tuple[str, ...]) -> dict[int, int]:
        return {i: ms[0].start() for i, ms in doc.by_sentence(pattern, keywords).items()}

    move = first(words.FUTURE_MOVE, ("discharged", "return", "sent back", "moving back", "go home", "going home"))
    when = first(words.FUTURE_WHEN, ("tomorrow", "tonight", "weekend", "next week", "today", "later")) if move else {}
    risk = (
        first(words.FUTURE_RISK, ("despite", "address", "injur", "threat", "violent", "unsafe", "abus")) if move else {}
    )
    underage = first(words.UNDERAGE, ("1", "twelve", "thirteen", "fourteen", "fifteen"))
    pregnant = first(words.PREGNANT, ("pregnant",)) if underage else {}
    gap = first(words.AGE_GAP, ("year-old", "boyfriend", "girlfriend")) if underage else {}
    worried = first(words.WORRIED_ABOUT_CHILD, ("worried", "concerned", "frightened", "scared", "anxious"))
    starts: dict[int, list[int]] = {}
    for index in range(len(doc.sentences)):
        found = []
        if index in move and index in when and index in risk:
            found.append(move[index])
        if index in underage and (index in pregnant or index in gap):
            found.append(underage[index])
        if index in worried:
            found.append(worried[index])
        if found:
            starts[index] = found
    return starts


def _counts_at(doc: Document, index: int, position: int) -> bool:
    start, end = doc.sentences[index]
    return _counts(doc.raw[start:end], doc.lower[start:end], position - start)


def _counts(raw: str, sentence: str, start: int) -> bool:
    before = sentence[:start]
    if _NOT_NOW.search(before) or _PUBLISHED_CHILD.search(raw[:start]) or _hypothetical(before):
        return False
    clause = CLAUSE_BREAK.split(before)[-1]
    if words.GENERAL_SUBJECT.search(clause):
        return False
    return not (_NEGATED.search(clause) and not _EPISTEMIC.search(clause))


def _hypothetical(before: str) -> bool:
    """A hypothetical marker before the trigger; an "if" inside reported speech ("she says if…") does not count."""
    return any(
        not (m.group() == "if" and _REPORTED.search(before[: m.start()])) for m in _HYPOTHETICAL.finditer(before)
    )


def _about_staff(before: str) -> bool:
    """A professional is the subject of the harm: "a colleague is hurting…", not "he told his teacher…"."""
    matches = list(_STAFF.finditer(before))
    if not matches:
        return False
    last = matches[-1]
    lead_in = " ".join(before[: last.start()].split()[-3:])
    return not _NOT_SUBJECT.search(before[last.end() :]) and not _STAFF_AS_OBJECT.search(lead_in)
