"""Pattern detectors for identifiers other than personal names (part of the reflection screen).

Each detector takes the text and returns ``(kind, start, end)`` spans; ``handlers.screen`` merges them.
The NHS number rule: a 10-digit number (3-3-4 spacing or hyphens allowed) that passes the modulus-11 check is an
NHS number. One that fails the check is still an NHS number when it is written 3-3-4 ("485 777 3456", the shape of
an NHS number) or when the words just before it say so ("NHS no."); an unspaced one is otherwise left alone, and a
number starting with 0 is treated as a phone number by the phone rule.
Settings: a school's capitalised head ("Oakfield Primary"), a lower-case one ("Little Acorns nursery", "Meadowbank
children's home"), a name after one ("the nursery at Little Acorns") or after "at"/"from" in a sentence about a
nursery or school ("picked up from Little Acorns, the nursery said") and "St X's". Vehicle registrations: the UK
format "AB12 CDE" anywhere, and a partial or older one after "reg", "plate", "car"… ("partial reg LK19"). Social
media handles and usernames: ``handlers.screen_handles``.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator
from enum import StrEnum

from handlers.screen_handles import find_handle_spans
from handlers.screen_place_data import PLACES
from handlers.screen_words import BRANDS, FIRST_NAMES, KIN_TITLES, TITLES

logger = logging.getLogger(__name__)


class IdentifierKind(StrEnum):
    NAME = "name"
    POSTCODE = "postcode"
    ADDRESS = "address"
    DATE_OF_BIRTH = "date_of_birth"
    NHS_NUMBER = "nhs_number"
    PHONE = "phone"
    EMAIL = "email"
    SCHOOL = "school"
    CASE_REFERENCE = "case_reference"
    LISTED_TERM = "listed_term"
    SPECIFIC_DATE = "specific_date"
    VEHICLE = "vehicle_registration"
    HANDLE = "social_media_handle"
    PRACTICE = "gp_practice"


Span = tuple[IdentifierKind, int, int]

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

_INWARD = r"\d[ABD-HJLNP-UW-Z]{2}"
POSTCODE = re.compile(rf"(?=[A-Za-z])\b[A-Z]{{1,2}}\d[A-Z\d]?\s?{_INWARD}\b", re.IGNORECASE)

NHS_CANDIDATE = re.compile(r"(?<![\w/.+-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w/]|[.-]\d)")
NHS_CONTEXT = re.compile(r"(?:\bnhs|\bhealth)\s*(?:no\b\.?|num\b|number|#)?\s*[:#(,]?\s*(?:is\s+|was\s+)?$", re.I)

PHONE = re.compile(r"(?<![\w+/])(?:\+44\s?(?:\(0\)\s?)?\d|\(?0\d)[\d \-()]{7,16}\d(?![\d/])")

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
# Day-first dates start at their digits; a weekday or "the" in front is added by DATE_LEAD (faster than one regex).
DATE_DAY_FIRST = re.compile(rf"(?i:(?<!\w)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}}\b)?)")
DATE_MONTH_FIRST = re.compile(rf"(?=[A-Z]){_MONTH}\s+(?:the\s+)?{_ORDINAL}\b(?!:)(?:,?\s+\d{{4}}\b)?")
DATE_LEAD = re.compile(rf"(?i:\b{_WEEKDAY}?(?:the\s+)?)$")
DATE_LEAD_WEEKDAY = re.compile(rf"\b{_WEEKDAY}$")
DATE_NUMERIC = re.compile(r"(?=\d)(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|[.-]\d)")
DATE_ISO = re.compile(r"(?=\d)(?<![\d/-])(\d{4})-(\d{2})-(\d{2})(?![\d/-])")
DATE_DAY_MONTH = re.compile(
    r"\b(?:on|from|until|till|by|since|of|dated|before|after|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?)\s+"
    r"(\d{1,2})/(\d{1,2})(?![\d/])",
    re.I,
)
# A bare day/month ("seen 3/11", "12/05 at 14:00") when it cannot be a small fraction or a score: one part has two
# digits, it is not "out of ten" ("7/10") and not "24/7".
_SCHOOL_YEAR = re.compile(r"(?i:\b(?:years?|yrs?|y|ks|key stage|aged?|ages)\s*)$")
DATE_BARE_DAY_MONTH = re.compile(r"(?<![\w/.£$-])(\d{1,2})/(\d{1,2})(?![\w/%]|[.,]\d)")
# A day of the month without the month: "since the 4th", "on the 17th", "Friday 17th", "by Tuesday the 3rd". Not an
# ordinal before a noun ("the 4th time", "from the 3rd floor").
_WEEKDAY_SHORT = r"(?:(?:Mon|Tue|Tues|Wed|Weds|Thu|Thur|Thurs|Fri|Sat|Sun)\.?,?\s+)"
_DAY_LEAD = re.compile(
    rf"(?i:\b(?:(?:on|since|from|until|till|by|before|after|due|of)\s+(?:the\s+)?|the\s+|{_WEEKDAY}(?:the\s+)?"
    rf"|{_WEEKDAY_SHORT}(?:the\s+)?))$"
)
_NOT_A_NOUN = re.compile(
    r"\s*(?:[.,;:!?)\-–—]|$|\n)|\s+(?:and|but|when|at|so|till|until|because|or|she|he|they|we|i|it|in|for"
    r"|with|as|after|before|then|was|is|if|mum|dad|about|there|together|again|too|already|last|this|that|where"
    r"|which|who|while|though)\b",
    re.IGNORECASE,
)
# Found from the ordinal itself (fast to scan for), then the words before and after checked.
ORDINAL_NUMBER = re.compile(r"(?<![\w/])\d{1,2}(?:st|nd|rd|th)\b", re.IGNORECASE)
NAMED_DAY = re.compile(
    r"\b(?:Christmas Day|Christmas Eve|Boxing Day|New Year['’]s (?:Day|Eve)|Bonfire Night|Valentine['’]s Day|Halloween)"
)
DOB_BEFORE = re.compile(
    r"(?:\bdob\b|\bd\.o\.b\b\.?|\bdate of birth\b|\bborn\b(?:\s+on)?)\s*[:(,\-–]?\s*(?:(?:is|was|as|of)\s+)?$", re.I
)

_REF_KEYWORD = (
    r"(?:crime|case|incident|occurrence|log|referral|record|file|client|person|police|court|cp|athena|niche|storm"
    r"|pnc|mosaic|liquidlogic|lcs|eclipse|urn|ref|reference|id|cad|emis|systmone|carefirst|serial|nominal)"
)
# A reference is a token with at least four digits after a keyword ("crime ref", "Mosaic ID", "case no."). The token is
# found first (it starts with a letter or digit, which is fast to scan for) and the keyword checked just before it.
REF_TOKEN = re.compile(
    r"(?=[A-Za-z0-9])(?<![A-Za-z0-9/\-])(?=[A-Za-z0-9/\-]*\d)[A-Za-z0-9][A-Za-z0-9/\-]{3,}(?:\s+(?:of\s+)?\d{1,2}/\d{1,2}(?:/\d{2,4})?)?"
)
REF_KEYWORD_BEFORE = re.compile(
    rf"\b{_REF_KEYWORD}\b(?:\s+(?:ref(?:erence)?|no\b\.?|number|num|id|#))?\s*[:#(,]?\s*(?:(?:is|was)\s+)?$",
    re.IGNORECASE,
)
REF_KEYWORD = re.compile(rf"\b{_REF_KEYWORD}\b", re.IGNORECASE)
_REF_KEYWORD_WORDS = tuple(_REF_KEYWORD.strip("(?:)").split("|"))
REF_LETTERS_SLASH = re.compile(r"(?=[A-Z])\b[A-Z]{1,5}[/-]\d{3,}(?:[/-][A-Z0-9]{1,8})*\b")
REF_SLASHES = re.compile(r"(?=\d)(?<![\d/])\d{1,4}/\d{4,}/\d{2,4}(?![\d/])")
REF_ALNUM = re.compile(r"(?=[A-Z0-9])\b[A-Z0-9]{7,}\b")
# A system's or force's prefix in capitals joined to a number: "CAD1234", "CAD 4471-0906", "CR 2025/004512",
# "URN 88213", "LCS-40921" (with a date after it: "CAD 1234 12/05").
REF_PREFIXED = re.compile(
    r"(?=[A-Z])\b(?:CAD|URN|LCS|EMIS|CR|INC|OCC|SR|PNC|NICHE|ATHENA|STORM|LOG|MOSAIC|ICS|CP|MASH|EH|CIN|LAC|ID)"
    r"(?:[ #:/-]|\s*(?:no\.?|number|ref)\s*)?\d{3,}(?:[/-]\d+)*(?:\s+\d{1,2}/\d{1,2}(?:/\d{2,4})?)?(?![\w/])"
)

_STREET = (
    r"Road|Street|Lane|Avenue|Close|Crescent|Drive|Way|Grove|Terrace|Gardens|Place|Court|Mews|Walk|Row|Square|Hill"
    r"|Rise|View|Park|Parade|Green|Vale|Quay|Wharf|Yard|Boulevard|Croft|Fold|Gate|Heights|Mount|Chase|Rd|St|Ave"
)
_BUILDING = r"House|Court|Tower|Towers|Mansions|Lodge|Point|Heights|Buildings|Block|Flats|Apartments|Cottages"
_UNIT = r"\b(?:[Ff]lat|[Aa]partment|[Aa]pt\.?|[Uu]nit|[Rr]oom)\s+\d{1,4}[A-Za-z]?,?\s+"
_CAPWORDS = r"(?:[A-Z][\w'’-]*\s+){1,3}"
ADDRESS_NUMBERED = re.compile(
    rf"(?<![\w/.-])\d{{1,4}}[A-Za-z]?(?:\s?-\s?\d{{1,4}}[A-Za-z]?)?,?\s+"
    rf"(?:{_CAPWORDS}(?:{_STREET})\b|(?:[a-z][\w'’-]*\s+){{1,2}}(?:road|street|lane|avenue|way|grove|crescent|gardens"
    r"|terrace|mews)\b)"
)
# A street typed in lower case without a number, after "on", "off", "along"…: "the flat on carrow road".
STREET_LOWER = re.compile(
    r"\b(?:on|off|along|near|down|up|of)\s+(?P<street>(?P<word>[a-z][a-z'’-]+)\s+(?:road|street|lane|avenue))\b"
)
# A flat's number: "the flat upstairs (flat 11)", "flat 4b".
FLAT_NUMBER = re.compile(r"\b(?:[Ff]lat|[Aa]partment)\s?\d{1,4}[A-Za-z]?\b")
# A bed, bay, room, ward, plot or pitch number places a person: "bed 12", "bay 4", "plot 4" on a site, "room 14" in a
# children's home. Not a meeting or training room ("meeting room 3").
PLACE_NUMBER = re.compile(
    r"(?<!meeting )(?<!training )(?<!conference )(?<!interview )(?<!committee )(?<!consultation )(?<!waiting )"
    r"(?<!family )(?<!therapy )(?<!court )(?<!staff )(?<!break )(?<!quiet )(?<!sensory )(?<!group )"
    r"\b(?:[Bb]ed|[Bb]ay|[Cc]ubicle|[Rr]oom|[Ww]ard|[Pp]lot|[Pp]itch|[Cc]ell|[Bb]erth)\s?(?:[Nn]o\.?\s?)?\d{1,3}[A-Za-z]?\b"
    r"(?!\s*(?:%|am|pm|mins?|minutes|hours|hrs|days|weeks|years|times|metres|meters|m\b|feet|ft|foot|miles|[:.]\d))"
)
ADDRESS_LEAD = re.compile(rf"(?:{_UNIT})?(?:\b(?:[Nn]umber|[Nn]o\.?)\s+)?$")
ADDRESS_UNIT_BUILDING = re.compile(rf"(?=[FfAaUuRr]){_UNIT}{_CAPWORDS}(?:{_BUILDING})\b")
ESTATE = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?(?:(?=\s+estate\b)|\s+Estate\b)")
# A named house a child lives in or is seen at: "the staff at Larkspur House" (not "the White House").
HOUSE_NAME = re.compile(r"\b(?:at|from|to|in|into)\s+(?:the\s+)?(?P<name>[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+)?)\s+House\b")
# A weekday and a day of the month: "on Tuesday 9th".
WEEKDAY_DATE = re.compile(
    r"\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\s+\d{1,2}(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?[A-Z])"
)
STREET_NAME = re.compile(
    r"(?P<words>(?:\b[A-Z][\w'’-]*\s+){1,2})(?:Road|Street|Lane|Avenue|Close|Crescent|Drive|Grove|Terrace|Gardens"
    r"|Mews|Way|Quay|Court|Rd|St|Ave)\b(?!['’])"
)

_SCHOOL_SUFFIX = (
    r"Primary School|Primary Academy|Primary|Infant School|Infants School|Infants|Junior School|Juniors|High School"
    r"|High|Grammar School|Grammar|Secondary School|Academy|College|School|Nursery School|Nursery"
    r"|Pupil Referral Unit|PRU"
)
SCHOOL = re.compile(
    r"(?P<name>(?:\bSt\.?\s+|\bSaint\s+)?(?:\b[A-Z][\w'’-]*\s+){1,4}(?:(?:C of E|CofE|CE|RC)\s+)?)"
    rf"(?:{_SCHOOL_SUFFIX})\b(?!\s+(?:Street|Road|Court|Care))(?:\s+Trust\b)?"
)

# Places a child is looked after or taught, with a lower-case head word or none: "Little Acorns nursery", "Oakwood
# children's home", "the nursery at Little Acorns", "goes to St Mary's". The name is one to four capitalised words.
_SETTING_HEAD = (
    r"nursery|pre-?school|playgroup|creche|crèche|primary|academy|school|college|children['’]s home"
    r"|residential home|family centre|children['’]s centre"
)
_NAME_WORDS = r"(?:\b[A-Z][\w'’-]*\s+){0,3}\b[A-Z][\w'’-]*"
SETTING_BEFORE_HEAD = re.compile(rf"(?P<name>{_NAME_WORDS})\s+(?:{_SETTING_HEAD})\b")
SETTING_AFTER_HEAD = re.compile(
    rf"\b(?i:{_SETTING_HEAD}|nurseries|schools)\s+(?:(?i:at|called|named)|\((?i:at\s+)?)\s*(?P<name>{_NAME_WORDS})"
)
# Two to four capitalised words after "at" or "from", in a sentence about a nursery, school or home: "picked up from
# Little Acorns by her nan, the nursery said".
SETTING_AFTER_AT = re.compile(rf"\b(?:at|from)\s+(?P<name>\b[A-Z][\w'’-]*\s+{_NAME_WORDS})")
_SETTING_SENTENCE_CUE = re.compile(
    r"nurser|pre-?school|playgroup|cr[eè]che|\bschool|children['’]s home|\bthe home\b|key ?worker|pick-?up|drop-?off",
    re.IGNORECASE,
)
# A named centre, unit or lodge a child attends or lives in: "the Thornbury Centre", "Oak Lodge", "Beech Unit".
_CENTRE_HEADS = ("Centre", "Center", "Unit", "Lodge")
CENTRE = re.compile(r"\b(?P<name>[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+)?)\s+(?:Centre|Center|Unit|Lodge)\b")
SAINT_PLACE = re.compile(r"\b(?:St\.?|Saint)\s+[A-Z][a-z]+(?:['’]s|s['’])")
_SAINT_NOT_SCHOOL = re.compile(r"\s+(?:Hospital|Church|Day|Eve|Road|Street|Lane|Avenue|Close|Way|Square|Park)\b")

# Vehicle registrations: the current UK format in capitals ("LK19 XYZ", "AB12CDE"), and after a cue ("reg", "plate",
# "car") a partial or older one ("partial reg LK19", "plate starting P123").
VEHICLE_FULL = re.compile(r"(?=[A-Z])\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")
VEHICLE_CUED = re.compile(r"(?=[A-Za-z0-9])\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z]{1,3}\d{1,3}(?:\s?[A-Za-z]{1,3})?\b")
VEHICLE_CUE_BEFORE = re.compile(
    r"\b(?:reg|regs|registration|vrm|vrn|plates?|number\s+plate|car|van|vehicle|moped|motorbike|bike|taxi)\b"
    r"(?:\s+(?:no\.?|number|mark|plate))?\s*[:#(,]?\s*"
    r"(?:(?:is|was|of|partial|part|possibly|maybe|probably|starting|starts|started|beginning|begins|ending|ends|with|reg"
    r"|something|like|looked|think|i|thought)\s+)*$",
    re.IGNORECASE,
)


def nhs_check_digit_ok(digits: str) -> bool:
    """True when a 10-digit string passes the NHS modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_pattern_spans(text: str, is_generic: frozenset[str], street_block: frozenset[str]) -> list[Span]:
    """Every identifier span except names and listed terms. The word sets filter school and street names."""
    spans: list[Span] = []
    if "@" in text:
        spans += [(IdentifierKind.EMAIL, m.start(), m.end()) for m in EMAIL.finditer(text)]
    if _has_digit(text):
        spans += list(_nhs_numbers(text))
        spans += list(_phones(text))
        spans += list(_postcodes(text))
    spans += list(_dates(text))
    spans += list(_references(text))
    spans += list(_addresses(text, street_block))
    spans += list(_schools(text, is_generic))
    spans += list(_settings(text, is_generic))
    if any(head in text for head in _PRACTICE_HEADS):
        spans += list(_practices(text, is_generic))
    if _has_digit(text) or "reg" in text or "plate" in text:
        spans += list(_vehicles(text))
    spans += [(IdentifierKind.HANDLE, start, end) for start, end in find_handle_spans(text)]
    return spans


# A named GP practice or health centre locates a family as a school does: "Westway Surgery", "Oakfield Medical
# Centre", "Riverside Medical Practice" (a practice named after its area still locates a family). One or two
# capitalised names before the head; not "Day Surgery".
_PRACTICE_HEADS = ("Surgery", "Medical", "Health Cent", "Family Practice")
PRACTICE = re.compile(
    r"\b(?P<name>[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+)?)\s+(?:Surgery|Medical (?:Centre|Center|Practice|Group)"
    r"|Health (?:Centre|Center)|Family Practice)\b"
)


def _practices(text: str, is_generic: frozenset[str]) -> Iterator[Span]:
    for m in PRACTICE.finditer(text):
        if all(w.lower() not in is_generic for w in m.group("name").split()):
            yield IdentifierKind.PRACTICE, m.start(), m.end()


def _vehicles(text: str) -> Iterator[Span]:
    for m in VEHICLE_FULL.finditer(text):
        yield IdentifierKind.VEHICLE, m.start(), m.end()
    for m in PLATE_LETTERS.finditer(text):
        if m.group("letters").isupper():
            yield IdentifierKind.VEHICLE, m.start("letters"), m.end("letters")
    for m in VEHICLE_CUED.finditer(text):
        token = m.group()
        if token.lower() in _NOT_A_PLATE or not any(c.isupper() for c in token):
            continue
        if VEHICLE_CUE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            yield IdentifierKind.VEHICLE, m.start(), m.end()


_NOT_A_PLATE = frozenset({"a1", "m1", "m25", "m6", "m62", "covid19", "y1", "y2", "yr1"})
# The letters a plate ends or starts with, with no digit: "reg ends in XLT", "plate starting KX".
PLATE_LETTERS = re.compile(
    r"\b(?:reg|registration|plate|number plate)\s+(?:(?:that\s+)?(?:ends|ended|ending|finishes|starts|started|starting"
    r"|begins|beginning)\s+(?:in|with)?\s*)(?P<letters>[A-Z]{2,3})\b",
    re.IGNORECASE,
)


def _settings(text: str, is_generic: frozenset[str]) -> Iterator[Span]:
    """Nursery, school and children's home names before a lower-case head or after one ("nursery at Little Acorns")."""
    lower = text.lower()
    if any(head in lower for head in _SETTING_CUES):
        for pattern in (SETTING_BEFORE_HEAD, SETTING_AFTER_HEAD):
            for m in pattern.finditer(text):
                span = _setting_name(text, m.start("name"), m.end("name"), is_generic)
                if span:
                    yield IdentifierKind.SCHOOL, span[0], span[1]
    if " at " in text or " from " in text:
        for m in SETTING_AFTER_AT.finditer(text):
            if _first_names_or_titles(m.group("name")) or not _SETTING_SENTENCE_CUE.search(_sentence(text, m.start())):
                continue
            span = _setting_name(text, m.start("name"), m.end("name"), is_generic)
            if span:
                yield IdentifierKind.SCHOOL, span[0], span[1]
    if " House" in text:
        for m in HOUSE_NAME.finditer(text):
            if all(w.lower() not in is_generic and w.lower() not in PLACES for w in m.group("name").split()):
                yield IdentifierKind.SCHOOL, m.start("name"), m.end()
    if any(head in text for head in _CENTRE_HEADS):
        for m in CENTRE.finditer(text):
            if all(w.lower() not in is_generic and w.lower() not in PLACES for w in m.group("name").split()):
                yield IdentifierKind.SCHOOL, m.start(), m.end()
    if "St" in text or "Saint" in text:
        for m in SAINT_PLACE.finditer(text):
            if not _SAINT_NOT_SCHOOL.match(text, m.end()):
                yield IdentifierKind.SCHOOL, m.start(), m.end()


_SETTING_CUES = ("nursery", "school", "academy", "college", "home", "primary", "centre", "creche", "playgroup")


def _setting_name(text: str, start: int, end: int, is_generic: frozenset[str]) -> tuple[int, int] | None:
    """The name's words, less ordinary words in front ("the Early Years", "Tuesday"); None when nothing is left. One
    word is a setting's name only before or after a nursery or home ("Brambles nursery"), not a possessive ("Ellie's
    school") and not a word that may be a subject ("Maths school")."""
    words = [(w.start() + start, w.group()) for w in re.finditer(r"\S+", text[start:end])]
    while words and (_plain(words[0][1]) in _LEADING or words[0][1] in _SCHOOL_FILLER):
        words = words[1:]
    if not words or all(_plain(w) in is_generic for _, w in words):
        return None
    if len(words) == 1:
        word = words[0][1]
        near = text[max(0, start - 40) : end + 30].lower()
        if word.endswith(("'s", "’s")) or not any(head in near for head in _CARE_HEADS):
            return None
    return words[0][0], words[-1][0] + len(words[-1][1])


_LEADING = frozenset(("the", "a", "an", "our", "their", "his", "her", "my", "your", "at", "from", "to", "and", "or"))
_CARE_HEADS = ("nursery", "preschool", "pre-school", "playgroup", "creche", "crèche", "children's home", "children’s")


def _sentence(text: str, pos: int) -> str:
    start = max(text.rfind(c, 0, pos) for c in ".!?\n") + 1
    ends = [k for k in (text.find(c, pos) for c in ".!?\n") if k >= 0]
    return text[start : min(ends) if ends else len(text)]


def _first_names_or_titles(name: str) -> bool:
    """A person ("from Jayden Carter", "at Mrs Ellis") is left to the name rules, a shop or a town to no rule."""
    first = name.split()[0].lower()
    return any(first in words for words in (FIRST_NAMES, TITLES, KIN_TITLES, BRANDS, PLACES))


def _plain(word: str) -> str:
    return word.lower().rstrip("'’").removesuffix("'s").removesuffix("’s")


def _nhs_numbers(text: str) -> Iterator[Span]:
    for m in NHS_CANDIDATE.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        if digits.startswith("0"):
            continue
        spaced = m.group(2) != ""  # written 3-3-4: the shape of an NHS number, whatever its check digit
        if spaced or nhs_check_digit_ok(digits) or NHS_CONTEXT.search(text[max(0, m.start() - 24) : m.start()]):
            yield IdentifierKind.NHS_NUMBER, m.start(), m.end()


def _phones(text: str) -> Iterator[Span]:
    for m in PHONE.finditer(text):
        raw, start = m.group(), m.start()
        if raw.startswith("(") and raw.count("(") > raw.count(")"):
            raw, start = raw[1:], start + 1  # "nan (07700 900118), she says": the bracket is the sentence's
        digits = re.sub(r"\D", "", raw)
        if raw.startswith("+44"):
            national = digits[2:]
            national = national[1:] if national.startswith("0") else national
            ok = len(national) in (9, 10)
            freephone = national.startswith("80")
        else:
            ok = len(digits) in (10, 11)
            freephone = digits.startswith("080")
        if ok and not freephone and raw.count("(") == raw.count(")"):
            yield IdentifierKind.PHONE, start, m.end()


def _postcodes(text: str) -> Iterator[Span]:
    for m in POSTCODE.finditer(text):
        letters = [c for c in m.group() if c.isalpha()]
        if all(c.isupper() for c in letters) or all(c.islower() for c in letters):
            yield IdentifierKind.POSTCODE, m.start(), m.end()


def _dates(text: str) -> Iterator[Span]:
    candidates: list[tuple[int, int]] = []
    if _has_digit(text):
        candidates += [(m.start(), m.end()) for m in WEEKDAY_DATE.finditer(text)]
        candidates += [(_lead(text, m.start(), DATE_LEAD), m.end()) for m in DATE_DAY_FIRST.finditer(text)]
        candidates += [(_lead(text, m.start(), DATE_LEAD_WEEKDAY), m.end()) for m in DATE_MONTH_FIRST.finditer(text)]
        for m in DATE_NUMERIC.finditer(text):
            if _valid_day_month(m.group(1), m.group(3)):
                candidates.append((m.start(), m.end()))
        for m in DATE_ISO.finditer(text):
            if _valid_day_month(m.group(3), m.group(2)):
                candidates.append((m.start(), m.end()))
        for m in DATE_DAY_MONTH.finditer(text) if "/" in text else ():
            if _valid_day_month(m.group(1), m.group(2)):
                candidates.append((m.start(1), m.end()))
        for m in DATE_BARE_DAY_MONTH.finditer(text) if "/" in text else ():
            day, month = m.group(1), m.group(2)
            two_digits = len(day) == 2 or len(month) == 2
            school_year = _SCHOOL_YEAR.search(text, max(0, m.start() - 8), m.start())
            plausible = two_digits and month != "10" and (day, month) != ("24", "7") and not school_year
            if plausible and _valid_day_month(day, month):
                candidates.append((m.start(), m.end()))
        candidates += list(_ordinal_days(text))
    candidates += [(m.start(), m.end()) for m in NAMED_DAY.finditer(text)]
    for start, end in candidates:
        is_dob = DOB_BEFORE.search(text[max(0, start - 40) : start]) is not None
        yield (IdentifierKind.DATE_OF_BIRTH if is_dob else IdentifierKind.SPECIFIC_DATE), start, end


def _ordinal_days(text: str) -> Iterator[tuple[int, int]]:
    """ "since the 4th", "Friday 17th", "by Tuesday the 3rd"; not "the 4th time" or "from the 3rd floor"."""
    for m in ORDINAL_NUMBER.finditer(text):
        day = int("".join(c for c in m.group() if c.isdigit()))
        lead = _DAY_LEAD.search(text, max(0, m.start() - 24), m.start())
        if 1 <= day <= 31 and lead and _NOT_A_NOUN.match(text, m.end()):
            yield lead.start(), m.end()


def _lead(text: str, start: int, lead: re.Pattern[str]) -> int:
    """Move a match's start back over the words allowed in front of it ("Tuesday 4 June", "the 5th of May")."""
    window_start = max(0, start - 20)
    m = lead.search(text, window_start, start)
    return m.start() if m else start


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


_DIGIT = re.compile(r"\d")


def _valid_day_month(day: str, month: str) -> bool:
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _references(text: str) -> Iterator[Span]:
    if not _has_digit(text):
        return
    keyword_ends = _keyword_ends(text)
    for m in REF_TOKEN.finditer(text) if keyword_ends else ():
        near = bisect.bisect_right(keyword_ends, m.start())
        if near == 0 or m.start() - keyword_ends[near - 1] > 40:
            continue
        if _YEAR.fullmatch(m.group()):
            continue  # "the Smith family case (2020)": a year, not a reference
        if len(_DIGIT.findall(m.group())) >= 4 and REF_KEYWORD_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            yield IdentifierKind.CASE_REFERENCE, m.start(), m.end()
    for shape in (REF_LETTERS_SLASH, REF_SLASHES, REF_PREFIXED):
        for m in shape.finditer(text):
            yield IdentifierKind.CASE_REFERENCE, m.start(), m.end()
    for m in REF_ALNUM.finditer(text):
        token = m.group()
        if any(c.isalpha() for c in token) and sum(c.isdigit() for c in token) >= 5:
            yield IdentifierKind.CASE_REFERENCE, m.start(), m.end()


_YEAR = re.compile(r"(?:19|20)\d\d")


def _keyword_ends(text: str) -> list[int]:
    """Ends of reference keywords ("crime ref", "Mosaic"), found by plain substring search, which is fast."""
    lower = text.lower()
    ends = set()
    for keyword in _REF_KEYWORD_WORDS:
        pos = lower.find(keyword)
        while pos >= 0:
            m = REF_KEYWORD.match(text, pos)
            if m:
                ends.add(m.end())
            pos = lower.find(keyword, pos + 1)
    return sorted(ends)


def _addresses(text: str, street_block: frozenset[str]) -> Iterator[Span]:
    if _has_digit(text):
        for m in ADDRESS_NUMBERED.finditer(text):
            lead = ADDRESS_LEAD.search(text, max(0, m.start() - 30), m.start())
            yield IdentifierKind.ADDRESS, (lead.start() if lead else m.start()), _with_locality(text, m.end())
        for m in ADDRESS_UNIT_BUILDING.finditer(text):
            yield IdentifierKind.ADDRESS, m.start(), _with_locality(text, m.end())
        for m in HOUSE_NUMBER.finditer(text):
            yield IdentifierKind.ADDRESS, m.start("number"), m.end("number")
        for m in FLAT_NUMBER.finditer(text):
            yield IdentifierKind.ADDRESS, m.start(), m.end()
        for m in PLACE_NUMBER.finditer(text):
            yield IdentifierKind.ADDRESS, m.start(), m.end()
    if " road" in text or " street" in text or " lane" in text or " avenue" in text:
        for m in STREET_LOWER.finditer(text):
            if m.group("word") not in street_block and m.group("word") not in _NOT_A_STREET_NAME:
                yield IdentifierKind.ADDRESS, m.start("street"), m.end("street")
    if "estate" in text or "Estate" in text:
        for m in ESTATE.finditer(text):
            if all(w.lower() not in street_block for w in m.group().split()):
                yield IdentifierKind.ADDRESS, m.start(), m.end()
    if any(word in text for word in _STREET_WORDS) or _STREET_ABBREVIATION.search(text):
        for m in STREET_NAME.finditer(text):
            words = m.group("words").split()
            opening = text[: m.start()].rstrip()[-1:] in ("", ".", "!", "?", "\n")
            if opening and words[0].lower().endswith("ed"):
                continue  # "Attended Court in Manchester today": a verb opening the sentence
            if all(w.lower() not in street_block for w in words):
                yield IdentifierKind.ADDRESS, m.start(), _with_locality(text, m.end())


# A house on a street named nearby: "the two little ones at no. 7", "outside number 23".
HOUSE_NUMBER = re.compile(
    r"\b(?:at|from|to|outside|into|opposite|next door to)\s+(?P<number>(?:[Nn]o\.?|[Nn]umber|#)\s?\d{1,4}[A-Za-z]?)\b"
)


# The district or town after a street, before the sentence or the address ends: "27 Coronation Street, Hulme."
LOCALITY = re.compile(r",\s*[A-Z][a-z'’]+(?:[ -][A-Z][a-z'’]+)?(?=\s*(?:$|[.,;)\n]|\s[A-Z]{1,2}\d))")


def _with_locality(text: str, end: int) -> int:
    m = LOCALITY.match(text, end)
    return m.end() if m else end


_STREET_WORDS: tuple[str, ...] = (
    "Road",
    "Street",
    "Lane",
    "Avenue",
    "Close",
    "Crescent",
    "Drive",
    "Grove",
    "Terrace",
    "Gardens",
)
_STREET_WORDS += ("Mews", "Way", "Quay", "Court")
_NOT_A_STREET_NAME = frozenset(
    "main busy high ring back same wrong right long dual country side local slip bypass open quiet this that".split()  # noqa: SIM905
)
_STREET_ABBREVIATION = re.compile(r"[a-z] (?:Rd|St|Ave)\b")  # "Canal St", "Holloway Rd" (not "St Anne's")


# A Welsh school names itself first: "Ysgol Gymraeg Bryn Derw", "Ysgol y Graig".
WELSH_SCHOOL = re.compile(r"\bYsgol(?:\s+(?:[A-Z][\w'’-]*|y|yr|a|ar))*\s+[A-Z][\w'’-]*")


def _schools(text: str, is_generic: frozenset[str]) -> Iterator[Span]:
    if "Ysgol" in text:
        yield from ((IdentifierKind.SCHOOL, m.start(), m.end()) for m in WELSH_SCHOOL.finditer(text))
    if not any(word in text for word in _SCHOOL_WORDS):
        return
    for m in SCHOOL.finditer(text):
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", m.group("name"))]
        while words and words[0][1].lower() in is_generic:
            words = words[1:]
        if any(w.lower() not in is_generic and w not in _SCHOOL_FILLER for _, w in words):
            yield IdentifierKind.SCHOOL, m.start("name") + words[0][0], m.end()


_SCHOOL_WORDS: tuple[str, ...] = (
    "Primary",
    "Infant",
    "Junior",
    "High",
    "Grammar",
    "Secondary",
    "Academy",
    "College",
    "School",
)
_SCHOOL_WORDS += ("Nursery", "Referral Unit", "PRU")
_SCHOOL_FILLER = frozenset({"St", "St.", "Saint", "C", "of", "E", "CofE", "CE", "RC"})
