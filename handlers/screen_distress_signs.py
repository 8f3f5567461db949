"""Distress shown by what the body and the day do, not by a feeling word.

Practitioners often write their distress as signs: sleep ("wake at 4 with my heart racing"), the body ("hands
shaking", "lost a stone"), crying somewhere ("cried in the car park"), avoidance ("can't open the laptop", "dread
the phone", "can't drive down that road"), coping by drinking, dreams about the case, being signed off, withdrawing
("stopped answering my friends", "stare at the ceiling till it's dark") and quitting in despair. A sentence counts
when it holds one of these signs and its subject is the author: "I", "my" or "me" before the sign in the same
clause, or no subject at all (diary style: "cried in the car again", "not really eating"). It does not count when
someone else is the subject before the sign ("mum says she can't sleep", "the baby wakes at 4"), when the clause is
negated or over ("I used to", "not any more"), or when the sentence says it has passed ("better now").

Ordinary tiredness ("tired after the training day") is not a sign; "exhausted all the time" is.
"""

from __future__ import annotations

import re

from handlers.screen_distress_general import HISTORIC, RESOLVED

_SLEEP = "|".join(
    (
        r"(?:haven't|hasn't|have not|can't|cannot|couldn't|barely|hardly|not) (?:really )?(?:slept|sleep|sleeping)",
        r"no sleep",
        r"(?:wake|waking|woke|awake|up) (?:up )?(?:at|by|every|in the night|before)\s+(?:\d|the|night|morning)",
        r"lie awake",
        r"lying awake",
        r"lay awake",
        r"awake (?:all night|till|until)",
        r"sleeping (?:tablets|pills)",
        r"nightmares?",
        r"(?:dream|dreams|dreamt|dreaming|dreamed) (?:about|of) (?:the|that|this|her|him|them|it|those|baby|child)",
    )
)
_BODY = "|".join(
    (
        r"heart (?:is |was |keeps |starts |going |goes )?(?:racing|pounding|thumping|hammering|going|in my mouth)",
        r"my heart (?:races|pounds|goes|sinks|drops)",
        r"stomach (?:drops|churns|turns|in knots|flips)",
        r"(?:hands|legs) (?:are |were |keep |start )?(?:shak\w*|trembl\w*)",
        r"shaking",
        r"trembling",
        r"panic attacks?",
        r"can't breathe",
        r"couldn't breathe",
        r"feel(?:ing)? sick",
        r"physically sick",
        r"threw up",
        r"lost (?:a stone|(?:so much|a lot of) weight|\d+ ?(?:kg|kilos|pounds|lbs))",
        r"(?:not|stopped|haven't|haven't been|barely) (?:really )?(?:been )?eating",
        r"can't eat",
        r"no appetite",
        r"chest pains?",
        r"palpitations",
        r"(?:my )?hair(?:'s| is)? (?:coming|falling) out",
        r"ulcers",
        r"migraines?",
        r"(?:i )?(?:freeze|froze) (?:at|on|in|when|up)",
        r"(?:keep|kept|still|lie|lying|awake|up)\b[^.,;]{0,50}\bat [1-5] ?(?:am|a\.m\.|in the morning)",
        r"check\w* (?:\w+ ){0,4}all night",
        r"jump at (?:every|the)",
        r"jump (?:when|every time|whenever)",
        r"jumpy",
        r"on edge",
        r"chest (?:goes |is |feels )?tight",
    )
)
_TEARS = "|".join(
    (
        r"cried",
        r"crying",
        r"cry (?:in|on|at|before|after|every|all|myself)",
        r"in tears",
        r"tears (?:in|on)",
        r"sobbed",
        r"sobbing",
        r"welled up",
        r"burst into tears",
        r"broke down",
    )
)
_AVOIDED_ACT = (
    r"open|look at|log on|log in|check|turn on|switch on|face|go (?:in|into|back|near|to)"
    r"|drive (?:down|past|along|through)|walk (?:past|into)|read|answer|pick up"
)
_AVOIDED_THING = (
    r"laptop|emails?|inbox|phone|computer|teams|outlook|post|office|work|building|road|street|estate|file|case"
    r"|messages?|calls?|car|it|meetings?|supervision|visits?|team|people|anyone|colleagues|another|tomorrow|monday"
)
_AVOID = "|".join(
    (
        rf"(?:can't|cannot|couldn't|won't|don't|can not) (?:bring myself to |face |bear to )?(?:{_AVOIDED_ACT})"
        rf"\b(?:\s+\S+){{0,3}}?\s*(?:{_AVOIDED_THING})",
        r"dread (?:the|my|opening|logging|answering|picking|going|every|each|monday|mondays|sunday)",
        r"(?:avoid|avoiding|avoided) (?:the office|the team|work|going in|my manager|supervision|the building"
        r"|calls|emails|the phone)",
        r"(?:sit|sat|sitting) (?:in the car(?: park)?|outside)(?: \w+){0,4}? "
        r"(?:for (?:ages|an hour|hours|\w+ minutes)|crying|shaking|before i|until|till|unable)",
        r"stare at the (?:screen|ceiling|wall)",
        r"staring at the (?:screen|ceiling|wall)",
        r"sit and stare",
        r"just stare",
        r"won't go to",
        r"in case someone recogni[sz]es",
    )
)
_COPE = "|".join(
    (
        r"drink(?:ing)? (?:more(?! water| fluids| tea| juice)|every night|most nights|too much)",
        r"a bottle (?:of wine )?(?:a night|every night|most nights)",
        r"glass(?:es)? of wine (?:every|most|a night)",
        r"\d+ glasses (?:every|most|a) nights?",
        r"(?:need|needing) a drink",
        r"signed off",
        r"(?:been|was|am|i'm) off (?:work |sick )?(?:for (?:\w+ )?(?:days|weeks|months)|for a (?:bit|while) )?"
        r"(?:with (?:stress|anxiety|depression|burnout|my (?:mental health|nerves))"
        r"|for (?:\w+ )?(?:days|weeks|months))",
        r"(?:easing|eased) (?:myself )?back in",
        r"phased return",
        r"(?:put|started) (?:me )?on (?:antidepressants|sertraline|citalopram|fluoxetine|sleeping pills|medication)",
        r"cancel\w* (?:on my friends|on everyone|plans|everything)",
        r"on the sick",
        r"off sick",
        r"sick leave",
        r"stopped (?:answering|seeing|going out|replying|returning)",
        r"(?:exhausted|tired|shattered|drained) all the time",
        r"forgetting things",
        r"left the hob on",
        r"can't remember",
        r"easier if i (?:just )?(?:didn't|wasn't|weren't)",
        r"didn't (?:want to )?(?:wake up|arrive|come back)",
        r"(?:going|go) through the motions",
        r"feel(?:ing)? (?:completely |totally )?numb",
        r"(?:don't|do not|can't|cannot|didn't) (?:really )?feel anything",
        r"feel(?:ing)? nothing",
        r"scared to make (?:any |a )?decisions?",
        r"(?:thinking|thought) (?:of|about) (?:quitting|leaving|packing it in|jacking it in|walking out|giving up)",
        r"(?:considering|contemplating) (?:quitting|leaving|packing it in|jacking it in|walking out|giving up)",
        r"anything without (?:kids|children|child protection)",
        r"decisions i (?:wouldn't|would not|won't|am not|i'm not) (?:be )?proud of",
        r"(?:so|completely|totally|absolutely) (?:wiped|wrecked|fried|frazzled|done in)",
        r"over and over",
        r"round and round",
        r"(?:lie|lying|lay) in bed",
        r"pointless",
        r"close to (?:breaking|the edge|tears|snapping)",
        r"(?:watching|watch) myself",
        r"aged (?:ten|\w+) years",
        r"feel responsible(?!\s+for\s+(?:making|ensuring|doing|leading|taking|the\s+(?:changes|plan|actions?)))",
        r"(?:keep|kept) (?:thinking (?:it's|it was|if|about what|that i|i)|reading|going back)",
        r"(?:hurt|hurting|harm|harming) myself",
        r"can't forgive myself",
        r"(?:need|needs) to talk to someone",
        r"(?:couldn't|can't|cannot) (?:speak|talk) to anyone",
        r"walked out of",
        r"left my trolley",
        r"(?:hand|handing|handed) in my notice",
        r"lie on the bed",
        r"in bed all",
        r"(?:want|wanted|need|needed) (?:someone|somebody|anyone) to tell me",
        r"(?:drove|driving|drive|walked|went|got) home (?:still )?thinking about",
        r"can't stop thinking about",
        r"couldn't stop thinking about",
        r"(?:thought|thinking|think) about what else i (?:could|might|would|can) do",
        r"can't switch off",
        r"(?:reread|re-read|read|replayed|replay|gone over|went over|go over)\b[^.,;]{0,60}?"
        r"(?:\d{2,}|a hundred|hundreds of|a thousand|a million) times",
        r"without (?:thinking|feeling like|worrying that) (?:people|everyone|they)",
        r"never switch off",
        r"(?:\d|one|two|three|four) (?:hrs?|hours) (?:of )?sleep",
        r"foetal position",
        r"(?:had|having|have) (?:my |a )?(?:\S+ ){0,3}?panic attack",
        r"(?:not|haven't|have not|hadn't) (?:really )?eaten(?: today| all day| properly| since)",
        r"running on (?:empty|fumes|coffee|caffeine|adrenaline)",
        r"nothing left (?:in the tank|to give)",
        r"feel(?:ing)? (?:completely |totally |so )?(?:paralysed|frozen|useless|hopeless|like a failure|out of my depth"
        r"|like i'm drowning|like i'm failing)",
    )
)
# Signs that hold their own subject, so need no "I" before them: "the weekends don't feel like rest any more",
# "I used to love this" (a loss, not a past state), "relieved and ashamed at the same time".
OWN = re.compile(
    r"\b(?:(?:weekends?|days off|evenings|holidays?|sundays?|time off) (?:don't|doesn't|never|no longer) (?:feel|feels)"
    r" like (?:rest|a break|time off|mine)|i used to love (?:this|it|my job|the job|coming (?:in|to work)|work)"
    r"|(?:sick|dread\w*|anxious) (?:on|every) (?:a )?sunday|sunday (?:night )?(?:dread|fear|scaries|sickness)"
    r"|(?:relieved|glad) and (?:ashamed|guilty|embarrassed)|(?:pit|knot) (?:of|in) (?:my|your|the) stomach"
    r"|(?:people|everyone|they)(?:'re| are| were| keep| kept)? (?:staring|looking|pointing) at me"
    r"|(?:i'd|i would) (?:rather|sooner) [^.]{0,60}? than (?:go through|do|face|sit through|be part of) (?:this|that"
    r"|another|it|one more))\b"
)
# A question to the room that is about the author: "do you ever just feel sick on a Sunday night?"
_ASKS_THE_ROOM = re.compile(r"\b(?:do|does) (?:you|anyone)(?: else)?(?: ever)?(?: just)?\s*$")
SIGN = re.compile(rf"\b(?:{_SLEEP}|{_BODY}|{_TEARS}|{_AVOID}|{_COPE})\b")

_ME = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b")
# Someone else as the subject or owner of the sign: a child, a parent, a colleague, a pronoun.
_OTHER = re.compile(
    r"\b(?:he|she|they|he's|she's|they're|his|her|their|him|them|we|we're|our|you|your|mum|mum's|dad|dad's"
    r"|mother|father|parents?|carers?|child|child's|children|baby|toddler|boy|girl|kids?|son|daughter|brother"
    r"|sister|nan|gran|grandma|grandad|family|families|pupils?|students?|teenager|young (?:person|people)"
    r"|patients?|colleagues?|manager|staff|everyone|people|partner|boyfriend|girlfriend|foster)\b"
)
_CLAUSE = re.compile(r"[,;:(—–]|\b(?:but|and|because|so|although|though|while|when|who|which|that)\b")
_NEGATED = re.compile(r"\b(?:never|no longer|not)\b|n't\b")
_RELATIVE = re.compile(r"\b(?:with|for|to|about|at|know|see|support|met)\s+(?:has|have|is|was|had|keeps|kept)\b")
# What makes a sign an ordinary fact of the job: a purpose or a plan after it ("up at 5am to catch the train", "off
# for two weeks on annual leave", "avoid the office because I work from home", "as the policy says"), or a good
# outcome ("lost a stone on the diet and feel great").
_ORDINARY_AFTER = re.compile(
    r"\b(?:waiting (?:for|to)|to (?:catch|take|collect|meet|attend|arrive|prepare|finish|get ready)|annual leave"
    r"|on leave|(?:on|for a) holiday|as (?:the policy|agreed|planned|usual|per)|because (?:i|we) (?:work|were|have)"
    r"|(?:the|a|my) diet|(?:feel|feeling) (?:great|good|fine|better)|but (?:stayed|didn't))\b"
)
_SENTENCE = re.compile(r"[^.!?\n]+")
# Someone else's words, quoted: "mum said 'i don't feel anything for him'" (an apostrophe inside a word is not a quote).
_QUOTED_SPEECH = re.compile(
    r"\b(?:said|says|saying|told (?:me|us)|tells (?:me|us)|asked|replied|texted|messaged|wrote|shouting|shouted)"
    r"(?: (?:me|us|him|her|them))?\s*[:,]?\s*['\"‘“](?:[^'\"‘“’”]|(?<=\w)['’](?=\w))*$"
)


def shows_distress_signs(text: str) -> bool:
    """True when a sentence shows a bodily or behavioural sign of the author's distress."""
    lower = text.lower().replace("’", "'")
    if OWN.search(lower):
        return True
    for sentence in _SENTENCE.finditer(lower):
        s = sentence.group()
        if RESOLVED.search(s):
            continue
        for sign in SIGN.finditer(s):
            if _authors(s, sign.start(), sign.end()):
                return True
    return False


def _authors(sentence: str, start: int, end: int) -> bool:
    before = sentence[:start]
    clause = _CLAUSE.split(before)[-1]
    if HISTORIC.search(clause) or _NEGATED.search(" ".join(clause.split()[-3:])) or HISTORIC.search(sentence[end:]):
        return False
    if _ORDINARY_AFTER.search(sentence, end) or _QUOTED_SPEECH.search(before):
        return False
    people = [m for m in re.finditer(rf"{_ME.pattern}|{_OTHER.pattern}", before)]
    if people and _ASKS_THE_ROOM.search(before):
        return True
    if people:
        nearest = people[-1]
        # "my heart racing", "I cried": the author is the nearest person before the sign.
        if _ME.fullmatch(nearest.group()):
            between = before[nearest.end() :]
            # "the 17 year old I work with has stopped answering": the author is in a relative clause.
            return len(between.split()) <= 8 and not _RELATIVE.search(between)
        return False
    # No person before the sign: a diary-style sentence with no subject counts when it starts with the sign or
    # with a few words that are not a subject ("been on the sick a month", "stopped answering my friends").
    # The clause counts, not the whole sentence: "teaching is great 10/10 would recommend, only cried in the cupboard".
    return len(clause.split()) <= 4 and not re.match(r"\s*(?:it|it's|this|that|there|the|a|an)\b", clause)
