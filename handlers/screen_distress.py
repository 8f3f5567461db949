"""Distress screen: is the author writing about their own distress ("I can't sleep", "I feel I failed")?

Mentions of distress in general ("staff wellbeing was discussed", "some colleagues found it upsetting") and negated or
past forms ("I'm not anxious", "I used to dread") do not count. Phrase rules here work sentence by sentence, then
clause by clause; the general rule in ``handlers.screen_distress_general`` (the author as the nearest person before a
word from a broad lexicon of emotional states) catches wordings the phrases miss. A sentence that says the feeling
has passed ("it went well", "I feel well supported") counts for neither.
"""

from __future__ import annotations

import logging
import re

from handlers.screen_distress_general import FEAR, FOR_A_CHILD, RESOLVED, general_distress
from handlers.screen_distress_signs import shows_distress_signs
from handlers.screen_risk import Document

logger = logging.getLogger(__name__)

_ADV = r"(?:(?:really|so|completely|honestly|just|still|totally|absolutely|very|quite|utterly|constantly)\s+)*"
# Each phrase: words one of which every match contains (checked first, for speed), and the regex.
PHRASES: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (tuple(keys.split(",")), re.compile(pattern))
    for keys, pattern in (
        (
            "can't,cannot,can not,couldn't",
            r"\bi\s+(?:can't|cannot|can not|couldn't)\s+(?:sleep|cope|stop (?:crying|thinking|shaking)|switch off"
            r"|face (?:it|work|going)|go on|carry on|breathe|concentrate|see a way"
            r"|get (?:it|this|that|him|her|them) out of my head)",
        ),
        (
            "i'm,i am",
            rf"\bi(?:'m| am)\s+{_ADV}(?:not coping|not sleeping|not okay|not ok|not alright|struggling|exhausted"
            r"|burnt out|burned out|broken|in pieces|in bits|falling apart|overwhelmed|drowning|scared|frightened"
            r"|terrified|anxious"
            r"|depressed|devastated|numb|a wreck|in a (?:real )?state|at breaking point|at the end of my tether|crying"
            r"|dreading|having panic attacks|on my own|shaking|signed off|off sick|losing sleep|haunted|a mess"
            r"|heartbroken|traumatised|not in a good place|finding (?:it|this|things) (?:really |so |very )?(?:hard"
            r"|difficult|tough))\b(?!\s+(?:for|about)\s+(?:(?:this|that|the|a|her|his|my|our)\s+)?(?:\w+\s+){0,2}?"
            r"(?:child|girl|boy|baby|kid|young person|pupil|family|him|her|them)\b)",
        ),
        (
            "feel,felt",
            rf"\bi\s+(?:feel|felt)\s+{_ADV}(?:like\s+)?(?:i\s+(?:have\s+|'ve\s+)?(?:failed|let\s+(?:\w+\s+){{0,3}}down)"
            r"|a failure|a fraud|useless|worthless|sick|guilty|numb|alone|on my own|broken|ashamed|terrible|awful"
            r"|hopeless|helpless|overwhelmed|anxious|scared|empty|out of my depth|crushed|devastated|like crying"
            r"|like giving up|like quitting|i'm drowning|low|down|flat|rubbish|awful)",
        ),
        ("dread", r"\bi\s+(?:still\s+)?dread\b"),
        (
            "i've been,i have been",
            r"\bi(?:'ve| have)\s+been\s+(?:crying|off sick|signed off|having (?:nightmares|panic attacks|flashbacks)"
            r"|struggling|not sleeping|dreading|drinking more|unable to sleep)",
        ),
        (
            "made me,had to",
            r"\bmade me (?:shake|cry|feel sick|physically sick|want to quit)|\bi had to (?:go home|leave the room)",
        ),
        (
            "time off sick,affecting my",
            r"\btime off sick\b|\baffecting my (?:home life|sleep|health|mental health|family|relationship|marriage)\b",
        ),
        (
            "recognise myself,end my life,face,blame myself",
            r"\bi don't recognise myself\b|\bend my life\b|\bi see (?:his|her|their) face\b|\bblame myself\b",
        ),
        ("i can", r"\bi don't think i can (?:keep (?:doing|going)|carry on|go on|do this|cope)"),
        (
            "any more,anymore",
            # the author's own words: opening a sentence or after "I", never inside someone's quoted words
            r"(?:(?:^|[.!?\n]\s*)|(?<![\w'\"‘“])i (?:just |honestly |really |genuinely )?)(?:can'?t|cannot|can not)"
            r" (?:do|keep doing|take|cope with|face|hack) (?:this|it)(?: job| work)? any ?more\b",
        ),
        (
            "leaving,quitting,giving up,want to",
            r"\b(?:thought|thinking|think) (?:about|of) (?:leaving|quitting|giving up)\b|\bi want to (?:leave|quit)\b",
        ),
        ("my fault", r"\b(?:it was|it wasn't|it is|it isn't|wasn't|was it) my fault\b"),
        (
            "confidence,home,around,phone",
            r"\blost (?:my |all my )?confidence\b|\b(?:carrying|taking) (?:this|it) (?:home|around)\b"
            r"|\bevery time (?:my|the) phone (?:goes|rings)\b",
        ),
    )
)
ABOUT_ME_KEYS = ("me", "not")
FIRST_PERSON_ONLY_KEYS = ("down", "panic", "snapping")
_FIRST_PERSON_ONLY = re.compile(r"\b(?:breaking|broke) down\b|\bpanic attacks?\b|\bsnapping at\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|me|my)\b")
_DISTRESS_WORD = re.compile(
    r"\b(?:cried|crying|in tears|sobb(?:ing|ed)|nightmares?|flashbacks?|panick(?:ing|ed)|panic attacks?"
    r"|can't sleep|cannot sleep|couldn't sleep|not sleeping|barely (?:slept|sleeping)|insomnia|exhausted|burnt out"
    r"|burned out|dread(?:ing|ed)?|guilt|guilty|ashamed|failed|a failure|numb|anxious|anxiety|overwhelmed|broke down"
    r"|breaking down|in pieces|shaking|sick to my stomach|haunted|devastated|heartbroken|traumatised|hopeless"
    r"|helpless|worthless|a fraud|hand(?:ing)? (?:in )?my notice|quit(?:ting)?|leave the profession|signed off"
    r"|off sick|stressed|depressed|can't cope|not coping|struggling|falling apart|scared|terrified|frightened|drowning"
    r"|let (?:\w+ ){0,2}down|can't switch off|can't stop (?:thinking|crying)|replaying|tearful|teary|welling up"
    r"|not been sleeping)\b"
)
_I = re.compile(r"\b(?:i|i'm|i've|i'd|i'll)\b")
_OTHERS = re.compile(r"\b(?:the|a|an|his|her|their|he|she|they|we|it|baby|child|mum|dad|him|them|people)\b")
_UNDONE = re.compile(r"\b(?:not|never|no longer|used to)\b|(?<!can't)(?<!couldn't)(?<!cannot)n't\b(?! stop| help)")
_CLAUSE_END = r"(?=[^\w,;:(—–.!?\n]*(?:[,;:(—–.!?\n]|\Z))"
_ABOUT_ME = re.compile(
    r"\b(?:broken|broke|crushed|destroyed|floored) (?:something in )?me\b|\bi(?:'m| am) (?:really |just |honestly )?not"
    + _CLAUSE_END
)


def shows_distress(text: str) -> bool:
    """True when the author writes about their own distress, not distress in general."""
    doc = Document(text)
    resolved = {i for i, (start, end) in enumerate(doc.sentences) if RESOLVED.search(doc.lower, start, end)}
    for keywords, pattern in PHRASES:
        if set(doc.by_sentence(pattern, keywords)) - resolved:
            return True
    if set(doc.by_sentence(_ABOUT_ME, ABOUT_ME_KEYS)) - resolved:
        return True
    for index in set(doc.by_sentence(_FIRST_PERSON_ONLY, FIRST_PERSON_ONLY_KEYS)) - resolved:
        start, end = doc.sentences[index]
        if _FIRST_PERSON.search(doc.lower, start, end):
            return True
    if any(general_distress(doc.lower[start:end]) for start, end in doc.sentences):
        return True
    if shows_distress_signs(text):
        return True
    subjects = doc.first_by_clause(_I)
    distress_words = doc.first_by_clause(_DISTRESS_WORD)
    return any(
        _own_distress(doc, subjects[c], distress_words[c]) and doc.sentence_of(subjects[c].start()) not in resolved
        for c in set(subjects) & set(distress_words)
    )


def _own_distress(doc: Document, subject: re.Match[str], word: re.Match[str]) -> bool:
    """A distress word within five words after "I", with nobody else's name or pronoun and no "not" between."""
    if word.start() < subject.end():
        return False
    between = doc.lower[subject.end() : word.start()]
    if FEAR.match(word.group()) and FOR_A_CHILD.match(doc.lower, word.end()):
        return False  # "I'm scared for this little girl" is live risk, not the author's distress
    return len(between.split()) <= 5 and not _OTHERS.search(between) and not _UNDONE.search(between)


def keyed_patterns() -> tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]:
    """Every (keywords, pattern) pair used with a keyword pre-check, for the test that each match has a keyword."""
    return (*PHRASES, (ABOUT_ME_KEYS, _ABOUT_ME), (FIRST_PERSON_ONLY_KEYS, _FIRST_PERSON_ONLY))
