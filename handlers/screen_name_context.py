"""Context that shows a capitalised word is a person's name, even when the word is ordinary ("Summer", "Dawn").

Used by ``handlers.screen_names`` for capitalised words that are not function words, titles, places or brands,
wherever they stand in the sentence. A word is a name when it is followed by:

- a possessive and a family or care word: "Summer's mum", "Kiyan's nan", "Rose's foster carer";
- an age or a role in brackets or after a comma: "Rose (4)", "Dawn (mum)", "Ellie, 15,", "Jack, aged 9", "Faith (yr 3)";
- a school year: "Summer in Year 6", "Grace in yr 9";
- a role in apposition: "Dawn, my supervisor", "Holly, her sister";
- "and her/his/their" and a family word: "with Rose and her brother";
- a telling verb and its object: "River told his teacher", "Hope said that";
- what happens to a person: "Holly was found", "Precious has been left", "Summer is 6".

``named_in_apposition`` reads the words before: a person or role, then the word between commas ("our court officer,
Will, has been", "young carer I see, Grace, 13").
"""

from __future__ import annotations

import re

_FAMILY = (
    r"mum|mummy|mam|mother|dad|daddy|father|nan|nana|nanna|gran|granny|grandma|grandad|grandpa|grandmother"
    r"|grandfather|brother|sister|siblings?|twins?|cousin|aunt|auntie|aunty|uncle|step-?dad|step-?mum|stepfather"
    r"|stepmother|carers?|foster(?: carers?| mum| dad| placement| home)?|boyfriend|girlfriend|partner|baby|son"
    r"|daughter|teacher|class|school|nursery|key ?worker|social worker|bedroom|room|house|home|bag|phone|family"
    r"|friends?|ex|husband|wife|health visitor|gp|worker|mentor|placement|contact|birthday|case|file|disclosure"
)
_KIN = (
    r"mum|mummy|mam|mother|dad|daddy|father|nan|nana|nanna|gran|granny|grandma|grandad|grandpa|grandmother"
    r"|grandfather|brother|sister|siblings?|twin|cousin|aunt|auntie|aunty|uncle|step-?dad|step-?mum|stepfather"
    r"|stepmother|foster carers?|carers?|boyfriend|girlfriend|teacher|social worker|key ?worker"
)
# What happens only to a person: "went missing", "was reported missing", "hasn't been in since half term".
_MISSING = r"\s+(?:went|goes|going|has gone|had gone|was reported|has been reported|is reported|reported)\s+missing\b"
_NOT_BEEN_IN = (
    r"\s+(?:(?:hasn['’]?t|has not|hadn['’]?t|had not|wasn['’]?t|isn['’]?t)\s+been\s+(?:in|seen|to school|home|back)"
    r"|(?:wasn['’]?t|was not|isn['’]?t|is not|weren['’]?t)\s+(?:in|at)\s+(?:school|nursery|college|class|lessons"
    r"|registration|contact|the appointment|clinic))\b"
)
# Verbs whose subject is a person: "Frank wants to go home", "Rose seemed withdrawn", "Will has offered".
_PERSON_VERB = (
    r"\s+(?:said|says|told|tells|asked|asks|showed|shows|begged|begs|whispered|hid|hides|hugged|wants|wanted|needs"
    r"|needed|likes|liked|loves|loved|hates|hated|lives"
    r"|lived|sleeps|slept|refused|refuses|seemed|seems|looked|looks|cried|cries|laughed|smiled|shouted|screamed|ran"
    r"|runs|arrived|arrives|came|comes|went|goes|turned up|disclosed|discloses|admitted|admits|denied|denies"
    r"|attended|attends|stayed|stays|spoke|speaks|talked|talks|explained|explains|mentioned|thinks|thought|knows|knew"
    r"|felt|feels|rang|rings|phoned|emailed|texted|messaged|keeps|kept"
    r"|(?:was|is|seemed|seems|looked|looks)\s+(?:really\s+|very\s+|so\s+|quite\s+)?(?:quiet|upset|withdrawn|tearful"
    r"|distressed|anxious|scared|frightened|hungry|unkempt|subdued|absent|agitated|sad)"
    r"|didn['’]?t|doesn['’]?t|won['’]?t|wouldn['’]?t|can['’]?t|couldn['’]?t"
    r"|(?:has|had)\s+(?:been|gone|got|come|left|run|said|told|\w+ed))\b"
)
_ROLE = (
    r"(?:my|her|his|their|our|the|a)\s+(?:\w+\s+)?(?:supervisor|manager|colleague|mum|mother|dad|father|sister"
    r"|brother|nan|gran|aunt|auntie|uncle|cousin|carer|foster carer|partner|boyfriend|girlfriend|friend|neighbour"
    r"|teacher|social worker|health visitor|lodger|daughter|son|baby|twin|child|step-?dad|step-?mum|key worker"
    r"|reviewer|chair|author|trainer|facilitator|practitioner|advocate|officer|nurse|worker|lead|dsl|senco|sergeant"
    r"|detective|inspector|consultant|paediatrician|midwife|therapist|counsellor|mentor|coach)\b"
)
# A class at school: "reception", "nursery", "4B", "class 3", "Year 2": "Will (reception)", "grace in 4B".
_CLASS = r"reception|nursery|class\s+\w{1,8}|(?-i:\d{1,2}[A-Z]{1,2})\b"
_AGE = r"\d{1,2}(?:\s*(?:yrs?|years?(?: old)?|months?|mths?|weeks?|y/?o|yo))?"
_BRACKET = (
    rf"\s*\(\s*(?:(?:our|my|the|a|an)\s+)?(?:{_AGE}|aged?\s+\d{{1,2}}|(?:yr|year|y)\s*\d{{1,2}}|{_FAMILY}|child"
    rf"|young person|yp|cyp|{_CLASS})(?:\s*[),]|\s+[^()]{{0,40}}\))"
)
# An age after "is": "Summer is 6" (not a time, a score or a share).
_IS_AGE = r"\s+is\s+\d{1,2}\b(?!\s*(?:[:.]\d|am|pm|%|/|-|out of|of))"
# What happens to a person, after a possessive: "Kyrie's stabbing", "Dylan's arrest", "Amara's exclusion".
_EVENT = r"stabbing|arrest|exclusion|overdose|disclosure|assault|injuries|injury|death|funeral|sentencing|conviction"
AFTER = re.compile(
    rf"(?:['’]s\s+(?:(?:\w+)\s+)?(?:{_FAMILY})\b|['’]s\s+(?:{_EVENT})\b"
    rf"|{_BRACKET}"
    rf"|\s*,\s*(?:aged\s+)?\d{{1,2}}\b(?!\s*(?:[:.]\d|am|pm|%|/|-))"
    rf"|\s+aged\s+\d{{1,2}}\b"
    r"|\s+(?:in|from)\s+(?:year|yr|y)\s*\d{1,2}\b"
    rf"|\s+(?:in|from)\s+(?:{_CLASS})\b"
    rf"|\s*,\s*{_ROLE}"
    r"|\s+(?:told|tells|said|says|disclosed|discloses|whispered|admitted|explained|refused|cried|screamed)"
    r"\s+(?:me|us|her|his|their|the|a|mum|dad|staff|that|she|he|they)\b"
    r"|\s+(?:was|is|were|are|has been|had been|have been|got|keeps being|kept being)"
    r"\s+(?:found|seen|missing|taken|left|placed|spotted|reported|excluded|brought|picked up|collected|located"
    r"|returned|moved|hit|hurt|groomed|exploited|abused)\b"
    rf"|{_IS_AGE}"
    rf"|{_MISSING}|{_NOT_BEEN_IN}"
    r"|\s+from\s+(?:the\s+)?(?!(?i:dc|ds|di|dci|pc|ps|dsu|dr|mr|mrs|ms|sgt|pcso)\b)(?-i:[A-Z]{2,6})s?\b"
    r"|\s+from\s+(?:the|our|their|your)\s+(?:[\w-]+\s+){0,3}?(?:team|service|office|unit|project|hub|ward|panel"
    r"|centre|center|clinic|surgery|pharmacy|department|dept|desk|helpline|charity|trust|board|partnership)\b"
    r"|\s+(?:was|is|went|came|has been|had been)\s+(?:[\w'’]+\s+){0,4}?with\s+(?:her\s+|his\s+|their\s+)?"
    rf"(?:{_KIN})\b"
    rf"|\s+and\s+(?:her|his|their)\s+(?:little\s+|big\s+|older\s+|younger\s+|baby\s+)?(?:{_FAMILY})\b)",
    re.IGNORECASE,
)


# Strong contexts for a word typed in lower case that is also an ordinary word ("faith's mum", "holly (4)", "river
# went missing", "holly in reception"): a kin word after a possessive, an age, school year, going missing.
LOWER_CASE_AFTER = re.compile(
    rf"(?:['’]s\s+(?:little\s+|big\s+|older\s+|younger\s+|baby\s+|new\s+)?['‘\"]?(?:{_KIN})\b"
    r"|\s+(?:told|tells|said|says|disclosed|discloses|asked|whispered)\s+(?:me|us|her|his|the|a|mum|dad|staff|that|she"
    r"|he|they)\b"
    r"|\s+(?:rang|phoned|texted|messaged|rings|phones|texts|messages)\s+(?:me|us)\b"
    r"|\s+keeps?\s+(?:asking|saying|telling|coming|turning up|running|going missing|crying)\b"
    r"|\s*\(\s*(?:\d{1,2}(?:\s*(?:yrs?|years?(?: old)?|months?|mths?|weeks?|y/?o|yo))?|aged?\s+\d{1,2}"
    rf"|(?:yr|year|y)\s*\d{{1,2}}|{_CLASS})\s*\)"
    r"|\s*,\s*(?:aged\s+)?\d{1,2}\s*,"
    r"|\s+aged\s+\d{1,2}\b"
    rf"|\s+(?:in|from)\s+(?:year\s*\d{{1,2}}\b|yr\s*\d{{1,2}}\b|y\s?\d{{1,2}}\b|{_CLASS})"
    rf"|{_MISSING}|{_NOT_BEEN_IN})",
    re.IGNORECASE,
)


PERSON_VERB_AFTER = re.compile(_PERSON_VERB, re.IGNORECASE)
# With the contexts above, strong enough for an ordinary word opening a sentence: an age ("Honey is 3"), being seen
# or found somewhere ("Bliss was seen by the nurse", "Ghost was spotted again outside the shop").
_STRONG_MORE = re.compile(
    rf"{_IS_AGE}"
    r"|\s+(?:was|were|has been|had been|is|keeps being)\s+(?:seen|spotted|found|picked up|collected)"
    r"\s+(?:by|with|at|near|outside|in|on|again|getting|walking|leaving|hanging|going)\b",
    re.IGNORECASE,
)


def _follows(pattern: re.Pattern[str], text: str, end: int, reach: int) -> bool:
    """The words within ``reach`` characters after ``end`` begin with ``pattern``."""
    return pattern.match(text, end, min(len(text), end + reach)) is not None


def named_strongly(text: str, start: int, end: int) -> bool:
    """A strong sign of a person follows (see LOWER_CASE_AFTER and _STRONG_MORE): enough for an ordinary word."""
    return named_in_lower_case(text, start, end) or _follows(_STRONG_MORE, text, end, 60)


def named_by_verb(text: str, start: int, end: int) -> bool:
    """A verb whose subject is a person follows: "Frank wants", "Rose seemed". Only for words that are names."""
    return _follows(PERSON_VERB_AFTER, text, end, 40)


def named_in_lower_case(text: str, start: int, end: int) -> bool:
    """True when the words after a lower-case word that may be a name show it is one (see LOWER_CASE_AFTER)."""
    return _follows(LOWER_CASE_AFTER, text, end, 60)


_PERSON_BEFORE = re.compile(
    r"\b(?:officer|worker|carer|child|boy|girl|lad|lass|pupil|student|teenager|toddler|baby|son|daughter|brother"
    r"|sister|cousin|nephew|niece|supervisor|manager|colleague|nurse|teacher|mentor|coach|volunteer|advocate|friend"
    r"|neighbour|partner|boyfriend|girlfriend|mum|dad|mother|father|nan|gran|aunt|uncle|lead|practitioner|visitor"
    r"|midwife|therapist|counsellor|assistant|tutor|young person|yp|cyp|client|patient|deputy|dsl|senco|kid|mentee"
    r"|y\d{1,2}|yr\s?\d{1,2}|year\s?\d{1,2})s?"
    r"(?:\s+(?:\w+|\d+)){0,3}\s*,\s*$",
    re.IGNORECASE,
)


def named_in_apposition(text: str, start: int, end: int) -> bool:
    """A word set off by commas straight after a person or role: "our court officer, Will, has been brilliant"."""
    if not re.match(r"\s*,", text[end : end + 3]):
        return False
    return _PERSON_BEFORE.search(text, max(0, start - 60), start) is not None


# A post that only a person holds: "Joy on reception knows every family", "Will on the gate".
_POST = re.compile(
    r"\s+(?:(?:on|at)\s+(?:reception|the front desk|front desk|the gate|the door|the switchboard)"
    r"|(?:from|in)\s+(?:attendance|admin|reception|pastoral|safeguarding|finance|payroll|hr|the office"
    r"|business support))\b",
    re.IGNORECASE,
)


def named_by_post(text: str, start: int, end: int) -> bool:
    """A post only a person holds follows: "Joy on reception". Only for words that may be names."""
    return _follows(_POST, text, end, 30)


def named_by_context(text: str, start: int, end: int) -> bool:
    """True when the words just after text[start:end] show it is a person's name."""
    return _follows(AFTER, text, end, 60)
