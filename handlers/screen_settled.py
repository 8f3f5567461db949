"""Signals that a reflection is *not* about a child at risk now, read over the whole text for the gate.

The rules and the classifier read harm words; a reflection about a case that has already been acted on ("strat held,
he's with nan under a safety plan"), a historic case ("in 2019", "the review's child"), a training exercise, or the
author's own distress uses the same words. These signals let the gate lower its answer one step (hold → ask,
ask → store) but only when nothing in the text still points at danger now: "still", "tonight", "haven't rung
anyone", "going home with him", "no one's been out". The danger cues win every time, so a settled-sounding text
with one live sentence keeps its hold or ask.
"""

from __future__ import annotations

import re
from enum import StrEnum

_AGE = r"(?:aunt\w*|uncle|nan|nana|nanna|gran\w*|grand\w*|foster\w*|carers?|family|relatives?|dad|mum|father|mother)"
# Already acted on, or resolved: a plan, a placement, an order, an arrest, a referral made, safe and well.
SETTLED = re.compile(
    r"\b(?:safety plans?|(?:strat|strategy(?: meeting| discussion)?) (?:was |were |has been |had been )?(?:held|done)"
    r"|s47 (?:started|done|completed|opened)|(?:section 47|child protection) (?:enquiry|enquiries) (?:started|done)"
    rf"|(?:placed|living|staying|lives|safe|settled|home|back) with (?:her |his |their |a |an |the |my )?"
    rf"(?:paternal |maternal |great |older )?{_AGE}"
    r"|(?:sgo|special guardianship|kinship) (?:carers?|placement|order)?|sgo|refuges?|safe and well"
    r"|return home interview (?:was )?(?:done|completed|held)|rhi (?:was )?(?:done|completed|held)"
    r"|referrals? (?:was |were |has been |have been )?(?:made|done|sent|completed|submitted|accepted)"
    r"|same[- ]day referral|referred (?:straight away|the same day|within the hour|immediately|on)"
    r"|(?:rang|called|phoned|contacted) (?:mash|the mash|social care|children's services|the police|lado)"
    r" (?:straight away|the same day|within the hour|immediately)"
    r"|(?:interim |full )?care order|\bico\b|emergency protection order|police protection"
    r"|(?:restraining|non[- ]molestation|protection) orders?"
    r"|police (?:attended|came|were called|took it)|took it from there"
    r"|(?:was|were|been|got|has been|have been|had been|is being|'s been) (?:arrested|charged|convicted|jailed"
    r"|sentenced|remanded|bailed with conditions|removed|placed|rehoused|moved to a)|arrested him|arrested her"
    r"|in prison|on remand|lado (?:was |were |has been )?(?:informed|contacted|involved|notified|consulted)"
    r"|idvas? (?:allocated|involved|in place)|marac (?:referral )?(?:done|made|held)"
    r"|(?:safe|stable|new|long[- ]term) (?:placement|foster home)|written agreement|(?:has|had) (?:left|moved out of)"
    r" the (?:house|home|address|area)|moved out|doing (?:ok|okay|fine|well|great|much better|better|really well)"
    r"|thriving|settled|(?:is|are|she's|he's|they're) (?:now )?safe|safe now|now safe|social care visited"
    r"|(?:has|have|got) (?:a|an) (?:worker|allocated worker|advocate|idva)|open to (?:the )?(?:\w+ )?team"
    r"|resolved|nfa'?d|taken down|good (?:catch|outcome|multi-agency)|went smoothly|smooth|engaging (?:with|well)"
    r"|(?:sorted|in place) now|all sorted|(?:plan|plans) in place|stepped down|no outstanding actions?"
    r"|(?:strat|strategy)(?: meeting| discussion)? (?:is |was |has been )?(?:done|completed)|found safe|was found by"
    r"|crisis team (?:assessed|saw)|(?:is|are|and is) satisfied|(?:who's|who is) protective|with (?:mum|dad) who'?s"
    r" protective"
    r"|no (?:new |further |current |other )?(?:safeguarding )?concerns?|no injuries|seen and spoken to"
    r"|(?:he's|she's|they're|both|all|everyone's|both are|all are) (?:been )?(?:fine|well|happy)"
    r"|proud of (?:herself|himself|themselves|him|her|them)|small win|going well|hopeful)\b"
)
# The text still points at danger now: the settled signal is not used.
DANGER = re.compile(
    r"\b(?:(?<!i )(?<!we )still|again|tonight|right now|as we speak|this (?:weekend|evening)|tomorrow"
    r"|next (?:one|time|visit)"
    r"|keeps?|yet|despite|even though|moved back|moving back|move back|let (?:him|her|them|the \w+) (?:move )?back"
    r"|(?:haven't|hasn't|have not|has not|didn't|not|no one's|nobody's|no one has|nobody has|no-one's)"
    r" (?:\w+ )?(?:rung|rang|called|phoned|told|logged|passed|shared|referred|raised|reported|recorded|been out"
    r"|been allocated|allocated|picked|followed|acted|done anything|heard)|no one knows|nobody knows|no plan"
    r"|not (?:safe|allocated|been seen)|isn't safe|at (?:serious )?risk|in danger|going home with|goes home with"
    r"|(?:is|are|she's|he's|they're) (?:back|home) (?:at|with)"
    r"|back at the (?:address|house|flat)|gone again|missing again"
    r"|before (?:i|we) could|discharg\w+|took (?:him|her|them) home"
    r"|(?:no|not enough|haven't got the|don't have the) capacity|leave it (?:till|until|for now)|said to leave it"
    r"|(?:wouldn't|won't|didn't) (?:take|accept|pick up) (?:it|the referral)"
    r"|(?:nothing|no one) (?:will|would) (?:happen|do)"
    r"|worried|worrying|worries|concerned|scared|frightened|terrified|afraid|(?:nobody|no one|no-one) else knows"
    r"|(?:not|isn't|aren't|stopped) answering|out of hours"
    r"|nobody knew|no one knew|no-one knew|ages away|not (?:until|till) next|in more danger"
    r"|wonder(?:ing)? if (?:it|she|he|they|this|that)|(?:wasn't|isn't|not) (?:so |really )?hypothetical"
    r"|(?:i|we) think (?:he|she|they|it)|unsupervised|breach\w*|not sure (?:who|what|if|whether)|(?:she|he|they)'s"
    r" (?:with him|with her|with them) now|unless|threat\w*|wouldn't (?:leave|say)|won't (?:say|tell|explain))\b"
)
# A case in the past, or the review's own child: not happening now.
HISTORIC = re.compile(
    r"\b(?:in (?:19\d\d|20[01]\d|202[0-4])|back in (?:19|20)\d\d|(?:since|from|of|during|in early|in late) "
    r"(?:19\d\d|20[01]\d|202[0-4])|(?:19\d\d|20[01]\d|202[0-4]) (?:when|case|review|cspr)|years? ago|last year"
    r"|back then|looking back|historic(?:al|ally)?|when i was (?:a |an )?(?:student|newly|nqsw|trainee|new|junior)"
    r"|in my (?:first|early|student|training)|the (?:review's|cspr's|panel's) (?:child|baby|boy|girl)"
    r"|the (?:child|baby|boy|girl|lad|young person) in the (?:review|cspr|case review)|this cspr happened"
    r"|should have (?:triggered|been|seen|spotted|picked|acted|referred|known)|(?:has|had) died|inquest)\b"
)
# Training, exercises and hypotheticals: the harm is a teaching example.
TRAINING = re.compile(
    r"\b(?:scenario|exercise(?! books?\b)|role[- ]?play\w*|case study|case studies|vignette|hypothetical\w*|simulation"
    r"|(?:the |our |today's |in )training|training (?:today|session|day|on|about)|the trainer|workshop|e-learning"
    r"|module|the example of|for example|practice case)\b"
)
# A child in the text at all: without one, a first-person text is about the author.
CHILD_NOW = re.compile(
    r"\b(?:child|children|kid|kids|baby|babies|toddler|infant|boy|girl|lad|son|daughter|teen\w*|pupil|young person"
    r"|young people|yp|cyp|\d+ ?(?:yo|y/o|yrs?|years? old|wks?|weeks? old|months? old)|yr ?\d+|year ?\d+|y\d{1,2}"
    r"|unborn|sibling\w*"
    r"|brother|sister|twins?|newborn|nephew|niece|grandchild\w*|little ones?|nappy|nappies)\b"
    r"|\(\s*\d{1,2}\s*[,)]"  # "Rosie (16, CIN)"
)
# Danger now that no reading of the author's own distress can set aside.
URGENT = re.compile(
    r"\b(?:tonight|right now|as we speak|this (?:weekend|evening)|tomorrow|at (?:serious )?risk|in danger|not safe"
    r"|isn't safe|(?:haven't|hasn't|have not|has not|didn't|not|no one's|nobody's|no one has|nobody has|no-one's)"
    r" (?:\w+ )?(?:rung|rang|called|phoned|told anyone|logged|passed|shared|referred|raised|reported|recorded|been out"
    r"|been allocated)|no one knows|nobody knows|going home with|goes home with|discharg\w+)\b"
)
# The author's own children ("snapped at my kids") are not a child at risk in the text.
_OWN_CHILDREN = re.compile(r"\bmy (?:own )?(?:\w+ )?(?:kids?|children|child|son|sons|daughters?|boys?|girls?)\b")
# With a child in the text, the author's distress steps the gate down only below this score.
OWN_DISTRESS_CHILD_SCORE = 0.45
# Without a child named, only below this, with or without a danger cue: a text the classifier reads as a child at risk
# now keeps its ask however upset its author is ("Marcus in Y10 showed me a mark on his neck … I haven't slept").
OWN_DISTRESS_SCORE = 0.60
_ME = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b")


class Damping(StrEnum):
    NONE = "none"
    SETTLED = "settled"
    # Two or more separate signs of action already taken ("referral made", "safety plan", "placed with nan").
    SETTLED_FIRMLY = "settled_firmly"
    HISTORIC = "historic"
    TRAINING = "training"
    OWN_DISTRESS = "own_distress"
    # The same with a child in the text: a hold becomes an ask and an ask stays (the child may be at risk now).
    OWN_DISTRESS_CHILD = "own_distress_child"
    # The author's own state in words the rules read as risk ("drinking most nights"), no child in the text: a hold
    # becomes an ask, never a store (the author's own suicidal wording must still reach the routes).
    OWN_WORDS_READ_AS_RISK = "own_words_read_as_risk"


_NEGATED = re.compile(
    r"\b(?:no|not|never|without|nor|hasn't|haven't|hadn't|wasn't|weren't|isn't|aren't|didn't|nobody)"
    r"\W+(?:\w+\W+){0,2}$"
)


def settled(lower: str) -> int:
    """How many different settled phrases are not negated just before them ("no referral done", "not been placed
    with nan" do not count)."""
    negated = _NEGATED.search
    found = {m.group() for m in SETTLED.finditer(lower) if not negated(lower[max(0, m.start() - 40) : m.start()])}
    return len(found)


_SENTENCES = re.compile(r"[^.!?\n]+")
_IN_PRACTICE = re.compile(
    r"\b(?:i|i'd|i'm|i've|me|my|visit|visited|today|this (?:morning|afternoon|evening)|yesterday|on shift|in clinic)\b"
)


def _child_outside_training(lower: str) -> bool:
    """A sentence about a child with no training word in it, in a text that mentions training elsewhere: "the CSPR
    workshop was good. On the visit Yusuf (9) asked if I'd tell his dad…" is not a teaching example. The sentence is
    the author's own practice (I, me, a visit, today), not the case study's next line ("A girl of 12 says…")."""
    sentences = [m.group() for m in _SENTENCES.finditer(lower)]
    if len(sentences) < 2:
        return False
    return any(CHILD_NOW.search(s) and _IN_PRACTICE.search(s) and not TRAINING.search(s) for s in sentences)


def damping(text: str, distress: bool, rules_live_risk: bool = False, risk_score: float = 0.0) -> Damping:
    """Why the gate may step down one level, or NONE when it may not (danger cues always win)."""
    lower = text.lower().replace("’", "'")
    danger = DANGER.search(lower) is not None
    own = Damping.NONE
    if distress and not rules_live_risk and _ME.search(lower) and not URGENT.search(lower):
        child = CHILD_NOW.search(_OWN_CHILDREN.sub("", lower)) is not None
        ceiling = OWN_DISTRESS_CHILD_SCORE if child else OWN_DISTRESS_SCORE
        if not (child and danger) and risk_score < ceiling:
            if not child:
                return Damping.OWN_DISTRESS
            own = Damping.OWN_DISTRESS_CHILD  # unless the case is settled, historic or a training example
    if danger:
        return own
    signs = settled(lower)
    if signs:
        return Damping.SETTLED_FIRMLY if signs >= 2 else Damping.SETTLED
    if HISTORIC.search(lower):
        return Damping.HISTORIC
    if TRAINING.search(lower) and not _child_outside_training(lower):
        return Damping.TRAINING
    if own is not Damping.NONE:
        return own
    if distress and _ME.search(lower) and not CHILD_NOW.search(lower):
        return Damping.OWN_WORDS_READ_AS_RISK
    return Damping.NONE
