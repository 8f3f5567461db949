"""Live-risk and distress wording for the reflection screen (deterministic patterns).

Live risk works sentence by sentence. A trigger is a present, continuing or future form of harm ("is being hit",
"is still living with him", "hasn't been seen since", "going back there tonight") or a past form tied to now by a
recency word ("told me today", "came in this morning with a burn"). A trigger does not count when, earlier in the same
sentence, the text is procedure, training or review narrative ("the procedure says", "in the review", "Child T"),
hypothetical or generic ("if", "would", "when a child…"), historic ("last year", "back then"), or negated in the same
clause ("none of the children… are at risk").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

_BE = r"(?:\bis|\bare|'s|'re|\b(?:she|he|it)s|\btheyre)"
_SUBJECT = (
    r"\b(?:he|she|they|child|children|baby|kids?|boys?|girls?|young (?:person|people)|pupils?|teenagers?|toddlers?"
    r"|twins|sisters?|brothers?|sons?|daughters?|siblings?|infants?)\s*(?:is|are|'s|'re)"
)
_NOT_ME = r"(?<!i'm )(?<!we're )(?<!i am )(?<!we are )(?<!i'll be )"
_HARM_PP = (
    r"(?:hit|hurt|beaten|abused|assaulted|groomed|exploited|neglected|harmed|threatened|attacked|raped|touched"
    r"|starved|locked in|locked up|kicked|punched|slapped|strangled|choked|burn(?:ed|t)|bullied|trafficked|made to"
    r"|forced to|sexually|physically|emotionally|picked up|left alone|left on (?:his|her|their) own|controlled"
    r"|rough with)"
)
_HARM_ING = (
    r"(?:hurting|hitting|abusing|beating|assaulting|grooming|exploiting|threatening|harming|touching|raping|starving"
    r"|kicking|punching|slapping|strangling|choking|neglecting|bullying|controlling|grabbing|shouting at)"
)
_CHILD = r"(?:pupil|student|child|girl|boy|young person|teenager|kid)s?"
_PERSON_AT_RISK = (
    r"(?:stepdad|step-dad|stepfather|partner|boyfriend|man|men|uncle|perpetrator|abuser|offender|adult|lodger|ex)"
)

TRIGGERS = tuple(
    re.compile(p)
    for p in (
        rf"{_BE}\s+(?:still\s+|currently\s+|now\s+|again\s+)?being\s+{_HARM_PP}\b",
        rf"{_BE}\s+(?:still\s+|currently\s+|now\s+)?{_HARM_ING}\b",
        r"\bnot\s+being\s+(?:fed|changed|washed|looked after|cared for|supervised)\b",
        r"\b(?:still|keeps?|keep on|regularly|always)\s+(?:hits?|hitting|hurts?|hurting|beats?|beating|abuses?|abusing"
        r"|grabs?|grabbing|messag(?:es|ing)|text(?:s|ing)|touch(?:es|ing)|threaten(?:s|ing)|shout(?:s|ing) at"
        r"|lock(?:s|ing)|kick(?:s|ing)|punch(?:es|ing)|slap(?:s|ping))\b",
        r"\b(?:hits|beats|hurts|abuses|touches|slaps|kicks|punches|strangles|chokes|rapes)\s+(?:her|him|them|me|us"
        r"|the kids|the children|the baby|his|their)\b",
        rf"(?:{_BE}|\bhas been|\bhave been)\s+(?:still\s+)?self[- ]?harm(?:ing)?\b",
        r"\bself[- ]?harming\s+again\b",
        r"\bcutting\s+(?:herself|himself|themselves|again|most nights|every night)\b",
        r"\b(?:wants?|wanting|going|plans?|planning|trying)\s+to\s+(?:kill\s+(?:herself|himself|themselves|myself)"
        r"|end\s+(?:it all|her life|his life|their life|my life))\b",
        rf"(?:{_BE}|\bfeels?)\s+(?:feeling\s+)?suicidal\b",
        rf"\bstill\s+(?:living|staying|sleeping|stays|lives)\s+(?:with|at)\s+(?:him\b|them\b|(?:the|her|his|their|a|an"
        rf"|that)\s+(?:\w+\s+){{0,2}}?{_PERSON_AT_RISK}\b)",
        r"\bstill\s+(?:in|at)\s+the\s+(?:house|home|flat|property)\b",
        r"\bstill\s+(?:letting|allowing)\b|\bstill\s+leaving\s+(?:them|him|her|the)\b",
        r"\bstill\s+(?:using|taking|injecting)\s+(?:drugs|heroin|cocaine|crack|cannabis|spice)\b|\bstill\s+drinking\b",
        r"\bstill\s+(?:coming|comes)\s+(?:round|over|to\s+the\s+(?:house|flat))\b",
        r"\bstill\s+sending\s+(?:her|him|them)\s+(?:messages|texts|pictures|photos)\b",
        r"\b(?:hasn't|has not|haven't|have not|not)\s+been\s+seen\s+(?:since|for)\b",
        r"\b(?:nobody|no one|no-one)\s+(?:has|have)\s+seen\b",
        rf"{_BE}\s+(?:still\s+)?missing\b|\b(?:has|have)\s+gone\s+missing\b|\b(?:hasn't|has not)\s+come\s+home\b",
        rf"{_NOT_ME}\bgoing\s+back\s+(?:there|to\s+(?:him|them|that\s+(?:house|flat|man|address)|the\s+(?:house|flat|address)))\b",
        r"\b(?:scared|frightened|afraid|terrified)\s+(?:to\s+go\s+home|of\s+going\s+home)\b",
        rf"{_BE}\s+still\s+going\s+(?:back\s+)?(?:there|to\s+(?:that|the)\s+(?:house|flat|address|place))\b",
        rf"{_BE}\s+going\s+(?:back\s+)?there\s+(?:every|again|tonight)\b",
        rf"{_SUBJECT}\s+(?:now\s+|still\s+|currently\s+)?(?:at|in)\s+(?:immediate\s+|significant\s+|serious\s+|real\s+)?"
        r"(?:risk|danger)\b(?!\s+of\s+(?:exclusion|being excluded|eviction|drift))",
        r"\b(?:sleeping|staying|stays|sleeps)\s+(?:over\s+)?(?:at|with)\s+(?:an?\s+)?(?:adult|older|grown)\b",
        r"\bgetting\s+into\s+(?:cars|a car|strangers'? cars)\b|\bowes?\s+(?:them|him|money|a debt)\b",
        rf"{_BE}\s+(?:still\s+)?(?:carrying|running|selling|dealing|holding)\s+(?:drugs|for)\b",
        r"\b(?:has|have|'s|'ve)\s+(?:just\s+)?threatened\s+to\b",
        r"\b(?:going to|gonna|will|'ll)\s+(?:kill|hurt|harm|stab|hit|beat|burn)\s+(?:him|her|them|me|someone"
        r"|somebody|anyone|the\s+(?:kids|children|baby|child|boy|girl|house)|his|their)\b",
        r"\b(?:going to|gonna|will|'ll)\s+take\s+(?:them|the\s+(?:kids|children|baby|child))\b"
        r"(?=.*\b(?:abroad|away|tonight|out of the country|coming back|whatever))",
        r"\b(?:has|have|'s got|has got|'ve got)\s+(?:(?:a|an|some|fresh|new|unexplained|more|another)\s+)*"
        r"(?:bruis\w*|burns?|marks?|injur\w*|fractur\w*|cuts?|bite marks?|black eye|swelling|welts?)\b",
        r"\b(?:has|have)\s+(?:just\s+)?disclosed\b",
        rf"(?:{_BE}|\bkeeps?)\s+(?:still\s+)?(?:messaging|texting|sending\s+(?:\w+\s+){{0,2}}messages?\s+to|contacting)"
        rf"\s+(?:(?:a|an|the|her|his|one of (?:the|our|my))\s+)?(?:\w+\s+){{0,3}}?{_CHILD}\b",
        rf"{_BE}\s+(?:still\s+)?(?:going|gone)\s+without\s+(?:food|meals|eating|heating)\b",
        r"\b(?:outside|at)\s+(?:the\s+)?(?:school\s+)?(?:gates?|door|house|home|flat)\s+(?:right\s+)?now\b",
    )
)
_RECENT = re.compile(
    r"\b(?:today|this morning|this afternoon|this evening|tonight|yesterday|last night|just now|earlier today"
    r"|right now)\b|\bi(?:'ve| have) just\b"
)
_RECENT_HARM = re.compile(
    r"\b(?:hit|hits|hitting|hurt|hurting|beat|beaten|abuse|abused|abusing|assault\w*|bruis\w*|burn|burns|burnt"
    r"|burned|injur\w*|fractur\w*|drunk|aggressive|violent|threat\w*|kill|knife|weapon|stab\w*|disclos\w*|raped?"
    r"|sexual\w*|overdose|self[- ]?harm\w*|suicid\w*|grabbed|strangl\w*|chok\w*|punch\w*|kick\w*|slap\w*"
    r"|unexplained)\b"
)
_FUTURE_MOVE = re.compile(r"\b(?:discharged|returned|returning|sent back|moving back|going home|go home)\b")
_FUTURE_WHEN = re.compile(r"\b(?:tomorrow|tonight|this weekend|next week|today|later)\b")
_FUTURE_RISK = re.compile(r"\b(?:despite|same address|where the injur\w*|threat\w*|violent|unsafe|abus\w*)\b")
_PREGNANT = re.compile(r"(?:\bis|'s)\s+pregnant\b")
_UNDERAGE = re.compile(r"\b(?:1[0-5]|twelve|thirteen|fourteen|fifteen)\b(?!\s+weeks)")

_NOT_NOW = re.compile(
    r"\b(?:procedures?|polic(?:y|ies)|guidance|flow ?chart|protocol|training|case stud(?:y|ies)|scenario|role[- ]?play"
    r"\w*|workshop|briefing|induction|e-learning|research|in the review|the review (?:found|says|said|describes"
    r"|notes|noted|shows|showed)|review period|the panel|the report says|last year|years ago|months ago|back then"
    r"|at the time|historically|previously|used to|in the past|in 20\d\d)\b"
)
_PUBLISHED_CHILD = re.compile(r"\b(?:Child|Baby) [A-Z]\b")
_HYPOTHETICAL = re.compile(
    r"\b(?:if|would|could|might|should|imagine|suppose|supposing|hypothetically|in case|unless|whether|what would)\b"
    r"|\bwhen\s+(?:a|an|the)?\s*(?:child|children|young person|young people|baby|pupil|someone|somebody|parent)\b"
    r"|^\W*(?:a|any|every)\s+(?:child|young person|baby|pupil)\s+who\b"
)
_NEGATED = re.compile(r"\b(?:no|not|never|none|nobody|no one|without|nothing)\b|n't\b")
_EPISTEMIC = re.compile(r"\b(?:don't|do not|doesn't|not) (?:know|think|believe|sure)\b|\bcan't believe\b")
_URGENT = re.compile(
    r"\b(?:tonight|right now|in danger|immediate danger|as we speak|this evening|ha(?:s|ve) a plan)\b"
    r"|\bnow,? waiting\b|\boutside\b.*\bnow\b"
)
_STAFF = re.compile(
    r"\b(?:colleague|teacher|teaching assistant|ta|nurse|foster carer|carer|social worker|support worker|staff member"
    r"|member of staff|coach|youth worker|officer|doctor|health visitor|midwife|residential worker|key worker"
    r"|childminder|nursery worker|tutor|volunteer|care worker|therapist|counsellor|caretaker|one of (?:the|our|my)"
    r" staff)s?\b"
)
_NOT_SUBJECT = re.compile(r"\b(?:that|told|tell|tells|said|says|asked|reported|to|by|about|from)\b")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_CLAUSE_BREAK = re.compile(r"[,;:(—–]")


@dataclass(frozen=True)
class RiskFlags:
    live_risk: bool = False
    urgent: bool = False
    concern_about_staff: bool = False


def assess_risk(text: str) -> RiskFlags:
    """Live-risk flags for a reflection; never logs or keeps the text."""
    live = urgent = staff = False
    for raw in _SENTENCE.findall(text.replace("’", "'")):
        position = _trigger_position(raw)
        if position is None:
            continue
        live = True
        sentence = raw.lower()
        urgent = urgent or _URGENT.search(sentence) is not None
        staff = staff or _about_staff(sentence[:position])
    return RiskFlags(live_risk=live, urgent=urgent, concern_about_staff=staff)


def _trigger_position(raw: str) -> int | None:
    sentence = raw.lower()
    for pattern in TRIGGERS:
        for m in pattern.finditer(sentence):
            if _counts(raw, sentence, m.start()):
                return m.start()
    recent = _RECENT.search(sentence)
    if recent:
        for m in _RECENT_HARM.finditer(sentence):
            if _counts(raw, sentence, min(m.start(), recent.start())):
                return m.start()
    move = _FUTURE_MOVE.search(sentence)
    if (
        move
        and _FUTURE_WHEN.search(sentence)
        and _FUTURE_RISK.search(sentence)
        and _counts(raw, sentence, move.start())
    ):
        return move.start()
    if _PREGNANT.search(sentence) and _UNDERAGE.search(sentence) and _counts(raw, sentence, 0):
        return 0
    return None


def _counts(raw: str, sentence: str, start: int) -> bool:
    before = sentence[:start]
    if _NOT_NOW.search(before) or _PUBLISHED_CHILD.search(raw[:start]) or _HYPOTHETICAL.search(before):
        return False
    clause = _CLAUSE_BREAK.split(before)[-1]
    return not (_NEGATED.search(clause) and not _EPISTEMIC.search(clause))


def _about_staff(before: str) -> bool:
    matches = list(_STAFF.finditer(before))
    return bool(matches) and not _NOT_SUBJECT.search(before[matches[-1].end() :])


_ADV = r"(?:(?:really|so|completely|honestly|just|still|totally|absolutely|very|quite|utterly|constantly)\s+)*"
DISTRESS = tuple(
    re.compile(p)
    for p in (
        r"\bi\s+(?:can't|cannot|can not|couldn't)\s+(?:sleep|cope|stop (?:crying|thinking|shaking)|switch off|face"
        r" (?:it|work|going)|go on|carry on|breathe|concentrate|see a way|get (?:it|this|that|him|her|them) out of my"
        r" head)",
        rf"\bi(?:'m| am)\s+{_ADV}(?:not coping|not sleeping|not okay|not ok|not alright|struggling|exhausted|burnt out"
        r"|burned out|broken|in pieces|in bits|falling apart|overwhelmed|drowning|scared|frightened|terrified|anxious"
        r"|depressed|devastated|numb|a wreck|in a (?:real )?state|at breaking point|at the end of my tether|crying"
        r"|dreading|having panic attacks|on my own|shaking|signed off|off sick|losing sleep|haunted|a mess"
        r"|heartbroken|traumatised|not in a good place)\b",
        rf"\bi\s+(?:feel|felt)\s+{_ADV}(?:like\s+)?(?:i\s+(?:have\s+|'ve\s+)?(?:failed|let\s+(?:\w+\s+){{0,3}}down)"
        r"|a failure|a fraud|useless|worthless|sick|guilty|numb|alone|on my own|broken|ashamed|terrible|awful"
        r"|hopeless|helpless|overwhelmed|anxious|scared|empty|out of my depth|crushed|devastated|like crying"
        r"|like giving up|like quitting)",
        r"\bi\s+(?:still\s+)?dread\b",
        r"\bi(?:'ve| have)\s+been\s+(?:crying|off sick|signed off|having (?:nightmares|panic attacks|flashbacks)"
        r"|struggling|not sleeping|dreading|drinking more|unable to sleep)",
        r"\bmade me (?:shake|cry|feel sick|physically sick|want to quit)|\bi had to (?:go home|leave the room)",
        r"\btime off sick\b|\baffecting my (?:home life|sleep|health|mental health|family|relationship|marriage)\b",
        r"\bi don't recognise myself\b|\bend my life\b|\bi see (?:his|her|their) face\b",
        r"\bi don't think i can (?:keep (?:doing|going)|carry on|go on|do this|cope)",
    )
)
_FIRST_PERSON_ONLY = re.compile(r"\b(?:breaking|broke) down\b|\bpanic attacks?\b|\bsnapping at\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|me|my)\b")


def shows_distress(text: str) -> bool:
    """True when the author writes about their own distress ("I can't sleep"), not distress in general."""
    for raw in _SENTENCE.findall(text.replace("’", "'")):
        sentence = raw.lower()
        if any(p.search(sentence) for p in DISTRESS):
            return True
        if _FIRST_PERSON_ONLY.search(sentence) and _FIRST_PERSON.search(sentence):
            return True
    return False
