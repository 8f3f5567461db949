"""Word lists for the general live-risk rule (data only; the logic is in ``handlers.screen_risk_general``).

All patterns run on lower-case text with curly apostrophes made straight. Lists are grouped by kind and matched by
stem where that is safe ("bruis" covers bruise, bruises, bruised, bruising), so that unseen wordings of the same
harm still match.
"""

from __future__ import annotations

import re


def _any(*groups: str) -> str:
    return "|".join(groups)


_PLURAL = (
    r"(?:children|kids|babies|boys|girls|lads|sons|daughters|young people|teenagers|pupils|siblings|twins"
    r"|brothers|sisters|little ones)"
)
_CHILD_NOUN = (
    r"(?:child|kid|baby|infant|toddler|newborn|boy|girl|lad|son|daughter|young person|teen|teenager|pupil|student"
    r"|sibling|brother|sister|eldest|youngest|little one|care leaver|victim|mum|dad|stepdad|mother|father)"
    r"(?!'?s? (?:protection|social|services|care|in need))"
)
# A particular child: a singular noun (not "every child"), an age ("a seven-week-old"), he/she, a parent of the
# child, or a plural with a determiner ("the children", "her two boys", "messaging boys"). A bare plural
# ("children are going hungry") is talk about children in general.
CHILD = re.compile(
    rf"\b(?<!every )(?<!any )(?<!each )(?<!no )(?:{_CHILD_NOUN}|year \d+|[\w-]+-(?:year|month|week|day)-olds?"
    r"|he|she|him|her|herself|himself|c?yp|\d+ ?(?:yo|y/o|yrs?|years? old|wks?|weeks? old|months? old|mths?)"
    rf"|(?:the|her|his|their|my|our|both|two|three|four|five|these|those|\w+'s|\w+ing)\s+(?:\w+\s+)?{_PLURAL})\b"
)

_PHYSICAL = _any(
    r"hit|hits|hitting|hurt\w*|beat|beats|beaten|beating|batter\w*|shak(?:e|es|ing|en)|shook|bruis\w*|burns?|burnt",
    r"burned|scald\w*|strangl\w*|chok\w*|grab\w*|slap\w*|punch\w*|kick\w*|smack\w*|push(?:es|ed|ing)|shov\w*",
    r"throttl\w*|bit|bites|bitten|locks?|locked|locking|tied|flinch\w*|marks|injur\w*|fractur\w*",
    r"broken (?:arm|leg|rib|bone)\w*|swollen|swelling|frenulum|unexplained|black eye|bleeding|blood|rough",
    r"pull(?:s|ed|ing) (?:him|her|them)|dragg\w*|punish\w*|makes? (?:him|her|them) (?:stand|kneel|sit|stay|watch|do)",
    r"shut\w* (?:him|her|them) (?:in|away)|shuts the door|back room|violen\w*|domestic|screaming at|shouting at",
    r"smash\w*|fight\w*|argu\w*|abus\w*|harm\w*|threat\w*|intimidat\w*|kill\w*|stab\w*|knife|knives|machete",
    r"weapon\w*|gun|controll\w*|isolat\w*",
)
_SEXUAL_AND_ONLINE = _any(
    r"touch(?:es|ing|ed)|grop\w*|groom\w*|rap(?:e|ed|ing)|sexual\w*|sex|forced to|made to|secret\w*|same bed",
    r"(?:her|his) (?:room|bed) at night|comes into (?:her|his) (?:room|bed)|pregnant|gaming site|online|snapchat",
    r"instagram|tiktok|messag\w*|send (?:photos|pictures|images|nudes)|photos|pictures|images|nudes|explicit",
    r"offen[cs]\w*|convictions?|record for|babysit\w*",
)
_EXPLOITATION = _any(
    r"exploit\w*|traffick\w*|picked up by|collected by|getting into cars|in (?:different )?cars",
    r"older (?:men|man|boys|lads|males)|grown men|adult (?:men|males|man|male)'?s?|men (?:in|at|who)",
    r"a man (?:she|he)|(?:1[89]|[2-9]\d)-year-old|county lines|trap house|runs for|running for|carrying|selling",
    r"dealing|owes?|debt|gang\w*|gifts|presents|new trainers|lifts|vodka|hang\w* around|loiter\w*",
    r"waiting (?:outside|for)|follow(?:s|ed|ing)|approach(?:es|ed|ing)",
)
_NEGLECT = _any(
    r"neglect\w*|not fed|not feeding|isn't feeding|hungry|starv\w*|no food|hardly any food|stealing food",
    r"without (?:food|meals|heating|electricity)|(?:fed|eats?) only|head lice|filthy|soiled|smell\w*",
    r"same clothes|no heating|no (?:coat|shoes|bed|nappies|electricity)|mattress on the floor|dog mess|faeces",
    r"squalor|freezing|in a tent|thin|losing weight|(?:isn't|not|hasn't|haven't) (?:gained|gaining|putting on|put on)"
    r" weight|faltering|rotten|teeth|dental|untreated|not (?:being )?treated|nobody is treating|medic\w*",
    r"stopped (?:giving|feeding|bringing|taking)|cancel\w* appointments|missed appointments|not brought",
    r"cared for|looked after|(?:left|alone) (?:alone|on (?:his|her|their) own|in the (?:house|flat|car))",
    r"left to look after|left with|home alone|alone with|alone|unsupervised|(?:no|without an|never seen an) adult",
    r"until (?:midnight|late|gone)|out on the streets?|sleeping (?:in (?:a|his|her|their|the) car|rough)|evicted",
    r"homeless|sofa[- ]surf\w*",
)
_MISSING_AND_UNSEEN = _any(
    r"missing|run(?:ning)? away|ran away|disappear\w*|not (?:been )?seen|(?:nobody|no one) has (?:seen|laid eyes)",
    r"(?:hasn't|has not|haven't|hasnt) (?:been (?:back|home|seen)|come (?:back|home)|seen|eaten)",
    r"(?:hasn't|haven't|has not|not) been (?:to|in) school|no answer|won't answer|not answering|for days",
    r"(?:absent|off school|not in school|not in class) for (?:\d+|two|three|four|five|six|seven|eight|nine|ten|a few"
    r"|several) (?:days|school days|weeks)|(?:nobody|no one|no-one) (?:answered|answering|came to the door|home)",
    r"(?:nobody|no one) knows where|whereabouts|different address|address we don't know|people we don't know",
    r"unknown (?:address|adults|males|men)|(?:won't|refuses to|will not) (?:say|tell)",
)
_FEAR_AND_HOME = _any(
    r"scared|afraid|frighten\w*|terrified|terrifies|terror|unsafe|not safe|danger\w*|at risk|something (?:really )?bad",
    r"(?:doesn't|don't|does not|do not|never|isn't|not) (?:feel )?safe|feels? unsafe|refus\w* to go home",
    r"won't go home|(?:can't|cannot|won't|scared to|afraid to|frightened to) go home",
    r"(?:doesn't|don't|does not|do not) want to (?:be at |go )?home|(?:won't|refuses to|doesn't want to) (?:bring|take"
    r"|let|go)|begg\w*|plead\w*|hid(?:es|ing)|crying|cries|screaming|sorry|worried|worr(?:y|ies|ying)|uneasy",
    r"concerned",
)
_SELF_HARM = r"self[- ]?harm\w*|cutting|cuts|scratch\w*|overdos\w*|suicid\w*|wants? to die|end (?:it|her life|his life)"
_SUBSTANCES_AND_ADULTS = _any(
    r"drugs|cannabis|cocaine|heroin|weed|crack|spice|using|alcohol|drunk|drinking|over the limit|high on",
    r"mental health has|crashed|bail|refuge|non-molestation|order|found out where|turn(?:s|ing) up",
    r"outside the (?:house|flat|school|home)|trying to get in|abroad|out of the country|coming back",
    r"(?:take|taking|snatch\w*) (?:them|the (?:kids|children|baby))|com(?:es|ing) round",
    r"going back to (?:him|her|them|that|the|dad|mum)",
)
_CONTROL_AND_CARE = _any(
    r"not allowed|makes? (?:him|her|them)|kept (?:indoors|in|inside|off school|home|away)|blinds|curtains",
    r"cooking for|(?:caring for|looking after) (?:his|her|their) (?:little )?(?:sisters?|brothers?|siblings|mum|dad)",
    r"in bed all day|swallow\w*|pills|ingest\w*|(?:didn't|did not|won't) (?:call|seek|get) (?:anyone|help)|for hours",
    r"jump\w*|bridge|ligature|noose|hang (?:herself|himself|themselves)|wet the bed|wetting|soiling|weight|weigh\w*",
    r"calls (?:her|him) (?:his|her)|meet (?:him|her|them|up)|leaves school|calls in lessons|last seen",
)
HARM = re.compile(
    rf"\b(?:{_any(_PHYSICAL, _SEXUAL_AND_ONLINE, _EXPLOITATION, _NEGLECT, _MISSING_AND_UNSEEN, _FEAR_AND_HOME)}"
    rf"|{_SELF_HARM}|{_SUBSTANCES_AND_ADULTS}|{_CONTROL_AND_CARE}|tablets)\b"
)

# Present or future: time words, present-tense auxiliaries, and a person followed by a verb ending in -s.
NOW = re.compile(
    r"\b(?:now|currently|still|again|at the moment|these days|lately|keeps?|keep on|every (?:night|day|morning"
    r"|afternoon|evening|weekend|week|time|friday|saturday|sunday)|most (?:nights|days|evenings|mornings|weekends"
    r"|fridays|weeks)|each (?:night|day|week)|always|tonight|today|this (?:morning|afternoon|evening|weekend|week"
    r"|month)|tomorrow|yesterday|last night|just|right now|next (?:week|weekend|time)|after school|at night"
    r"|at weekends|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|until gone|any day|before long"
    r"|is|are|am|isn't|aren't|'m|'re|won't|will|'ll|can't|cannot|doesn't|don't|does|do|has|have|hasn't|haven't"
    r"|'ve|going to|gonna|(?:he|she|it|there|that|who|what)'s"
    r"|says|tells|wants|needs|seems|looks|comes|goes|gets|lets|takes|gives|sends|makes|sleeps|stays|wears"
    r"|runs|drinks|drives|uses|waits|follows|watches|picks|collects|hangs|buys|offers|asks|calls|turns up"
    r"|(?:absent|off school|not in school) for (?:\d+|two|three|four|five|six|seven|eight|nine|ten|several) (?:days"
    r"|school days|weeks))\b"
    r"|\b(?:he|she|dad|mum|stepdad|partner|boyfriend|uncle|brother|man|carer|who|one)\s+(?:\w+ly\s+)?"
    r"(?!was\b|has\b|is\b|as\b|this\b|his\b|its\b|always\b|perhaps\b)[a-z]{2,}(?<!s)(?:s|es)\b"
)
# Historic markers; a strong sign of now in the same sentence ("is still living with the man who hit him last
# year") outweighs them.
HISTORIC = re.compile(
    r"\b(?:years? ago|months ago|weeks ago|last (?:year|spring|summer|autumn|winter|month)|back (?:then|when"
    r"|in (?:the day|19|20))|years back|for years|once|at the time|looking back|historically|previously"
    r"|in the past|(?<!being )(?<!get )(?<!got )used to|in (?:19|20)\d\d|when i was)\b"
)
STRONG_NOW = re.compile(
    r"\b(?:still|currently|at the moment|right now|tonight|this (?:weekend|week|morning|afternoon|evening)"
    r"|every (?:night|day|weekend)|keeps)\b"
)
# Review, procedure, training and system framing, and generalising words: they count before the harm or in its
# clause ("domestic abuse notifications arrive…").
BLOCK = re.compile(
    r"\b(?:review|panel|inquest|the report|report (?:says|found|notes|describes)|chronology|case study|scenario"
    r"|workshop|training|e-learning|module|policy|policies|procedures?|protocol|guidance|threshold|the quote|states"
    r"|should be|must be|we must|we need to|need to remember|important to remember|we learned|learning|lesson"
    r"|flow ?chart|poster|briefing|reminds us|role[- ]?play\w*|exercise(?! books?\b)|simulation|vignette"
    r"|notifications?|audit"
    r"|getting better|improv\w*|recording|screens for|number of|most of our|rarely|in general|generally|usually"
    r"|tend to|typically|has since|'s since|no current|no concerns|no longer|pathway|process|system"
    r"|explain\w* how|how (?:to|they|we|you) (?:decide|assess|respond)|(?:decide|assess|discuss\w*) whether"
    r"|how many|wonder how|route)\b"
)
# Completed actions and good outcomes: these veto every live-risk rule in the sentence.
DONE = re.compile(
    r"\b(?:(?:case|cases|referrals?|all|been|was|were|now) closed|(?:was|were|has been|have been|had been)"
    r" (?:referred|removed|arrested|charged|convicted|placed|dismissed|suspended|safeguarded|moved|rehoused)"
    r"|(?:is|are) (?:now )?(?:safe|settled|thriving|placed)|safe with"
    r"|strategy (?:meeting|discussion) (?:was |were )?held|already (?:raised|reported|referred|passed|actioned"
    r"|shared|escalated)|been actioned|police protection|injunction is in place|(?:has|had|have) died"
    r"|(?:before|after|since) (?:his|her|their) death|doing (?:much |really |so )?(?:better|well)|healed|thriving"
    r"|transformed|(?:is|are|seems?) (?:happy|settled)|attending every|working well"
    r"|(?:risk|concerns?|abuse|exploitation|violence|it|this) (?:has|have) (?:reduced|decreased|stopped|ended|eased)"
    r"|in prison|in custody|on remand|jailed|sentenced|engag\w+ (?:well|brilliantly|really well))\b"
)
HYPOTHETICAL = re.compile(
    r"\b(?:if|would|could|might|may|should|imagine|suppose|hypothetically|in case|unless|had anyone|\w+'d"
    r"|can (?:be|have|look|feel|seem)|in (?:that|this|such a) situation|for when)\b"
    r"|\bwhen\s+(?:a|an|the)?\s*(?:child|children|young person|young people|baby|pupil|someone|parent)\b"
    r"|^\W*(?:what|how)\b|^\W*(?:a|any|every)\s+(?:child|young person|baby|pupil|teenager)\s+who\b"
)
# An "if" after these is reported speech or an indirect question, not a hypothetical.
REPORTED = re.compile(
    r"\b(?:says|said|told|tells|threatened|threatens|posted|messaged)\b"
    r"|\b(?:ask\w*|wonder\w*)(?: me| us| him| her| them)?\s*$"
)
NEGATION = re.compile(r"\b(?:no|not|never|none|nobody|no one|without)\b|n't\b")
CLAUSE_BREAK = re.compile(r"[,;:(—–]|\b(?:and|but|because|while|although|though|so)\b")
TENSE_BREAK = re.compile(
    r"[,;:(—–]|\b(?:and|but|because|while|although|though|so|which|who|that|how|when|where|after|before|until"
    r"|since)\b"
)
PAST = re.compile(r"\b(?:\w+'d|was|were|(?<!has )(?<!have )(?<!'s )(?<!'ve )had|did|wasn't|weren't|hadn't|didn't)\b")
RECENT = re.compile(r"\b(?:again|still|now|earlier)\b")
# These set the time of the whole sentence: "I've just come back from a visit: dad was drunk…".
SENTENCE_RECENT = re.compile(
    r"\b(?:yesterday|last night|today|tonight|this (?:morning|afternoon|evening|week|weekend)|earlier today"
    r"|just (?:come|got|been|left|seen|spoken|had|found|heard))\b"
)
# Case-note sentences without a subject that are about the child in hand.
NOTE_START = re.compile(
    r"\W*(?:missing|last seen|found|disclosed|presenting|presented|absconded|reported missing|not seen|no contact"
    r"|believed|suspected|seen)\b"
)
RELATIVE = re.compile(r"^\W*(?:who|where|which|that)\b")
