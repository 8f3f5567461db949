"""The general distress rule: the author, an emotional state, and nothing that makes it someone else's or over.

The phrase rules in ``handlers.screen_distress`` catch wordings someone thought of. This rule generalises: a sentence
counts when a word from a broad lexicon of distress, matched by stem (tearful, numb, dread, panic, on edge, can't
switch off, drained, guilt, blame myself, thinking of leaving, drinking more, sleeping tablets, heaviness…) has the
author as its nearest person before it ("I keep bursting into tears", "my chest goes tight", "fills me with dread"),
with no negation between them, and the sentence is not historic ("used to", "at first", "years ago"), resolved
("supervision helped", "I feel well supported") or the author's fear for a child ("I'm frightened for this little
girl", which is live risk, not distress).
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)


def _any(*groups: str) -> str:
    return "|".join(groups)


_CAN_NOT = (
    r"(?:can't|cannot|couldn't|can not) (?:sleep|switch|stop|cope|face|breathe|get past|move on|let (?:it|this|that)"
    r" go|concentrate|think straight|shake|get (?:\w+ ){0,3}out of my head|go on|carry on|explain|make myself)"
)
_BODY_AND_SLEEP = _any(
    r"cry|cried|crying|cries|tears?|tearful|teary|sob\w*|weep\w*|panic\w*|on edge|heart (?:is )?(?:pounding|racing)",
    r"chest (?:goes |is |feels )?tight|tight chest|knot|stomach|feel sick|nause\w*|shak(?:ing|y|en)|shake|shook",
    r"trembl\w*|lie awake|lying awake|awake at|wak(?:e|ing) (?:up )?(?:at|in the night|every)|wak(?:e|ing) up",
    r"nightmares?|flashbacks?|sleep|not sleeping|not eating|sleeping (?:tablets|pills)",
    r"drink(?:ing)? more(?! water| fluids| tea| juice)",
    r"glass of wine|wine every|(?:haven't|hasn't|can't|won't) stop(?:ped)? (?:shaking|crying|thinking|trembling)",
)
_MIND = _any(
    r"numb(?:ness|ed)?|feel nothing|empty|hollow|dread\w*|anxi\w*|replay\w*|going over|in my head|close my eyes",
    r"keep (?:going over|hearing|picturing|bursting)|haunt\w*|fills me with|paralys\w*|frozen|scared|frightened",
    r"terrified|afraid|fear\w*|sad|sadness|grief|griev\w*|upset|devastat\w*|heartbroken|gutted|hopeless|helpless",
    r"heav(?:y|iness)|feel(?:ing)? (?:so |really )?(?:low|down|flat|lost)|depress\w*|traumati[sz]\w*|drowning",
    r"sinking|in a (?:real )?state|all i think about|phone (?:goes|rings)|carrying (?:this|it)|how much longer",
    r"how bad (?:it's|it has) got|(?:be|being|get|getting) found out|eating me up|can't remember|angry|anger|rage",
    r"who i'm becoming|go(?:es)? cold|appetite|(?:bad |same )?dreams?|making (?:silly )?mistakes",
)
_COPING = _any(
    r"exhaust\w*|tired|too tired|drained|shattered|burn(?:t|ed) out|running on empty|wiped out|worn out|run down",
    r"knackered|overwhelm\w*|stress\w*|struggl\w*|not coping|not okay|not ok|hold(?:ing)? (?:it|myself) together",
    r"fall(?:ing)? apart|in pieces|to pieces|break(?:ing)? down|broke down|broken|breaking point|end of my tether",
    r"nothing left|anything left|barely|going through the motions|make myself|force myself|irritable",
    r"snap(?:ping)? at|short[- ]tempered|don't feel like myself|not myself|not the same person",
    r"(?:shell|shadow) of (?:myself|my)|lost (?:my|all my) (?:confidence|nerve)",
)
_SELF_BLAME = _any(
    r"guilt\w*|blame myself|my fault|ashamed|shame|hate myself|a failure|failed|a fraud|useless|worthless",
    r"let (?:\w+ ){0,2}down|cut out for|embarrass\w*",
)
_WITHDRAWING = _any(
    r"(?:leav(?:e|ing)|quit\w*) (?:the job|this job|social work|the profession|this work|nursing|policing|teaching"
    r"|the service)|(?:handing|hand) in my notice|my notice|resign\w*|off sick|sick leave|days off|signed off",
    r"very alone|so alone|on my own with|lonely|isolated|who to (?:talk|turn)|nobody to talk|no one to talk",
    r"stopped seeing|withdrawn|cancel\w* plans|hide|hiding|need help|end my life|kill myself|want to die",
    r"don't want to be here",
)
# Stems on purpose: "exhaust" covers exhausted and exhausting, "overwhelm" overwhelmed and overwhelming.
STATE = re.compile(rf"\b(?:{_CAN_NOT}|{_any(_BODY_AND_SLEEP, _MIND, _COPING, _SELF_BLAME, _WITHDRAWING)})\b")
_FIRST = r"i|i'm|i've|i'd|i'll|me|my|myself|mine"
PERSON = re.compile(
    rf"\b(?:(?P<me>{_FIRST})|he|she|they|him|them|his|their|we|us|our|you|your|child|children|baby|babies|mum|dad"
    r"|colleagues?|staff|people|everyone|everybody|team|others?|families|parents?|someone|somebody|workers?"
    r"|practitioners?|managers?|boy|girl|kids?|young (?:person|people)|pupils?|teenagers?|nurses?|officers?)\b"
)
NEGATION = re.compile(r"\b(?:not|never|no longer|no)\b|n't\b")
CLAUSE_BREAK = re.compile(r"[,;:(—–]|\b(?:but|and|because|so|although|though)\b")
EPISTEMIC = re.compile(r"\b(?:not sure|don't know|can't say|don't have to)\b")
HISTORIC = re.compile(
    r"\b(?:used to|at first|years ago|back then|when i (?:started|was|first)|in my first|early in my career"
    r"|at the start)\b"
)
RESOLVED = re.compile(
    r"\b(?:helped|much better|feel better|feeling better|well supported|feel supported|pleased|grateful"
    r"|(?<!not )(?<!n't )(?<!n't be )(?<!not be )proud"  # not "decisions I wouldn't be proud of"
    r"|confident|glad|reassur\w*|relieved|useful|normal|nothing more|that's all|went well|clearer|calmer"
    r"|(?:fine|okay|ok|better) now)\b"
)
FEAR = re.compile(r"scared|frightened|terrified|afraid|fear|anxi|worr|upset|sad|stress|dread")
FOR_A_CHILD = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:for|about|that)\s+(?:(?:this|that|the|a|her|his|our|my)\s+)?(?:\w+\s+){0,2}?"
    r"(?:child|children|baby|girl|boy|kids?|young person|pupil|teenager|toddler|family|he|she|him|her|them|what)\b"
)


def general_distress(sentence: str) -> bool:
    """True when a lower-cased sentence shows the author's own distress."""
    if RESOLVED.search(sentence):
        return False
    people = list(PERSON.finditer(sentence))
    if not any(p.group("me") for p in people):
        return False
    return any(_own_state(sentence, state, people) for state in STATE.finditer(sentence))


def _own_state(sentence: str, state: re.Match[str], people: list[re.Match[str]]) -> bool:
    """The author is the nearest person before the state (or inside it: "my fault"), with no "not" or "used to"."""
    inside = [p for p in people if state.start() <= p.start() < state.end()]
    before = [p for p in people if p.end() <= state.start()]
    nearest = inside[0] if inside and inside[0].group("me") else (before[-1] if before else None)
    if nearest is None or not nearest.group("me"):
        return False
    if nearest.end() <= state.start() and len(sentence[nearest.end() : state.start()].split()) > 6:
        return False
    clause = CLAUSE_BREAK.split(sentence[: state.start()])[-1]
    if HISTORIC.search(clause) or (NEGATION.search(clause) and not EPISTEMIC.search(clause)):
        return False
    if (following := PERSON.match(sentence, state.end() + 1)) and not following.group("me"):
        return False  # "how tired families are": the state describes someone else
    return not (FEAR.match(state.group()) and FOR_A_CHILD.match(sentence, state.end()))
