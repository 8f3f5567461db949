"""Social media handles and usernames, for the reflection screen ("lil_dreww_07", "@tinyman_22", "his snap is kxo7").

A handle is identifying on its own: anyone can look it up. Three rules:

1. ``@`` and a name, not part of an e-mail address and not a chat's own mention ("@here", "@channel").
2. A word joined by an underscore ("lil_dreww_07", "j_smith"): ordinary writing has none.
3. After a platform or account word ("snap", "insta", "tiktok", "username", "gamertag", "account"…) and optionally
   "is", "called", "as" or a colon: a word with a digit or a dot in it ("kaydenxo7", "k.x.o"), a quoted word, or an
   unusual word that is not an ordinary one ("his insta is kaydenxo" but not "his insta is private").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from handlers.screen_words import FUNCTION_WORDS, GENERIC

AT_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
UNDERSCORED = re.compile(r"(?<![\w@.])[A-Za-z0-9][A-Za-z0-9.]*_[A-Za-z0-9_.]*[A-Za-z0-9](?![\w@])")
_PLATFORM = (
    r"snap(?:chat)?|insta(?:gram)?|tik\s?tok|twitter|facebook|fb|discord|telegram|kik|whatsapp|xbox|psn|playstation"
    r"|roblox|fortnite|twitch|youtube|yubo|wizz|threads|reddit|steam|gamer\s?tag|user\s?name|handle|alias|account"
    r"|profile"
)
CUED = re.compile(
    rf"\b(?:{_PLATFORM})(?:\s+(?P<noun>account|name|handle|username|id|profile|page|tag))?"
    r"(?P<link>\s+(?:is|was|called|named|as|under|=)\b|\s*[:=\-–,])?\s*(?P<quote>['\"‘“])?"
    r"(?P<handle>[A-Za-z0-9][A-Za-z0-9_.]{1,29}[A-Za-z0-9_])(?P<close>['\"’”])?",
    re.IGNORECASE,
)
# A group chat, server or page named in quotes: "a snapchat group called 'year8 leaks'", "group chat ('BRM ykwim')".
QUOTED_GROUP = re.compile(
    r"\b(?:group(?:\s+chat)?|chat|server|channel|page)\s+(?:called\s+|named\s+)?\(?['\"‘“](?P<handle>[^'\"’”\n]{2,40})"
    r"['\"’”]",
    re.IGNORECASE,
)
# Mixed case inside a word that no name or brand has: "xXshadowfoxXx", "kAyLa" (not "iPhone", "eBay", "McDonald").
MIXED_CASE = re.compile(r"(?<![\w@.])(?![ie][A-Z])[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*(?![\w@])")
# Cheap first looks before the patterns above run (most texts name no platform).
_CUE_KEYS = tuple(
    """snap insta tik twitter facebook fb discord telegram kik whatsapp xbox psn playstation roblox fortnite twitch
    youtube yubo wizz threads reddit steam gamer user handle alias account profile""".split()  # noqa: SIM905
)
_GROUP_KEYS = ("group", "chat", "server", "channel", "page")
_LOWER_THEN_UPPER = re.compile(r"[a-z][A-Z]")
_NOT_HANDLES = frozenset(
    """private public blocked deleted new old fake open closed locked down gone active hacked shared linked
    reported banned suspended off on up there here now still again too set just got""".split()  # noqa: SIM905
)
_NAMING = frozenset({"called", "named", "as", "under", ":", "="})
_SELF_MENTIONS = frozenset({"@here", "@channel", "@everyone"})


def find_handle_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every handle in ``text``."""
    if "@" in text:
        for m in AT_HANDLE.finditer(text):
            if m.group().lower() not in _SELF_MENTIONS:
                yield m.start(), m.end()
    if "_" in text:
        for m in UNDERSCORED.finditer(text):
            if any(c.isalpha() for c in m.group()):
                yield m.start(), m.end()
    lower = text.lower()
    if any(key in lower for key in _CUE_KEYS):
        for m in CUED.finditer(text):
            if _is_handle(m):
                yield m.start("handle"), m.end("handle")
    if any(key in lower for key in _GROUP_KEYS):
        for m in QUOTED_GROUP.finditer(text):
            yield m.start("handle"), m.end("handle")
    if _LOWER_THEN_UPPER.search(text):
        for m in MIXED_CASE.finditer(text):
            yield m.start(), m.end()


def _is_handle(m: re.Match[str]) -> bool:
    handle = m.group("handle").rstrip(".")
    lower = handle.lower()
    if lower in FUNCTION_WORDS or lower in _NOT_HANDLES or not any(c.isalpha() for c in handle):
        return False
    if any(c.isdigit() for c in handle) or "." in handle or "_" in handle:
        return not re.fullmatch(r"\d+(?:am|pm|s)?|\d+(?:st|nd|rd|th)", lower)  # "at 7pm", "the 3rd"
    if m.group("quote") and m.group("close"):
        return True
    link = (m.group("link") or "").strip().lower()
    named = link in _NAMING or m.group("noun") is not None  # "on snap as kxo", "snap name is kxo"; not "snap was"
    return named and lower not in GENERIC and handle == lower and len(handle) > 3 and not lower.endswith("ly")
