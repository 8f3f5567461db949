"""Personal-name heuristic for the reflection screen.

Rules, in order (a token is a word; "capitalised" means first letter upper case and not an all-capitals acronym;
"DeShawn", "McKenzie" and "O'Neill" count as capitalised):
1. A title (Mr, Mrs, Dr, PC, PCSO, Sgt, Nurse…) or a family title (Uncle, Nan…) followed by capitalised words.
2. A capitalised word after a cue ("called", "named", "her brother", "my manager", "Mum,"), also when it is an
   ordinary word ("baby Will", "her brother Robin").
3. A capitalised word in the list of common first names, anywhere, including at the start of a sentence, unless a
   word naming a condition, law or body follows ("Clare's Law", "Down's syndrome").
4. A capitalised word in mid-sentence that is not a known ordinary word (agency terms, places, days…), unless it
   follows a capitalised ordinary word ("Operation Encompass", "Team Around the Family") or "the", "a" or "in"
   ("at the Hilton", "in Leyton"; but "the Nowak family").
5. A capitalised word next to a word flagged by 1–4 ("Jordan Clarke", "Siobhan O'Neill") or joined to it by "and".
6. A capitalised word that may be a name, shown to be one by the words around it (``handlers.screen_name_context``:
   "Summer hasn't been in", "Grace from the attendance team", "Frank from EDT"); a first name that is also an
   ordinary word before a person's verb ("Frank wants", "Holly rang") or after a verb whose object is a person
   ("we met Will at").
7. Lower case: a word in the generated lists of first names that are not ordinary English words
   (``handlers.screen_name_data``, from names-dataset and wordfreq: "jayden", "kayleigh", "mary-jane", and rarer
   names such as "jaxon" and "reyansh"); a first name that is also a word, before a strong person context ("faith's
   mum", "holly in reception", "poppy (6)"); a word after "called" or "named"; and a lower-case surname from the
   list next to a flagged lower-case name.
8. After holdout10: a word-name after an age ("6 yr old Will") or a greeting ("Thanks, Grace."); a name shown once
   is a name again where it is capitalised in mid-sentence or before a person's verb ("Precious asked"); a
   lower-case particle before a flagged surname joins it ("van Dijk"). Not names: a particle alone ("Van was let
   go"), a ruling or report named after someone ("Gillick competent", "the Laming report", "Lord Laming"; "Fraser"
   alone in a talk about consent), a child named in a national review ("Victoria Climbié"), words after a
   capitalised article in mid-sentence ("doing An Inspector Calls") and an -ly adverb opening a sentence.
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from typing import NamedTuple

from handlers.screen_english_data import ENGLISH_WORDS
from handlers.screen_name_context import (
    named_by_context,
    named_by_post,
    named_by_verb,
    named_in_apposition,
    named_in_lower_case,
    named_strongly,
)
from handlers.screen_name_data import (
    FIRST_NAMES_AT_START,
    FIRST_NAMES_IN_LOWER_CASE,
    FIRST_NAMES_THAT_ARE_WORDS,
    RARE_FIRST_NAMES,
    SURNAMES_IN_LOWER_CASE,
)
from handlers.screen_patterns import IdentifierKind, Span
from handlers.screen_place_data import PLACES
from handlers.screen_words import (
    BRANDS,
    CUE_WORDS,
    EPONYM_AFTER,
    EPONYM_HEADS,
    EPONYMS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    GENERIC,
    HONORIFICS,
    KIN_TITLES,
    LOWER_CASE_NOT_NAMES,
    PARTICLES,
    PLACE_WORDS,
    PUBLIC_CASES,
    TITLES,
    WORDLIKE_NAMES,
)

logger = logging.getLogger(__name__)

_LETTER = r"[^\W\d_]"
TOKEN = re.compile(rf"{_LETTER}(?:{_LETTER}|['’\-])*{_LETTER}|{_LETTER}")  # any script: "Siobhán", "Zoltán"
_NON_ASCII_LETTER = re.compile(r"[^\W\d_A-Za-z]")
TOKEN_ASCII = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")  # the same for plain text, faster
_SENTENCE_END = ".!?:;—–-•*\n"
_OPENERS = "'\"‘“("
_STRONG_CUES = frozenset({"called", "named"})
_LOWER_NAME_AFTER = re.compile(
    r"\s+from\s+(?:(?:the|our|their|your)\s+(?:[\w-]+\s+){0,3}?(?:team|service|office|unit|project|hub|ward|panel)"
    r"|early help|camhs|yot|mash|social care|children's services|housing|the school|school|nursery)\b",
    re.IGNORECASE,
)
_BEFORE_A_VERB = frozenset(
    {"i", "we", "you", "they", "will", "would", "can", "could", "should", "must", "may", "might", "did", "do"}
)
_TO_A_VERB = frozenset({"had", "have", "has", "need", "needs", "going", "want", "got", "able", "trying", "tried"})
_FAMILY = frozenset(
    {"family", "families", "household", "children", "twins", "siblings", "kids", "brothers", "sisters", "boys", "girls"}
)


_ANY_TITLE = TITLES | KIN_TITLES


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NOT_PHRASE_HEAD = TITLES | KIN_TITLES | FUNCTION_WORDS
_FUNCTION_NOT_NAMES = FUNCTION_WORDS - WORDLIKE_NAMES
# Names that are also ordinary words ("Grace", "Will", "Summer"): a name only with a cue or a person context.
_WORDLIKE = WORDLIKE_NAMES | FIRST_NAMES_THAT_ARE_WORDS
# Any word that may be a first name, for a lower-case word with a strong person context ("faith's mum").
_MAY_BE_FIRST_NAME = FIRST_NAMES_THAT_ARE_WORDS | FIRST_NAMES | FIRST_NAMES_AT_START
# With the rarer names from deeper in the dataset's rankings ("jaxon", "reyansh"), none of them an English word.
_AT_START = FIRST_NAMES_AT_START | RARE_FIRST_NAMES
_IN_LOWER_CASE = FIRST_NAMES_IN_LOWER_CASE | RARE_FIRST_NAMES
# A capitalised name that is also a word, after a verb whose object is a person: "we met Will", "spoke with Summer".
_PERSON_OBJECT_VERBS = _set(
    """met meet meeting saw see seeing visited visit rang ring phoned called texted emailed messaged asked told
    collected supported helped thanked reassured reminded warned with ask tell chase chased messaging texting
    contacting contacted dming grooming following followed"""
)
_MONTHS = _set("january february march april may june july august september october november december")
# First names that are ordinary words and not places, months or the screen's ordinary words (names-dataset's list, with
# the screen's own such names and "will"): these take a person verb or object context ("Frank wants", "met Will").
# The screen's own word-names that are given names (girls' virtue names among them: "Precious", "Honor", "Mercy").
# Short first names, too short for the names list: a name only with context ("jo from early help", "Ty said").
_SHORT = _set("jo ty al bo jj mo ky")
_GIVEN_WORD_NAMES = _set(
    """will mark bill hope grace faith joy rose dawn amber ruby jade holly ivy daisy poppy lily violet pearl frank guy
    pat sue ray don dean jack hunter mason carol robin heather olive angel precious miles drew gene bob sandy rocky
    honor destiny autumn reed wade mercy sunny brook"""
)
_WORDLIKE_FIRST = (
    (FIRST_NAMES_THAT_ARE_WORDS - PLACES - GENERIC)
    | (WORDLIKE_NAMES & FIRST_NAMES_THAT_ARE_WORDS)
    | _GIVEN_WORD_NAMES
    | _SHORT
) - _MONTHS
# After a person's name as an object, the sentence goes on like this ("met Will at", "with Summer today").
_AFTER_OBJECT = _set(
    """at today yesterday about in on after before this last that for to again earlier later twice once who when
    because but and"""
)
# Before an unknown capitalised word, these make it a thing or a place: "the Hilton", "in Leyton".
_ARTICLES = frozenset({"the", "a", "an"})
_PLACE_PREPOSITIONS = frozenset({"in", "near", "via"})
# ... unless a word for a family or a case follows: "the Nowak family", "the Begum case", "the Hartigan review".
_FAMILY_OR_CASE = _FAMILY | frozenset(
    {"families", "kids", "boys", "girls", "parents", "baby", "case", "cases", "review", "file", "referral", "home"}
    | _set("flat house address assessment visit plan conference meeting investigation chronology strat s47 paperwork")
    | _set("trailer caravan site plot yard one lot lads crew placement job matter enquiry incident break-in")
)


class _Token(NamedTuple):
    start: int
    end: int
    word: str
    lower: str
    cap: bool
    sentence_start: bool


def find_name_spans(text: str) -> list[Span]:
    tokens = _tokenise(text)
    flagged: set[int] = set()
    for i in range(len(tokens)):
        flagged |= _flag_title(text, tokens, i)
        flagged |= _initials_and_surname(text, tokens, i) | _lower_full_name(text, tokens, i)
        single = _flag_single(text, tokens, i) or _flag_lower(text, tokens, i) or _initials_name(tokens, i)
        if single or (
            _candidate(tokens[i])
            and (_named_here(text, tokens[i]) or _object_of_a_person_verb(text, tokens, i))
            and not _before_eponym_head(text, tokens, i)  # "a Clare's Law disclosure"
        ):
            flagged.add(i)
    _extend(text, tokens, flagged)
    _extend_lower(text, tokens, flagged)
    _repeat_capitalised(text, tokens, flagged)
    _particles_before_names(text, tokens, flagged)
    _nicknames(text, tokens, flagged)
    flagged -= _not_names(text, tokens, flagged)
    flagged -= _in_set_phrases(text, tokens, flagged)
    _repeat_in_lower_case(tokens, flagged)
    _initial_after_a_name(text, tokens, flagged)
    return _join_adjacent(text, tokens, sorted(flagged))


def _initial_after_a_name(text: str, tokens: list[_Token], flagged: set[int]) -> None:
    """ "Jack R came in": a surname's initial after a flagged first name (not "I" or "A")."""
    for i in sorted(flagged):
        k = i + 1
        if k >= len(tokens) or k in flagged or not _initial(tokens[k].word) or tokens[k].word in ("I", "A"):
            continue
        if _gap(text, tokens[i], tokens[k]) == " " and not text[tokens[k].end : tokens[k].end + 1].isalnum():
            flagged.add(k)


# A class straight after a name: "Ruby 5M said", "Kai 3B".
_CLASS_CODE_AFTER = re.compile(r"\s+\d{1,2}[A-Z]{1,2}\b")
# A surname's initial straight after a first name, then a lower-case word: "Jack R came in" (not "Will I", "Grace A").
_INITIAL_NEXT = re.compile(r" (?![AI]\b)[A-Z] [a-z]")


def _named_here(text: str, token: _Token) -> bool:
    if (_CLASS_CODE_AFTER.match(text, token.end) or _INITIAL_NEXT.match(text, token.end)) and (
        _listed(token) or token.lower in _WORDLIKE_FIRST
    ):
        return True
    if named_by_context(text, token.start, token.end):
        if _listed(token) or token.lower in _WORDLIKE_FIRST:
            return True
        # "Talk from the CPS", "Feedback from the team": an ordinary word opening a sentence is a name only with a
        # strong sign of a person ("Cherry (4)", "Cherry's mum"); "Kyle from YOT" names a person anywhere
        ordinary = _FROM_ACRONYM.match(text, token.end) or token.lower in ENGLISH_WORDS
        return not (token.sentence_start and ordinary) or named_strongly(text, token.start, token.end)
    if named_in_apposition(text, token.start, token.end):
        return True
    if token.lower in _WORDLIKE_FIRST or (token.sentence_start and _listed(token)):
        # "Frank wants", "Harwood rang me", "Ty has been", "Joy on reception"
        return named_by_verb(text, token.start, token.end) or named_by_post(text, token.start, token.end)
    return False


_ROLE_NOUNS = _set(
    """mate mates friend friends driver drivers worker workers teacher neighbour neighbours lad lads man woman guy
    bloke fella cousin officer nurse carer manager boss staff coach trainer facilitator chair reviewer presenter
    speaker tutor lecturer supervisor trainee student apprentice volunteer locum"""
)


def _listed(token: _Token) -> bool:
    """A word opening a sentence that may be a name: a listed surname or first name that is not an ordinary word
    ("Harwood rang"); not "Haven't", "Email", "Friend", "Got" or "Sat"."""
    lower = token.lower
    if lower in _WORDLIKE or is_generic(token.word) or lower in LOWER_CASE_NOT_NAMES or "'" in lower[2:]:
        return False
    if lower in _ROLE_NOUNS:
        return False  # "Driver said", "Mate told me"
    if "-" in lower and all(part[:1].isupper() for part in token.word.split("-")):
        return True  # "Mei-Ling showed me", "Ruby-Mae now settled"
    return lower in SURNAMES_IN_LOWER_CASE or lower in _IN_LOWER_CASE or _first_name(lower, _AT_START)


_PRAISE = frozenset({("proud", "of"), ("out", "to"), ("thanks", "to"), ("credit", "to"), ("well", "done")})
# Verbs that take a person after "to": "spoke to Will about it", "explained to Hope why".
_TO_A_PERSON = _set("spoke speak speaking talked talk talking chatted chatting listened explained wrote writing")
_FROM_ACRONYM = re.compile(r"\s+from\s+(?:the\s+)?[A-Z]{2,6}s?\b")


def _object_of_a_person_verb(text: str, tokens: list[_Token], i: int) -> bool:
    """ "we met Will at the office", "spoke with Summer today": the sentence ends or goes on as after a person."""
    token = tokens[i]
    if i == 0 or not token.cap or token.sentence_start or token.lower not in _WORDLIKE_FIRST:
        return False
    previous = tokens[i - 1]
    before = tokens[i - 2].lower if i > 1 else ""
    praise = (before, previous.lower) in _PRAISE  # "proud of Will on our team"
    praise = praise or (previous.lower == "to" and before in _TO_A_PERSON)  # "spoke to Will about"
    if not (previous.lower in _PERSON_OBJECT_VERBS or praise) or not _gap(text, previous, token).isspace():
        return False
    return _ends_as_an_object(text, tokens, i)


def _ends_as_an_object(text: str, tokens: list[_Token], i: int) -> bool:
    """After a person as an object the sentence ends or goes on so: "met Will at", "with Summer today", "rang kez."."""
    if i + 1 == len(tokens):
        return True
    after = tokens[i + 1]
    return after.lower in _AFTER_OBJECT or _gap(text, tokens[i], after).strip()[:1] in (",", ".", "!", "?", ";")


def _repeat_capitalised(text: str, tokens: list[_Token], flagged: set[int]) -> None:
    """A name shown once ("Precious (11)") is a name again where it is written with a capital, in mid-sentence or
    before a person's verb or context ("Precious asked me"), but not as an ordinary word at a sentence's start."""
    names = {tokens[i].lower for i in flagged if tokens[i].cap and len(tokens[i].lower) > 2}
    names -= FUNCTION_WORDS | _ANY_TITLE | PARTICLES
    if not names:
        return
    for i, token in enumerate(tokens):
        if i in flagged or not token.cap or token.lower not in names:
            continue
        after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if not token.sentence_start or after not in _WORD_AT_START or _named_here(text, token):
            flagged.add(i)  # "Rose is on a CP plan" again, but not "Will it help?" after "Will (7)"


def _nicknames(text: str, tokens: list[_Token], flagged: set[int]) -> None:
    """A name's other name, in brackets or quotes beside it ("Mo (Mohamed)", "Mohamed 'Mo' Ali"), or after "aka",
    "nicknamed", "goes by", "calls himself" or "known as", in any case when quoted ("known as 'tiny'")."""
    starts = [t.start for t in tokens]
    near = {bisect.bisect_right(starts, m.end() - 1) - 1 for m in _NICKNAME_SIGNS.finditer(text)}
    near |= {i + 1 for i in near}
    for i in sorted(k for k in near if 0 <= k < len(tokens)):
        if i in flagged or not _may_be_a_nickname(text, tokens, i):
            continue
        token = tokens[i]
        if token.lower in FUNCTION_WORDS or token.lower in _ANY_TITLE:
            continue
        if token.word.isupper():
            if _initials_after_cue(tokens, i):
                flagged.add(i)  # "someone called TJ"
            continue
        if _beside_in_brackets(text, tokens, i, flagged) or _after_nickname_cue(text, tokens, i):
            flagged.add(i)
        elif token.word in _NICKNAME_HEADS and i + 1 < len(tokens) and _initial_after(text, tokens, i):
            flagged |= {i, i + 1}  # "Big T", "Lil J"
        elif token.cap and token.lower in _MAY_BE_FIRST_NAME and _bracketed_after_a_person(text, token):
            flagged.add(i)  # "the missing 14yo from yesterday (Summer)"


# Where a nickname may be: a bracket or quote, a cue word, "Big"/"Lil"… (the token at or just after each).
_NICKNAME_SIGNS = re.compile(
    r"[()\"“”]|(?<![A-Za-z])['‘’]|['’](?![A-Za-z])|\b(?:aka|k\.a|nicknamed?|called|named|Big|Lil|Little|Young|Old)\b"
    r"|\b(?:goes|go|going|went) by\b|\bknown as\b|\bcall\w* (?:himself|herself|themsel(?:f|ves))\b"
)
_BESIDE = frozenset("()'\"‘’“”")
_CUES_BEFORE = frozenset({"aka", "nicknamed", "nickname", "by", "himself", "herself", "themselves", "themself", "as"})


def _may_be_a_nickname(text: str, tokens: list[_Token], i: int) -> bool:
    """A cheap first look: a bracket or quote beside the word, a cue before it, or "Big", "Lil"…"""
    token = tokens[i]
    before, after = text[max(0, token.start - 2) : token.start].strip(), text[token.end : token.end + 2].strip()
    if (before and before[-1] in _BESIDE) or (after and after[0] in _BESIDE):
        return True
    if token.word in _NICKNAME_HEADS:
        return True
    previous = tokens[i - 1].lower if i else ""
    return previous in _CUES_BEFORE or previous in _STRONG_CUES or previous == "k.a" or previous == "a"


_OPEN_QUOTES = ("'", '"', "‘", "“")
_PERSON_THEN_BRACKET = re.compile(
    r"\b(?:\d{1,2} ?(?:yo|y/o|yr old|year old|year-old)|child|girl|boy|lad|baby|toddler|teenager|yp|young person"
    r"|pupil|sibling|brother|sister|son|daughter|mum|dad|stepdad|stepmum|partner|boyfriend|girlfriend)\b[^()]{0,30}"
    r"\(\s*$",
    re.IGNORECASE,
)


def _bracketed_after_a_person(text: str, token: _Token) -> bool:
    """A first name alone in brackets a few words after a person: "the missing 14yo from yesterday (Summer)"."""
    if text[token.end : token.end + 1] != ")":
        return False
    return _PERSON_THEN_BRACKET.search(text, max(0, token.start - 50), token.start) is not None


def _beside_in_brackets(text: str, tokens: list[_Token], i: int, flagged: set[int]) -> bool:
    token = tokens[i]
    if not (token.cap or _quoted(text, token)):
        return False
    before = tokens[i - 1] if i > 0 else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if before and i - 1 in flagged and (token.lower in _WORDLIKE or not is_generic(token.word)):
        gap = _gap(text, before, token)  # not "Lily-Mae (Reception)"
        if gap.strip() == "(" and text[token.end : token.end + 1] == ")":
            return True  # "Mohamed (Mo)"
        if gap.strip() in _OPEN_QUOTES and after and i + 1 in flagged:
            return True  # "Mohamed 'Mo' Ali"
    if after and i + 1 in flagged and token.cap and not is_generic(token.word):
        return _gap(text, token, after).strip() == "(" and text[after.end : after.end + 1] == ")"  # "Mo (Mohamed)"
    return False


def _quoted(text: str, token: _Token) -> bool:
    closes = text[token.end : token.end + 1] in ("'", '"', "’", "”")
    return closes and text[token.start - 1 : token.start] in _OPEN_QUOTES


_NICKNAME_CUES = _set("aka a.k.a nicknamed nickname")


def _initials_after_cue(tokens: list[_Token], i: int) -> bool:
    token = tokens[i]
    previous = tokens[i - 1].lower if i else ""
    known_as = previous == "as" and i > 1 and tokens[i - 2].lower == "known"
    cue = previous in _STRONG_CUES or previous in _NICKNAME_CUES or known_as
    assigned = previous == "named" and i > 1 and tokens[i - 2].lower in _DETERMINERS  # "a named HV for each family"
    return cue and not assigned and 2 <= len(token.word) <= 3 and token.lower not in GENERIC


_NICKNAME_HEADS = frozenset({"Big", "Lil", "Little", "Young", "Old"})


def _after_nickname_cue(text: str, tokens: list[_Token], i: int) -> bool:
    """ "aka Tiny", "goes by Dre", "calls himself 'Snowy'", "known as 'tiny'", "a lad called \"T\""."""
    if i < 1:
        return False
    token, previous = tokens[i], tokens[i - 1]
    gap = _gap(text, previous, token)
    if "\n" in gap or gap.strip() not in ("", ",", ":", *_OPEN_QUOTES):
        return False
    two = tokens[i - 2].lower if i > 1 else ""
    cue = previous.lower in _NICKNAME_CUES or text[previous.start : token.start].lower().startswith("a.k.a")
    cue = cue or (previous.lower == "by" and two in ("goes", "go", "going", "went"))
    cue = cue or (previous.lower in ("himself", "herself", "themselves", "themself") and two.startswith("call"))
    cue = cue or (previous.lower == "as" and two == "known") or previous.lower in _STRONG_CUES
    if not cue:
        return False
    if _quoted(text, token):
        return True
    return token.cap and previous.lower not in _STRONG_CUES and not is_generic(token.word)


# After a sentence's first word, these show it is used as a word: "Will it help", "Hope you're well".
_WORD_AT_START = _set("it you we they i he she this that the a an to everyone all so there be your")


def _particles_before_names(text: str, tokens: list[_Token], flagged: set[int]) -> None:
    """ "Virgil van Dijk", "Mr de Souza": a lower-case particle straight before a flagged surname is part of it."""
    for i in range(len(tokens) - 2, -1, -1):
        token = tokens[i]
        if token.lower in PARTICLES and not token.cap and i + 1 in flagged and _gap(text, token, tokens[i + 1]) == " ":
            flagged.add(i)


def _not_names(text: str, tokens: list[_Token], flagged: set[int]) -> set[int]:
    """Flagged words that are not a person's name after all: a particle alone ("Van was let go"), a ruling or report
    ("Gillick competent", "the Laming report"), a child in a national review ("Victoria Climbié"), a title of a work
    ("An Inspector Calls") and an adverb opening a sentence ("Eventually said his dad")."""
    drop: set[int] = set()
    for run in _runs(text, tokens, flagged):
        words = tuple(tokens[i].lower for i in run)
        if run[0] > 0 and tokens[run[0] - 1].lower in ("operation", "op"):
            drop.update(run)  # "Operation Blossom"
            continue
        if words in PUBLIC_CASES or (len(words) == 2 and words[0] in EPONYMS and words[1] in EPONYM_AFTER):
            drop.update(run)  # "Victoria Climbié", "the Bichard Inquiry"
            continue
        first = run[0]
        if _after_capitalised_article(text, tokens, run) or _peer_and_eponym(tokens, run):
            drop.update(run)
            continue
        if len(run) > 1 and tokens[first].sentence_start and _adverb(tokens[first].lower):
            drop.add(first)  # "Apparently Kyle had left"
            continue
        if len(run) != 1:
            continue
        if _alone_not_a_name(text, tokens, first):
            drop.add(first)
    return drop


# Set phrases of the work written in title case: "Was Not Brought, not Did Not Attend".
_SET_PHRASES = re.compile(r"\b(?:was not brought|were not brought|not brought|did not attend|was not seen)\b", re.I)


def _in_set_phrases(text: str, tokens: list[_Token], flagged: set[int]) -> set[int]:
    if not flagged or "ot " not in text:
        return set()
    spans = [(m.start(), m.end()) for m in _SET_PHRASES.finditer(text)]
    return {i for i in flagged if any(a <= tokens[i].start and tokens[i].end <= b for a, b in spans)}


def _peer_and_eponym(tokens: list[_Token], run: list[int]) -> bool:
    """ "Lord Laming", "Baroness Casey", "Professor Munro": the author of a report, not a person in the case."""
    words = [tokens[i].lower for i in run]
    return len(words) == 2 and words[0] in _PEERS and words[1] in EPONYMS and words[1] not in FIRST_NAMES


_PEERS = _set("lord baroness dame sir lady professor prof")


def _alone_not_a_name(text: str, tokens: list[_Token], i: int) -> bool:
    token = tokens[i]
    if token.lower in PARTICLES:
        return token.lower not in _AT_START_NAMES and token.lower not in _SHORT  # "Van was let go"; not "Al"
    if token.lower in EPONYMS:
        return _eponym_here(text, tokens, i)
    if token.lower in _ABBREVIATIONS and _abbreviation_here(tokens, i):
        return True
    return token.sentence_start and _adverb(token.lower)


# First names that are also short for a thing: "Reg of the car", "the car's reg".
_ABBREVIATIONS = frozenset({"reg"})
_ABBREVIATION_NEXT = _set("of no number plate plates mark is was")
_ABBREVIATION_BEFORE = _set("car car's vehicle van partial full the a his her their its")


def _abbreviation_here(tokens: list[_Token], i: int) -> bool:
    after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    before = tokens[i - 1].lower if i > 0 else ""
    return after in _ABBREVIATION_NEXT or before in _ABBREVIATION_BEFORE


_AT_START_NAMES = FIRST_NAMES | frozenset({"dev"})
_CONSENT_TALK = re.compile(r"gillick|contracep|sexual health|\bstis?\b|competen|\bconsent", re.IGNORECASE)


def _runs(text: str, tokens: list[_Token], flagged: set[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in sorted(flagged):
        if runs and runs[-1][-1] == i - 1 and _gap(text, tokens[i - 1], tokens[i]).isspace():
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _eponym_here(text: str, tokens: list[_Token], i: int) -> bool:
    """ "Gillick competent", "Fraser guidelines", "Laming's report"; alone when not also a first name ("Caldicott"),
    and "Fraser" alone in a talk about consent or sexual health."""
    if i > 0 and tokens[i - 1].lower in _ANY_TITLE:
        return False
    if i + 1 < len(tokens) and tokens[i + 1].lower in EPONYM_AFTER:
        gap = _gap(text, tokens[i], tokens[i + 1]).replace("'s", "").replace("’s", "")
        if gap.isspace():
            return True
    lower = tokens[i].lower
    if lower not in FIRST_NAMES and lower not in _WORDLIKE and lower not in _AT_START:
        return True
    return lower == "fraser" and _CONSENT_TALK.search(text) is not None


def _after_capitalised_article(text: str, tokens: list[_Token], run: list[int]) -> bool:
    """ "doing An Inspector Calls", "read The Hate U Give": a capitalised article in mid-sentence opens a title. "A"
    before one word is an initial ("met A Khan")."""
    i = run[0]
    if i == 0:
        return False
    article = tokens[i - 1]
    opens = article.word in ("An", "The") or (article.word == "A" and len(run) > 1)
    return opens and not article.sentence_start and _gap(text, article, tokens[i]).isspace()


def _adverb(lower: str) -> bool:
    """ "Eventually", "Apparently": an -ly word that is not a name ("Emily", "Holly")."""
    if not lower.endswith("ly") or len(lower) < 6:
        return False
    return not any(lower in names for names in (FIRST_NAMES, _WORDLIKE, _AT_START, _IN_LOWER_CASE))


def _repeat_in_lower_case(tokens: list[_Token], flagged: set[int]) -> None:
    """A name flagged once is flagged again where it is typed in lower case: "Grace, 13, … grace is doing"."""
    names = {tokens[i].lower for i in flagged if tokens[i].cap and len(tokens[i].lower) > 2}
    # A name typed in lower case once is one again ("tyler's mum … has taken tyler"), unless it is also a word.
    names |= {tokens[i].lower for i in flagged if not tokens[i].cap and len(tokens[i].lower) > 2} - _WORDLIKE
    names = {n for n in names if n not in FUNCTION_WORDS and n not in GENERIC and n not in _ROLE_NOUNS}
    for i, token in enumerate(tokens):
        repeated = i not in flagged and token.lower in names and not token.word[0].isupper()
        if repeated and (token.lower not in _WORDLIKE or not _used_as_a_word(tokens, i)):
            flagged.add(i)


_WORD_BEFORE = _BEFORE_A_VERB | _set("to a an the no some of in with my our your its and but not")
_WORD_AFTER = _set("that so this you for it we they to the a")


def _used_as_a_word(tokens: list[_Token], i: int) -> bool:
    """ "I hope that", "in good faith": a name that is also a word, used as the word ("Hope … I hope that")."""
    before = tokens[i - 1].lower if i > 0 else ""
    after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    return before in _WORD_BEFORE or after in _WORD_AFTER


def _join_adjacent(text: str, tokens: list[_Token], indexes: list[int]) -> list[Span]:
    """One span per run of flagged words separated only by spaces (or a title's or an initial's full stop): "Mr Ellis
    Thornton", "S.J. Whitlock"."""
    spans: list[Span] = []
    chosen = set(indexes)
    for i in indexes:
        gap = text[spans[-1][2] : tokens[i].start] if spans else ""
        if spans and i - 1 in chosen and (gap.isspace() or (gap[:1] == "." and (gap[1:].isspace() or gap == "."))):
            spans[-1] = (IdentifierKind.NAME, spans[-1][1], tokens[i].end)
        else:
            spans.append((IdentifierKind.NAME, tokens[i].start, tokens[i].end))
    return spans


def fold(word: str) -> str:
    """Lower case without accents, for the word lists: "Siobhán" → "siobhan"."""
    lower = word.lower()
    if lower.isascii():
        return lower
    return "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))


def is_generic(word: str) -> bool:
    """True for ordinary capitalised words that are not personal names in this setting (and places, brands)."""
    lower = fold(word)
    if lower in GENERIC or lower in PLACES or lower in BRANDS:
        return True
    first = lower.split("-")[0]
    return "-" in lower and first in GENERIC and first not in FIRST_NAMES


def _tokenise(text: str) -> list[_Token]:
    tokens = []
    ascii_only = _NON_ASCII_LETTER.search(text) is None
    for m in (TOKEN_ASCII if ascii_only else TOKEN).finditer(text):
        word = m.group()
        if word[-2:] in ("'s", "’s") and len(word) > 2:
            word = word[:-2]
        start = m.start()
        end = start + len(word)
        glued = text[start - 1 : start] == "&" or text[end : end + 1].isdigit()  # "A&Es", "Catch22"
        cap = word[0].isupper() and _is_capitalised(word) and not glued
        upper_first = word[0].isupper()
        lower = word.lower() if ascii_only else fold(word)
        tokens.append(_Token(start, end, word, lower, cap, upper_first and _at_start(text, start)))
    return tokens


# Names written with a capital inside: "DeShawn", "LaToya", "DiMarco", "VanDyke" (Mc and Mac are handled apart).
_NAME_PREFIX = re.compile(r"(?:De|Da|Di|Du|La|Le|Lu|Van|Von|Fitz)(?=[A-Z][a-z])")


def _is_capitalised(word: str) -> bool:
    if len(word) < 2 or not word[0].isupper() or word.isupper():
        return False
    rest = word[1:]
    if word.startswith("Mc"):
        rest = word[3:]
    elif word.startswith("Mac") and len(word) > 3 and word[3].isupper():
        rest = word[4:]
    elif word[1] in "'’":
        rest = word[3:]
    if rest == rest.lower():
        return True  # no capital after the first letter: the usual case, without the checks below
    if (prefix := _NAME_PREFIX.match(word)) is not None:
        rest = word[prefix.end() + 1 :]
    return all(not c.isupper() or (k > 0 and rest[k - 1] in "'’-") for k, c in enumerate(rest))


def _at_start(text: str, pos: int) -> bool:
    k = pos - 1
    saw_newline = False
    while k >= 0 and (text[k].isspace() or text[k] in _OPENERS):
        saw_newline = saw_newline or text[k] == "\n"
        k -= 1
    return k < 0 or saw_newline or text[k] in _SENTENCE_END


def _gap(text: str, left: _Token, right: _Token) -> str:
    return text[left.end : right.start]


def _name_like(token: _Token) -> bool:
    return token.cap and not is_generic(token.word) and token.lower not in _ANY_TITLE


def _flag_title(text: str, tokens: list[_Token], i: int) -> set[int]:
    token = tokens[i]
    if token.word in _LOWER_TITLES:
        return _flag_lower_title(text, tokens, i)
    if token.word in _LOWER_ROLE_TITLES:
        return _flag_lower_role_title(text, tokens, i)
    is_title = token.lower in TITLES and (token.cap or token.word.isupper())
    is_kin = token.lower in KIN_TITLES and token.cap
    if not (is_title or is_kin):
        return set()
    found: set[int] = set()
    if is_title and i + 3 < len(tokens) and tokens[i + 1].lower == "and" and tokens[i + 2].lower in TITLES:
        inner = _flag_title(text, tokens, i + 2)
        return inner | {i, i + 1} if inner else set()
    if i + 1 < len(tokens) and _initial_after(text, tokens, i):
        # "Uncle T's flat" names someone as a child does; "Ms K" is how a published review anonymises a person
        return set() if is_title else {i + 1}
    j = i + 1
    while j < len(tokens) and j <= i + 3 and _surname_like(tokens[j], honorific=is_title and token.lower in HONORIFICS):
        gap = _gap(text, tokens[j - 1], tokens[j])
        if not (gap.isspace() or (j == i + 1 and gap.startswith(".") and gap[1:].isspace())):
            break
        found.add(j)
        j += 1
    if found and is_title:
        found.add(i)
    return found


# Titles typed in lower case ("mr hinds", "mrs okafor", "dr patel"); "miss" and "dr" only before a listed name.
_LOWER_TITLES = frozenset({"mr", "mrs", "ms", "mx", "dr", "miss"})
_LOWER_TITLE_ALWAYS = frozenset({"mr", "mrs", "ms", "mx"})
# Roles and family titles typed in lower case before a listed name: "nurse amy", "pc ward", "auntie sue".
_LOWER_RANKS = _set("pc dc ds sgt pcso")
_LOWER_ROLE_TITLES = _set("nurse pc dc ds sgt pcso auntie aunty uncle nan nana nanna grandad grandma cousin coach imam")


def _flag_lower_title(text: str, tokens: list[_Token], i: int) -> set[int]:
    """ "mr hinds (PE)", "spoke to mrs okafor": after mr, mrs, ms or mx any word but a function word is a surname;
    after "miss" or "dr" a capitalised or listed one ("dr patel", but not "miss school" or "dr appt")."""
    if i + 1 >= len(tokens):
        return set()
    after = tokens[i + 1]
    gap = _gap(text, tokens[i], after)
    dotted = gap == ". " and tokens[i].word != "miss"  # "mr. hinds", "dr. patel"; "miss." ends a sentence
    if not (gap == " " or dotted) or after.lower in FUNCTION_WORDS or after.lower in _ANY_TITLE:
        return set()
    listed = after.lower in SURNAMES_IN_LOWER_CASE or _first_name(after.lower, _AT_START)
    if tokens[i].word in _LOWER_TITLE_ALWAYS or _name_like(after) or (listed and not is_generic(after.word)):
        return {i, i + 1}
    return set()


def _flag_lower_role_title(text: str, tokens: list[_Token], i: int) -> set[int]:
    """ "nurse amy", "auntie sue": a role or family title in lower case, then a listed name that is not a word."""
    if i + 1 >= len(tokens) or _gap(text, tokens[i], tokens[i + 1]) != " ":
        return set()
    after = tokens[i + 1]
    if after.word[0].isupper() or after.lower in FUNCTION_WORDS or after.lower in _ANY_TITLE:
        return set()
    if tokens[i].word in _LOWER_RANKS and after.lower in WORDLIKE_NAMES:
        return {i + 1}  # "pc ward", "sgt green": after a police rank a surname may be a word
    listed = after.lower in SURNAMES_IN_LOWER_CASE or _first_name(after.lower, _AT_START) or after.lower in _SHORT
    return {i + 1} if listed and not is_generic(after.word) else set()


def _initial_after(text: str, tokens: list[_Token], i: int) -> bool:
    """A single capital letter straight after a title or family title stands for a name: "Uncle T", "Mr K"."""
    after = tokens[i + 1]
    if not _initial(after.word) or after.word in ("I", "A"):
        return False
    return _gap(text, tokens[i], after) == " " and not text[after.end : after.end + 1].isalnum()


def _surname_like(token: _Token, honorific: bool) -> bool:
    """After Mr, Dr, PC… a surname may be an ordinary word ("DC Ward"); after Nurse or Uncle it may not."""
    if honorific:
        return token.cap and token.lower not in FUNCTION_WORDS
    return _name_like(token)


def _flag_single(text: str, tokens: list[_Token], i: int) -> bool:
    token = tokens[i]
    if not token.cap or token.lower in _ANY_TITLE:
        return False
    if "-" in token.word and _hyphenated_name(token.word):
        return True  # "Summer-Lily", "Rose-Mae": two capitalised parts, each a first name
    if token.lower in _WORDLIKE_FIRST and text[token.end : token.end + 2] in ("'s", "’s") and token.lower not in BRANDS:
        return True  # "Will's letter", "Hope's nan": a word-name with a possessive
    if token.lower in _WORDLIKE and i > 0 and _after_cue(text, tokens, i):
        return True  # "baby Will", "her brother Robin"
    if token.lower in FUNCTION_WORDS:
        return False
    if i > 0 and _after_cue(text, tokens, i):
        return True
    if token.lower in BRANDS or token.lower in PLACES:
        return False
    if token.sentence_start and token.lower in _WORDLIKE:
        return False  # "Frank discussion", "Will it help": a name only with context (handlers.screen_name_context)
    if _before_eponym_head(text, tokens, i) or _after_article_or_place(text, tokens, i):
        return False  # "Down's syndrome", "Clare's Law", "Caldicott principles", "the Hilton", "in Leyton"
    if token.lower in _ROLE_NOUNS:
        return False  # "Mate told me", "Driver said"
    listed = _first_name(token.lower, FIRST_NAMES) or _first_name(token.lower, _AT_START)
    if listed and token.lower not in GENERIC:  # not "Aye, what I'll do": words the screen's lists call ordinary
        return True
    if i + 1 < len(tokens) and tokens[i + 1].lower in _FAMILY and _gap(text, token, tokens[i + 1]).isspace():
        return _name_like(token) or _surname_before_family(tokens, i)
    if token.sentence_start or is_generic(token.word) or token.lower in EPONYM_HEADS:
        return False
    return not (_inside_phrase(text, tokens, i) or _before_place_word(text, tokens, i))


_HOMES = _set("house flat home address place caravan trailer")
# Initials used as a first name: "TJ", "AJ", "KJ" (a capital and J; no common acronym in this work is shaped so).
_INITIALS_NAME = re.compile(r"[A-HK-XZ]J|JJ")  # not "YJ" (youth justice)
_DETERMINERS = _ARTICLES | _set("our my his her their your this that")


def _initials_name(tokens: list[_Token], i: int) -> bool:
    """ "TJ and AJ were seen", "saw KJ at the park"; not "the DJ" or "a DJ set"."""
    if not _INITIALS_NAME.fullmatch(tokens[i].word):
        return False
    return not (i > 0 and tokens[i - 1].lower in _DETERMINERS)


def _any_first_name(lower: str) -> bool:
    return lower in FIRST_NAMES or lower in _WORDLIKE_FIRST or lower in _IN_LOWER_CASE or lower in _AT_START


def _hyphenated_name(word: str) -> bool:
    parts = word.split("-")
    if len(parts) != 2 or not all(part[:1].isupper() and part[1:].islower() and len(part) > 1 for part in parts):
        return False
    return all(_any_first_name(part.lower()) for part in parts)


def _initials_and_surname(text: str, tokens: list[_Token], i: int) -> set[int]:
    """ "R. Stenning", "S.J. Whitlock", "PC R Hughes": one to three initials, then a surname that is listed or is
    not an English word (not "group C. Tomorrow"). An initial alone stays ("Ms K", "Child T": a review's labels)."""
    if not _initial(tokens[i].word) or (i > 0 and _initial(tokens[i - 1].word) and _joins_initials(text, tokens, i)):
        return set()
    j = i
    while j + 1 < len(tokens) and j < i + 3 and _initial(tokens[j].word) and _joins_initials(text, tokens, j + 1):
        j += 1
    if j == i or _initial(tokens[j].word):
        return set()
    surname = tokens[j]
    if not _name_like(surname) or surname.lower in FUNCTION_WORDS or surname.lower in _WORDLIKE:
        return set()
    if surname.lower in ENGLISH_WORDS and surname.lower not in SURNAMES_IN_LOWER_CASE:
        return set()
    if _before_eponym_head(text, tokens, j):
        return set()
    return set(range(i, j + 1))


def _initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _joins_initials(text: str, tokens: list[_Token], k: int) -> bool:
    """Token k follows an initial as part of a name: "R. Stenning", "S.J.", "R Hughes" (but not "I" or "A" alone)."""
    gap, before = _gap(text, tokens[k - 1], tokens[k]), tokens[k - 1].word
    if gap in (".", ". "):
        return True
    return gap == " " and before not in ("A", "I")


# A family title typed in lower case before a first name that is also a word: "uncle dean", "auntie rose".
_LOWER_KIN = _set("auntie aunty uncle nan nana nanna grandad grandma cousin")


def _lower_full_name(text: str, tokens: list[_Token], i: int) -> set[int]:
    """ "grace thorne asked": a lower-case first name, then a lower-case listed surname that is not an English word;
    "uncle dean is staying": a family title in lower case, then a first name that is also a word."""
    if i + 1 >= len(tokens) or _gap(text, tokens[i], tokens[i + 1]) != " ":
        return set()
    token, after = tokens[i], tokens[i + 1]
    if token.word != token.lower or after.word != after.lower or after.lower in FUNCTION_WORDS:
        return set()
    if token.lower in _LOWER_KIN and after.lower in _MAY_BE_FIRST_NAME and after.lower not in _MONTHS:
        return {i + 1}
    surname = after.lower in SURNAMES_IN_LOWER_CASE and after.lower not in ENGLISH_WORDS and len(after.lower) > 3
    if surname and token.lower in _MAY_BE_FIRST_NAME and token.lower not in FUNCTION_WORDS:
        return {i, i + 1}
    return set()


def _surname_before_family(tokens: list[_Token], i: int) -> bool:
    """ "the Ward children", "the Green family": a surname that is also a word, after "the" in mid-sentence."""
    token = tokens[i]
    if token.sentence_start or token.lower not in WORDLIKE_NAMES or tokens[i + 1].word != tokens[i + 1].lower:
        return False
    return i > 0 and tokens[i - 1].lower == "the"


def _before_eponym_head(text: str, tokens: list[_Token], i: int) -> bool:
    """The next word, after a space or a possessive, names a condition, law, tool or body: "Clare's Law"."""
    if i + 1 >= len(tokens) or tokens[i + 1].lower not in EPONYM_HEADS:
        return False
    return _gap(text, tokens[i], tokens[i + 1]).replace("'s", "").replace("’s", "").isspace()


def _after_article_or_place(text: str, tokens: list[_Token], i: int) -> bool:
    """ "the Hilton", "a Kooth session", "in Leyton": a thing or a place, not a person, unless it is a common first
    name or a possessive or another capitalised word follows ("in Ali's room", "in Chloe Smith's case")."""
    if i == 0 or not _gap(text, tokens[i - 1], tokens[i]).isspace() or tokens[i].lower in FIRST_NAMES:
        return False
    if text[tokens[i].end : tokens[i].end + 1] in ("'", "’"):
        return False
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if after and (after.cap or after.lower in _FAMILY_OR_CASE) and _gap(text, tokens[i], after).isspace():
        return False
    if tokens[i].lower.endswith("s") and len(tokens[i].lower) > 3 and tokens[i - 1].lower in _ARTICLES:
        return False  # "the Kowalczyks", "the Okonkwo-Reids": a family (but "in Paris", "via Calais")
    if tokens[i - 1].word == "A" and not tokens[i - 1].sentence_start:
        return False  # "met A Khan": an initial in mid-sentence, not an article
    if tokens[i - 1].lower in ("to", "from") and i > 1 and tokens[i - 2].lower in _TRAVEL:
        return True  # "flying to Sylhet", "moved back from Mirpur"
    return tokens[i - 1].lower in _ARTICLES or tokens[i - 1].lower in _PLACE_PREPOSITIONS


_TRAVEL = _set(
    """fly flying flew flown flight flights travel travelling travelled trip trips holiday holidays moved moving move
    relocated relocating emigrated deported returned returning return back sent went go going gone visiting journey
    arrived came fled originally"""
)


def _first_name(lower: str, names: frozenset[str]) -> bool:
    """In the list, or hyphenated with a listed first part and no ordinary word in it ("mary-jane", "Jean-Luc")."""
    if lower in names:
        return True
    parts = lower.split("-")
    if len(parts) < 2 or any(p in GENERIC or p in FUNCTION_WORDS for p in parts):
        return False
    if parts[0] in names:
        return True
    # "ruby-mae", "lily-rose", "Autumn-Rose": every part may be a first name
    return all(p in names or p in _WORDLIKE or p in _AT_START or p in _MAY_BE_FIRST_NAME for p in parts)


def _flag_lower(text: str, tokens: list[_Token], i: int) -> bool:
    """A name typed in lower case: listed and not an ordinary word, or straight after "called" / "named"."""
    token = tokens[i]
    if token.word[0].isupper() or token.lower in FUNCTION_WORDS:
        return False
    if (token.lower in _MAY_BE_FIRST_NAME or token.lower in _SHORT) and named_in_lower_case(
        text, token.start, token.end
    ):
        return True  # "faith's mum", "holly in reception", "rose (4)"
    if token.lower in _SHORT and _lower_object(text, tokens, i):
        return True  # "supervision with al today"
    if is_generic(token.word) or token.lower in LOWER_CASE_NOT_NAMES:
        return False
    if len(token.lower) > 2 and _first_name(token.lower, _IN_LOWER_CASE):
        return True
    if _lower_object(text, tokens, i):
        return True  # "supervision with jo today", "rang kez back"
    listed = token.lower in WORDLIKE_NAMES or _first_name(token.lower, _AT_START) or token.lower in _SHORT
    verb_slot = i > 0 and tokens[i - 1].lower in _BEFORE_A_VERB  # "we had to chase from the duty team"
    verb_slot = verb_slot or (i > 1 and tokens[i - 1].lower == "to" and tokens[i - 2].lower in _TO_A_VERB)
    if listed and not verb_slot and _LOWER_NAME_AFTER.match(text, token.end):
        return True  # "jordan from the participation team"
    previous = tokens[i - 1] if i > 0 else None
    if not (previous and previous.lower in _STRONG_CUES and _gap(text, previous, token).strip() in ("", ",")):
        return False
    if _first_name(token.lower, _AT_START) or token.lower in SURNAMES_IN_LOWER_CASE:
        return True
    # "she's called lily-rose", "a boy named river": after "called" or "named", a first name that is also a word.
    return all(part in _MAY_BE_FIRST_NAME or part in _WORDLIKE for part in token.lower.split("-"))


def _lower_object(text: str, tokens: list[_Token], i: int) -> bool:
    """A listed first name in lower case after "with", "met", "rang"… and before "today", "at" or a full stop."""
    token = tokens[i]
    if i == 0 or token.lower in _WORDLIKE or not (token.lower in _AT_START or token.lower in _SHORT):
        return False
    if tokens[i - 1].lower not in _PERSON_OBJECT_VERBS or not _gap(text, tokens[i - 1], token).isspace():
        return False
    return _ends_as_an_object(text, tokens, i)


def _extend_lower(text: str, tokens: list[_Token], flagged: set[int]) -> None:
    """A lower-case surname next to a flagged name ("jayden carter"), or after a listed first name ("ryan jones")."""
    for i in range(len(tokens) - 1):
        this, after = tokens[i], tokens[i + 1]
        if after.word[0].isupper() or i + 1 in flagged or after.lower not in SURNAMES_IN_LOWER_CASE:
            continue
        if not _gap(text, this, after).isspace() or len(after.lower) < 3:
            continue
        if i in flagged or (not this.word[0].isupper() and _first_name(this.lower, _AT_START)):
            flagged |= {i, i + 1}


def _candidate(token: _Token) -> bool:
    """A capitalised word that context may show to be a name: not a function word, title, place or brand."""
    if not token.cap or token.lower in _ANY_TITLE or token.lower in _FUNCTION_NOT_NAMES:
        return False
    if token.lower in _WORDLIKE_FIRST and token.lower not in PLACES:
        return True  # "Brook told me": a given name that is also a word or a service, in a person's context
    if token.lower in PLACES or token.lower in BRANDS or token.lower in _ROLE_NOUNS:
        return False
    return token.lower in _WORDLIKE or not is_generic(token.word)


def _inside_phrase(text: str, tokens: list[_Token], i: int) -> bool:
    """A word after a capitalised ordinary word belongs to a phrase: "Operation Encompass", "Team Around"."""
    if i == 0:
        return False
    previous = tokens[i - 1]
    return (
        _gap(text, previous, tokens[i]).isspace()
        and (previous.cap or previous.word.isupper())
        and previous.lower not in _NOT_PHRASE_HEAD
        and (is_generic(previous.word) or previous.word.isupper())
    )


def _before_place_word(text: str, tokens: list[_Token], i: int) -> bool:
    """A word before "Practice", "Room", "project"… names a place or service, not a person; but "the Dunn house"
    (a lower-case home word straight after "the" and a surname) is a family's home."""
    j = i + 1
    if i > 0 and tokens[i - 1].lower == "the" and j < len(tokens) and tokens[j].word in _HOMES:
        return False
    while j < len(tokens) and _gap(text, tokens[j - 1], tokens[j]).isspace():
        if tokens[j].lower in PLACE_WORDS and (tokens[j].cap or j == i + 1):
            return True
        if not (tokens[j].cap and is_generic(tokens[j].word)):
            return False
        j += 1
    return False


def _after_cue(text: str, tokens: list[_Token], i: int) -> bool:
    token, previous = tokens[i], tokens[i - 1]
    gap = _gap(text, previous, token)
    if gap.strip() not in ("", ",") or "\n" in gap:
        return False
    if previous.lower in ("is", "as") and i > 1 and tokens[i - 2].lower in ("name", "known"):
        return True
    if previous.lower == "old" and _AGE_BEFORE.search(text, max(0, previous.start - 16), previous.start):
        return True  # "6 yr old Will", "a 14-year-old Precious"
    if previous.lower in _GREETINGS and (_name_like(token) or token.lower in _WORDLIKE) and _vocative_end(text, token):
        return True  # "Thanks, Will.", "Hi Grace,"
    if previous.lower in _STRONG_CUES:
        # "a boy called Kai"; not "a named HV for every family", where "named" means "assigned"
        return not (i > 1 and tokens[i - 2].lower in _DETERMINERS and token.word.isupper())
    return previous.lower in CUE_WORDS and (_name_like(token) or token.lower in _WORDLIKE)


_AGE_BEFORE = re.compile(r"\d{1,2}\s*-?\s*(?:yrs?|years?|y|months?|mths?|weeks?)\s*-?\s*$", re.IGNORECASE)
_GREETINGS = _set("thanks thank cheers hi hello hiya dear sorry morning congratulations")


def _vocative_end(text: str, token: _Token) -> bool:
    """A greeting's name ends the sentence or is followed by a comma: "Thanks, Will." but not "Hi Team members"."""
    rest = text[token.end : token.end + 2].strip()
    return rest[:1] in ("", ",", ".", "!", "?", "—", "-")


def _extend(text: str, tokens: list[_Token], flagged: set[int]) -> None:
    changed = True
    while changed:
        changed = False
        for i in sorted(flagged):
            for j in (i - 1, i + 1):
                if 0 <= j < len(tokens) and j not in flagged and _joins(text, tokens, min(i, j), max(i, j)):
                    flagged.add(j)
                    changed = True
            after = i + 2 < len(tokens) and i + 2 not in flagged and tokens[i + 1].lower == "and"
            if after and _listed_with(tokens[i + 2]) and not tokens[i + 2].lower.endswith("ing"):
                flagged.add(i + 2)
                changed = True
            before = i >= 2 and i - 2 not in flagged and tokens[i - 1].lower == "and"
            if before and _listed_with(tokens[i - 2]) and not tokens[i - 2].lower.endswith("ing"):
                flagged.add(i - 2)
                changed = True
            for j in (i - 1, i + 1):
                if 0 <= j < len(tokens) and j not in flagged and _in_comma_list(text, tokens, min(i, j), max(i, j)):
                    flagged.add(j)
                    changed = True


def _listed_with(token: _Token) -> bool:
    """A capitalised word joined by "and" to a flagged name: a name if it could be one ("Jayden and Summer")."""
    return _name_like(token) or (token.cap and token.lower in WORDLIKE_NAMES)


def _in_comma_list(text: str, tokens: list[_Token], left: int, right: int) -> bool:
    """ "Jayden, Summer and Rose": capitalised words separated by a comma from a flagged name, not a new clause."""
    a, b = tokens[left], tokens[right]
    return _gap(text, a, b).strip() == "," and "\n" not in _gap(text, a, b) and _listed_with(a) and _listed_with(b)


# Past-tense verbs that open a diary-style sentence before a name: "Met Jordan at the hub", "Rang Priya back".
_OPENING_VERBS = _set(
    """met saw seen rang phoned called texted emailed messaged asked told visited collected supported helped thanked
    reassured reminded warned chased contacted interviewed observed supervised heard found left took gave sent
    brought caught dropped picked drove walked spoke updated"""
)


def _joins(text: str, tokens: list[_Token], left: int, right: int) -> bool:
    a, b = tokens[left], tokens[right]
    if a.sentence_start and a.lower in _OPENING_VERBS:
        return False  # "Met Jordan at the hub": the verb is not part of the name
    gap = _gap(text, a, b)
    left = _name_like(a) or (a.cap and a.lower in WORDLIKE_NAMES)  # "Summer Jones", "Grace Thornton"
    return gap.isspace() and "\n" not in gap and left and _name_like(b) and not a.lower.endswith("ing")
