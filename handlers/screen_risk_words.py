"""Wording the live-risk screen looks for (data only; the logic is in ``handlers.screen_risk``).

All patterns run on lower-case text with curly apostrophes made straight.
TRIGGERS are forms that are current by themselves ("is being hit", "hasn't been seen since", "shakes the baby").
HARM + NOW is the wider net: a harm or indicator word and a sign of "now" in the same clause.
"""

from __future__ import annotations

import re

BE = r"(?:\b(?:is|are|(?:she|he|it)s|theyre)|'(?:s|re))"
_SUBJECT = (
    r"\b(?:he|she|they|child|children|baby|kids?|boys?|girls?|young (?:person|people)|pupils?|teenagers?|toddlers?"
    r"|twins|sisters?|brothers?|sons?|daughters?|siblings?|infants?)\s*(?:is|are|'s|'re)"
)
_NOT_ME = r"(?<!i'm )(?<!we're )(?<!i am )(?<!we are )(?<!i'll be )"
_HARM_PP = (
    r"(?:hit|hurt|beaten|abused|assaulted|groomed|exploited|neglected|harmed|threatened|attacked|raped|touched"
    r"|starved|locked in|locked up|kicked|punched|slapped|strangled|choked|burn(?:ed|t)|bullied|trafficked|made to"
    r"|forced to|sent to|sexually|physically|emotionally|picked up|left alone|left on (?:his|her|their) own|controlled"
    r"|rough with|shaken|pushed|dragged)"
)
_HARM_ING = (
    r"(?:hurting|hitting|abusing|beating|assaulting|grooming|exploiting|threatening|harming|touching|raping|starving"
    r"|kicking|punching|slapping|strangling|choking|neglecting|bullying|controlling|grabbing|shouting at|shaking"
    r"|pushing|dragging)"
)
_HARM_VERB_S = (
    r"(?:hits|beats|hurts|abuses|touches|slaps|kicks|punches|strangles|chokes|rapes|shakes|pushes|throws|bites|drags"
    r"|smacks|squeezes|whips|belts|batters|shoves|starves|headbutts|locks)"
)
_VICTIM = r"(?:her|him|them|me|us|the kids|the children|the baby|the child|the boy|the girl|his|their)"
_CHILD = r"(?:pupil|student|child|girl|boy|young person|teenager|kid)s?"
_AT_RISK_PERSON = (
    r"(?:stepdad|step-dad|stepfather|partner|boyfriend|man|men|uncle|perpetrator|abuser|offender|adult|lodger|ex)"
)

# Each trigger: words one of which every match contains (a cheap check before the regex runs), and the regex.
TRIGGERS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (tuple(keys.split()), re.compile(pattern))
    for keys, pattern in (
        ("being", rf"{BE}\s+(?:still\s+|currently\s+|now\s+|again\s+)?being\s+(?:\w+ly\s+)?{_HARM_PP}\b"),
        (
            "hurting hitting abusing beating assaulting grooming exploiting threatening harming touching raping"
            " starving kicking punching slapping strangling choking neglecting bullying controlling grabbing"
            " shouting shaking pushing dragging",
            rf"{BE}\s+(?:still\s+|currently\s+|now\s+)?(?:\w+ly\s+)?{_HARM_ING}\b",
        ),
        ("being", r"\bnot\s+being\s+(?:fed|changed|washed|looked after|cared for|supervised)\b"),
        (
            # A concern the author has not passed on yet: "I should have rung the police … but I just couldn't. I'll
            # ring first thing".
            "should ring call phone report refer tell pass raise",
            r"\b(?:should have|should've|shouldve) (?:rung|called|phoned|reported|referred|told|passed)\b[^.!?]{0,80}"
            r"\b(?:but|and) (?:i )?(?:just\W+)?(?:didn't|couldn't|haven't|did not|could not)|\bi(?:'ll| will) (?:ring"
            r"|call|phone|report|refer|do the referral|pass it on|raise it|tell)\b(?:\s+\w+){0,3}?\s+(?:first thing"
            r"|tomorrow|in the morning|on monday)\b",
        ),
        (
            # A carer's goodbye: "sorry for everything, please make sure Mia is ok", "look after my kids for me".
            "sorry make look take goodbye",
            r"\b(?:sorry for everything|please (?:make sure|look after|take care of|check on) (?:\w+ ){0,2}?(?:is|are)"
            r" (?:ok|okay|safe|alright|looked after)|(?:please )?(?:look after|take care of) (?:my|the)"
            r" (?:kids|children|baby|boys|girls)(?: for me)?|(?:saying|said|say) (?:goodbye|bye) to (?:the|her|his|my)"
            r" (?:kids|children|baby))\b",
        ),
        (
            "still keep regularly always",
            r"\b(?:still|keeps?|keep on|regularly|always)\s+(?:hits?|hitting|hurts?|hurting|beats?|beating|abuses?"
            r"|abusing|grabs?|grabbing|messag(?:es|ing)|text(?:s|ing)|touch(?:es|ing)|threaten(?:s|ing)"
            r"|shout(?:s|ing) at|lock(?:s|ing)|kick(?:s|ing)|punch(?:es|ing)|slap(?:s|ping)|push(?:es|ing)"
            r"|shak(?:es|ing))\b",
        ),
        (
            "hits beats hurts abuses touches slaps kicks punches strangles chokes rapes shakes pushes throws bites"
            " drags smacks squeezes whips belts batters shoves starves headbutts locks",
            rf"\b{_HARM_VERB_S}\s+{_VICTIM}\b",
        ),
        ("harm", rf"(?:{BE}|\bhas been|\bhave been)\s+(?:still\s+)?self[- ]?harm(?:ing)?\b"),
        ("harming", r"\bself[- ]?harming\s+again\b"),
        ("cutting", r"\bcutting\s+(?:herself|himself|themselves|again|most nights|every night)\b"),
        (
            "kill end overdose",
            r"\b(?:wants?|wanting|going|plans?|planning|trying|threatening)\s+to\s+(?:kill\s+(?:herself|himself|themselves"
            r"|myself)|end\s+(?:it all|her life|his life|their life|my life)|take an overdose)\b",
        ),
        ("suicidal", rf"(?:{BE}|\bfeels?)\s+(?:feeling\s+)?suicidal\b"),
        (
            # A child asking whether you will tell, or that you won't: "asked if I'd 'tell his dad what he said'".
            "asked asks asking begged begs pleaded promise",
            r"\b(?:asked|asks|asking|begged|begs|pleaded|made me promise|wanted me to promise)(?: me)?(?: if| whether)?"
            r" (?:i'?d|i would|i'?ll|i will|we'?d|we would|not to|to not)? ?['\"‘“]?(?:not )?(?:tell|telling"
            r"|say anything to|mention (?:it |this )?to) (?:his|her|their|the )?(?:mum|mam|mummy|dad|daddy|stepdad"
            r"|step-dad|stepmum|nan|gran|parents?|carers?|foster carers?|boyfriend|girlfriend|uncle|auntie|anyone"
            r"|anybody|the police|social services|social workers?)\b",
        ),
        (
            # Someone's written or spoken words about dying, quoted: a note "saying 'I want to die'", a post.
            "saying said says wrote writes written posted texted messaged searched googled note letter message",
            r"\b(?:saying|said|says|wrote|writes|written|posted|posts|texted|messaged|searched(?: for)?|googled|note"
            r"|letter|message)\b[^.!?\n]{0,40}?['\"‘“][^\"“”\n]{0,80}?\b(?:wants? to die|wanted to die"
            r"|kill (?:myself|me)|end it(?: all)?|better off dead|(?:don'?t|do not) want to (?:be here|live|be alive"
            r"|wake up)|wish (?:i|i'd) (?:was|were|had) (?:dead|died|never been born)"
            r"|nobody would (?:even )?(?:notice|miss me|care))\b",
        ),
        (
            # Suicidal intent said without the word: "dont think ill be around much longer", "better off without me".
            "around here better point",
            r"\b(?:won'?t|will not|not going to|(?:do ?n'?t|do not) think (?:i'?ll|ill|i will|i'm going to)|might not)"
            r" be (?:around|here)(?: (?:much|for) (?:longer|long)| any ?more| after tonight)\b"
            r"(?! (?:in|at|on) (?:this|the|my) (?:job|team|role|service|post|office|course))"
            r"|\bbetter off without me\b|\bno point (?:in )?(?:being here|living|going on|carrying on)\b",
        ),
        (
            "still",
            rf"\bstill\s+(?:living|staying|sleeping|stays|lives)\s+(?:with|at)\s+(?:him\b|them\b|(?:the|her|his|their|a|an"
            rf"|that)\s+(?:\w+\s+){{0,2}}?{_AT_RISK_PERSON}\b)",
        ),
        ("still", r"\bstill\s+(?:in|at)\s+the\s+(?:house|home|flat|property)\b"),
        ("still", r"\bstill\s+(?:letting|allowing)\b|\bstill\s+leaving\s+(?:them|him|her|the)\b"),
        (
            "still",
            r"\bstill\s+(?:using|taking|injecting)\s+(?:drugs|heroin|cocaine|crack|cannabis|spice)\b|\bstill\s+drinking\b",
        ),
        ("still", r"\bstill\s+(?:coming|comes)\s+(?:round|over|to\s+the\s+(?:house|flat))\b"),
        ("still", r"\bstill\s+sending\s+(?:her|him|them)\s+(?:messages|texts|pictures|photos)\b"),
        ("seen", r"\b(?:hasn't|has not|haven't|have not|not)\s+been\s+seen\s+(?:since|for)\b"),
        ("seen", r"\b(?:nobody|no one|no-one)\s+(?:has|have)\s+seen\b"),
        (
            "missing come",
            rf"{BE}\s+(?:still\s+)?missing\b|\b(?:has|have)\s+gone\s+missing\b|\b(?:hasn't|has not)\s+come\s+home\b",
        ),
        (
            "going",
            rf"{_NOT_ME}\bgoing\s+back\s+(?:there|to\s+(?:him|them|that\s+(?:house|flat|man|address)"
            r"|the\s+(?:house|flat|address)))\b",
        ),
        ("home", r"\b(?:scared|frightened|afraid|terrified)\s+(?:to\s+go\s+home|of\s+going\s+home)\b"),
        ("home", r"\b(?:can't|cannot|won't|doesn't want to|does not want to|refus\w+ to)\s+go\s+home\b"),
        ("going", rf"{BE}\s+still\s+going\s+(?:back\s+)?(?:there|to\s+(?:that|the)\s+(?:house|flat|address|place))\b"),
        ("going", rf"{BE}\s+going\s+(?:back\s+)?there\s+(?:every|again|tonight)\b"),
        (
            "risk danger",
            rf"{_SUBJECT}\s+(?:now\s+|still\s+|currently\s+)?(?:at|in)\s+(?:immediate\s+|significant\s+|serious\s+|real\s+)?"
            r"(?:risk|danger)\b(?!\s+of\s+(?:exclusion|being excluded|eviction|drift))",
        ),
        (
            "adult older grown",
            r"\b(?:sleeping|staying|stays|sleeps)\s+(?:over\s+)?(?:at|with)\s+(?:an?\s+)?(?:adult|older|grown)\b",
        ),
        ("into owe", r"\bgetting\s+into\s+(?:cars|a car|strangers'? cars)\b|\bowes?\s+(?:them|him|money|a debt)\b"),
        (
            "carrying running selling dealing holding",
            rf"{BE}\s+(?:still\s+)?(?:carrying|running|selling|dealing|holding)\s+(?:drugs|for)\b",
        ),
        ("threatened", r"\b(?:has|have|'s|'ve)\s+(?:just\s+)?threatened\s+to\b"),
        (
            "kill hurt harm stab hit beat burn",
            r"\b(?:going to|gonna|will|'ll)\s+(?:kill|hurt|harm|stab|hit|beat|burn)\s+(?:him|her|them|me|someone"
            r"|somebody|anyone|the\s+(?:kids|children|baby|child|boy|girl|house)|his|their|himself|herself|themselves)\b",
        ),
        (
            "take",
            r"\b(?:going to|gonna|will|'ll)\s+take\s+(?:them|the\s+(?:kids|children|baby|child))\b"
            r"(?=[^.!?\n]*\b(?:abroad|away|tonight|out of the country|coming back|whatever))",
        ),
        ("coming", r"\bcoming\s+to\s+(?:get|take)\s+(?:them|her|him|the\s+(?:kids|children|baby))\b"),
        (
            "bruis burn mark injur fractur cut bite eye swelling welt",
            r"\b(?:has|have|'s got|has got|'ve got)\s+(?:(?:a|an|some|fresh|new|unexplained|more|another)\s+)*"
            r"(?:bruis\w*|burns?|marks?|injur\w*|fractur\w*|cuts?|bite marks?|black eye|swelling|welts?)\b",
        ),
        ("disclosed", r"\b(?:has|have)\s+(?:just\s+)?disclosed\b"),
        (
            "messag texting sending contacting",
            rf"(?:{BE}|\bkeeps?)\s+(?:still\s+)?(?:messaging|texting|sending\s+(?:\w+\s+){{0,2}}messages?\s+to|contacting)"
            rf"\s+(?:(?:a|an|the|her|his|one of (?:the|our|my))\s+)?(?:\w+\s+){{0,3}}?{_CHILD}\b",
        ),
        ("without", rf"{BE}\s+(?:still\s+)?(?:going|gone)\s+without\s+(?:food|meals|eating|heating)\b"),
        ("now", r"\b(?:outside|at)\s+(?:the\s+)?(?:school\s+)?(?:gates?|door|house|home|flat)\s+(?:right\s+)?now\b"),
        ("makes", r"\bmakes\s+(?:him|her|them)\s+(?:stand|sit|kneel|stay|sleep|eat)\b"),
        (
            "gives buys sends",
            r"\b(?:gives|buys|sends)\s+(?:her|him|them)\s+"
            r"(?:presents|gifts|money|a phone|phones|alcohol|vapes|drugs)\b",
        ),
        (
            "floppy unresponsive breathing won't",
            rf"{BE}\s+(?:floppy|unresponsive|not breathing)\b|\bwon't\s+take\s+(?:him|her|them)\s+to\s+(?:the\s+)?"
            r"(?:gp|doctor|hospital)\b",
        ),
        ("eaten", r"\b(?:hasn't|has not|haven't|have not)\s+eaten\b"),
        (
            "photos pictures videos images",
            r"\b(?:taking|takes)\s+(?:photos|pictures|videos|images)\s+of\s+(?:the\s+)?(?:children|kids|girls|boys|her|him"
            r"|them|pupils)\b",
        ),
        ("alone", rf"{BE}\s+alone\s+with\b"),
    )
)

RECENT = re.compile(
    r"\b(?:today|this morning|this afternoon|this evening|tonight|yesterday|last night|just now|earlier today"
    r"|right now)\b|\bi(?:'ve| have) just\b"
)
RECENT_KEYWORDS = ("today", "this ", "tonight", "yesterday", "last night", "just", "right now")
RECENT_HARM = re.compile(
    r"\b(?:hit|hits|hitting|hurt|hurting|beat|beaten|abuse|abused|abusing|assault\w*|bruis\w*|burn|burns|burnt"
    r"|burned|injur\w*|fractur\w*|drunk|aggressive|violent|threat\w*|kill|knife|weapon|stab\w*|disclos\w*|raped?"
    r"|sexual\w*|overdose|self[- ]?harm\w*|suicid\w*|grabbed|strangl\w*|chok\w*|punch\w*|kick\w*|slap\w*"
    r"|unexplained|shook|shaken|pushed|missing|black eye|marks|cuts?|convictions?|violence|offender)\b"
)
FUTURE_MOVE_KEYS = ("discharged", "return", "sent back", "moving back", "go home", "going home")
FUTURE_WHEN_KEYS = ("tomorrow", "tonight", "weekend", "next week", "today", "later")
FUTURE_RISK_KEYS = ("despite", "address", "injur", "threat", "violent", "unsafe", "abus")
UNDERAGE_KEYS = ("1", "twelve", "thirteen", "fourteen", "fifteen")
PREGNANT_KEYS = ("pregnant",)
AGE_GAP_KEYS = ("year-old", "boyfriend", "girlfriend")
WORRIED_KEYS = ("worried", "concerned", "frightened", "scared", "anxious")
FUTURE_MOVE = re.compile(r"\b(?:discharged|returned|returning|sent back|moving back|going home|go home)\b")
FUTURE_WHEN = re.compile(r"\b(?:tomorrow|tonight|this weekend|next week|today|later)\b")
FUTURE_RISK = re.compile(r"\b(?:despite|same address|where the injur\w*|threat\w*|violent|unsafe|abus\w*)\b")

HARM = re.compile(
    r"\b(?:hit|hits|hitting|hurts?|hurting|harming|harmed|abused|abuses|abusing|assault(?:s|ed|ing)|beat(?:s|ing|en)?"
    r"|punch(?:es|ed|ing)|kick(?:s|ed|ing)|slap(?:s|ped|ping)|strangl\w+|chok(?:es|ed|ing)|bruis(?:e|es|ed|ing)"
    r"|burns?|burnt|burned|fractur(?:e|es|ed)|injur(?:y|ies|ed)|groom(?:ed|ing)|exploit(?:ed|ing)|traffick(?:ed|ing)"
    r"|rap(?:e|ed|ing)|sexually|threaten(?:s|ed|ing)|threats?|kill|stab(?:s|bed|bing)?|knife|knives|weapons?|overdose"
    r"|self[- ]?harm(?:s|ed|ing)?|suicid(?:e|al)|neglected|neglecting|starv(?:ed|ing)|no food|without food"
    r"|(?:hasn't|has not|haven't|not) eaten|no electricity|no heating|left alone|home alone|looking after themselves"
    r"|drunk|drinking|drugs|heroin|cocaine|crack|spice|(?:is|are|gone|went|been reported) missing"
    r"|missing (?:again|from home|from care)|run(?:ning)? away|controll(?:ed|ing)|coercive|violent|frightened"
    r"|terrified|unsafe|bullied|bullying|shouting at|screaming|grabb(?:ed|ing)|shov(?:ed|ing)|flinch\w*"
    r"|into (?:her|his|their) (?:room|bed)|in (?:her|his|their) bed|alone with|met online|secrets?"
    r"|meet(?:ing)? (?:up with )?(?:a|an) (?:older |adult |grown )?(?:man|men|stranger)|older (?:man|men|boys|lads)"
    r"|adult (?:man|men)|people we don't know|address we don't know|non-molestation|restraining order|court order"
    r"|bail conditions|injunction|(?:an )?answer at the door|(?:hasn't|has not|haven't|not) been (?:to|in) school"
    r"|sell(?:ing)? drugs|county lines|naked|(?:pictures|photos|images|videos) of (?:her|him|them|the children)"
    r"|turning up|turns up|found out where|mattress on the floor|dog mess|faeces|filthy|squalor|soiled|no nappies"
    r"|(?:presents|gifts) from|gives (?:her|him|them) (?:presents|gifts|money)|long sleeves|black eye|dangerous"
    r"|going missing|new clothes and money|sending (?:pictures|photos|images|nudes)|(?:someone|a man|a boy) (?:she|he)"
    r" met|in a tent|below freezing|sleeping rough|homeless|trying to get in|banging on the door|outside the (?:house"
    r"|flat)|(?:hasn't|has not|isn't|not) (?:gained|gaining|putting on) weight|losing weight|faltering growth"
    r"|convictions? for|sex offender"
    r"|(?:taking|takes|meeting|meets|seeing|sees|driving|drives)\s+(?:\w+\s+){0,4}?"
    r"(?:child|girl|boy|pupil|young person|\d+-year-old)s?\b(?:\s+\w+){0,6}?\s+alone)\b"
)
NOW = re.compile(
    r"\b(?:still|again|keeps?\s+\w+ing|right now|tonight|today|this (?:morning|afternoon|evening|weekend|week)"
    r"|yesterday|last night|has just|have just|just told|at the moment|currently|every (?:night|day|weekend)"
    r"|most (?:nights|days|weekends)|always|for hours|tomorrow|hasn't|haven't|has not been|going to|gonna"
    r"|ha(?:s|ve) (?:started|begun))\b"
    rf"|(?:{BE}|\bhas been|\bhave been)\s+(?:still\s+|now\s+|currently\s+)?(?:\w+ly\s+)?"
    r"(?!(?:no|some|any|every)?thing\b|morning\b|evening\b|during\b)\w+ing\b"
    rf"|{BE}\s+(?:back|with|alone)\b"
    rf"|{BE}\s+(?:so\s+|very\s+|really\s+|too\s+)?(?:frightened|scared|afraid|terrified|unsafe|dangerous|hungry|cold"
    r"|homeless)\b"
    r"|\b(?:he|she|they|dad|mum|stepdad|stepbrother|brother|uncle|partner|boyfriend|man)\s+(?:\w+\s+)?(?:comes|goes"
    r"|gets|takes|makes|gives|sends|visits|stays|sleeps|touches|watches|follows|waits)\b"
)
# Systemic statements about many families, not about a particular child.
GENERAL_SUBJECT = re.compile(
    r"^\W*(?:and\s+|but\s+)?(?:parents|families|children|teenagers|young people|babies|kids|many|lots of|a lot of|some"
    r"|most|more)\b|\bwe(?:'re| are)\s+(?:still\s+|now\s+|also\s+)?(?:seeing|getting|receiving|noticing|hearing"
    r"|finding)\b"
)
PREGNANT = re.compile(r"(?:\bis|'s)\s+pregnant\b")
UNDERAGE = re.compile(r"\b(?:1[0-5]|twelve|thirteen|fourteen|fifteen)\b(?!\s+weeks)")
_SAME_SENTENCE = r"[^.!?\n]*"
AGE_GAP = re.compile(
    rf"\b(?:1[0-5])-year-old\b{_SAME_SENTENCE}\b(?:boyfriend|girlfriend|man|men)\b"
    rf"|\b(?:boyfriend|girlfriend)\b{_SAME_SENTENCE}\b(?:1[89]|[2-9]\d)\b"
    rf"|\b(?:1[89]|[2-9]\d)-year-old\b{_SAME_SENTENCE}\b(?:boyfriend|girlfriend)\b"
)
WORRIED_ABOUT_CHILD = re.compile(
    r"\bi(?:'m| am| feel| remain)\s+(?:really\s+|very\s+|so\s+|quite\s+|genuinely\s+|extremely\s+)?"
    r"(?:worried|concerned|frightened|scared|anxious)\s+(?:about|for|that|because)\s+"
    r"(?:(?:a|the|this|one|my|our|her|his)\s+(?:\w+\s+){0,3}?(?:child|girl|boy|baby|young person|pupil|kid|teenager"
    r"|toddler|lad|\d+-year-old)\b|(?:he|she|him|her)\b)"
)

# Every (keywords, pattern) pair used with a keyword pre-check; a test checks each match contains a keyword.
KEYED_PATTERNS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    *TRIGGERS,
    (RECENT_KEYWORDS, RECENT),
    (FUTURE_MOVE_KEYS, FUTURE_MOVE),
    (FUTURE_WHEN_KEYS, FUTURE_WHEN),
    (FUTURE_RISK_KEYS, FUTURE_RISK),
    (UNDERAGE_KEYS, UNDERAGE),
    (PREGNANT_KEYS, PREGNANT),
    (AGE_GAP_KEYS, AGE_GAP),
    (WORRIED_KEYS, WORRIED_ABOUT_CHILD),
)
