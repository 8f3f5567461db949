"""Context that shows a capitalised word is a person's name, even when the word is ordinary ("Summer", "Dawn").

Used by ``handlers.screen_names`` for capitalised words that are not function words, titles, places or brands,
wherever they stand in the sentence. A word is a name when it is followed by:

- a possessive and a family or care word: "Summer's mum", "Kiyan's nan", "Rose's foster carer";
- an age or a role in brackets or after a comma: "Rose (4)", "Dawn (mum)", "Ellie, 15,", "Jack, aged 9", "Faith (yr 3)";
- a school year: "Summer in Year 6", "Grace in yr 9";
- a role in apposition: "Dawn, my supervisor", "Holly, her sister";
- "and her/his/their" and a family word: "with Rose and her brother";
- a telling verb and its object: "River told his teacher", "Hope said that".
"""

from __future__ import annotations

import re

_FAMILY = (
    r"mum|mummy|mam|mother|dad|daddy|father|nan|nana|nanna|gran|granny|grandma|grandad|grandpa|grandmother"
    r"|grandfather|brother|sister|siblings?|twin|cousin|aunt|auntie|aunty|uncle|step-?dad|step-?mum|stepfather"
    r"|stepmother|carers?|foster(?: carers?| mum| dad| placement| home)?|boyfriend|girlfriend|partner|baby|son"
    r"|daughter|teacher|class|school|nursery|key ?worker|social worker|bedroom|room|house|home|bag|phone|family"
    r"|friends?|ex|husband|wife|health visitor|gp|worker|mentor|placement|contact|birthday|case|file|disclosure"
)
_ROLE = (
    r"(?:my|her|his|their|our|the|a)\s+(?:\w+\s+)?(?:supervisor|manager|colleague|mum|mother|dad|father|sister"
    r"|brother|nan|gran|aunt|auntie|uncle|cousin|carer|foster carer|partner|boyfriend|girlfriend|friend|neighbour"
    r"|teacher|social worker|health visitor|lodger|daughter|son|baby|twin|child|step-?dad|step-?mum|key worker)\b"
)
_AGE = r"\d{1,2}(?:\s*(?:yrs?|years?(?: old)?|months?|mths?|weeks?|y/?o|yo))?"
_BRACKET = (
    rf"\s*\(\s*(?:{_AGE}|aged?\s+\d{{1,2}}|(?:yr|year|y)\s*\d{{1,2}}|{_FAMILY}|child|young person|yp|cyp)"
    r"\s*[),]"
)
AFTER = re.compile(
    rf"(?:['’]s\s+(?:(?:\w+)\s+)?(?:{_FAMILY})\b"
    rf"|{_BRACKET}"
    rf"|\s*,\s*(?:aged\s+)?\d{{1,2}}\b(?!\s*(?:[:.]\d|am|pm|%|/|-))"
    rf"|\s+aged\s+\d{{1,2}}\b"
    r"|\s+(?:in|from)\s+(?:year|yr|y)\s*\d{1,2}\b"
    rf"|\s*,\s*{_ROLE}"
    r"|\s+(?:told|tells|said|says|disclosed|discloses|whispered|admitted|explained|refused|cried|screamed)"
    r"\s+(?:me|us|her|his|their|the|a|mum|dad|staff|that|she|he|they)\b"
    rf"|\s+and\s+(?:her|his|their)\s+(?:little\s+|big\s+|older\s+|younger\s+|baby\s+)?(?:{_FAMILY})\b)",
    re.IGNORECASE,
)


def named_by_context(text: str, start: int, end: int) -> bool:
    """True when the words just after text[start:end] show it is a person's name."""
    return AFTER.match(text, end, min(len(text), end + 60)) is not None
