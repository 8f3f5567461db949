"""A seeded generator of hostile input for the door: random and hostile text, huge numbers, our own buttons and
forms with changed or wrongly typed values, unknown ids, Home opened with hostile pages, tabs and ids. Deterministic
for a seed, so a failure can be replayed."""

from __future__ import annotations

import json
import os
import random
from typing import Any

from handlers.dispatch import BUTTON_HANDLERS, FORM_HANDLERS
from handlers.grammar import AFTERCARE_WORDS, COMMANDS, MAX_PAGE
from handlers.requests import HomeOpened

SEED = int(os.environ.get("AFTERCARE_FUZZ_SEED", "20261206"))
SCALE = float(os.environ.get("AFTERCARE_FUZZ_SCALE", "1"))  # the `fuzz_large` run multiplies the counts

FRAGMENTS = [
    "",
    " ",
    "A07",
    "a07",
    "A7",
    "A01",
    "Z99",
    "done",
    "on track",
    "on-track",
    "closed",
    "blocked",
    "superseded",
    "green",
    "amber",
    "red",
    "note",
    "evidence",
    "impact",
    "due",
    "owner",
    "page",
    "all",
    "mine",
    "team",
    "agency",
    "overdue",
    "99999999999999999999",
    "-1",
    "0",
    "00000000000000000000001",
    "1e309",
    "NaN",
    "inf",
    "²",
    "١٢٣",
    "9" * 400,
    "2026-02-30",
    "9999-12-31",
    "0000-00-00",
    "2026-13-01",
    "at",
    "10:00",
    "25:61",
    "99:99",
    "\x00",
    "\u202e",
    "\u200b",
    "\ufeff",
    "😀",
    "👩‍👩‍👧",
    "<@U0OWNER01>",
    "<!channel>",
    "&lt;&gt;&amp;",
    "<b>x</b>",
    "'; DROP TABLE actions;--",
    "%s%s%n",
    "{}",
    "[]",
    '"',
    '"unterminated',
    '"text"',
    "\\",
    "\n",
    "\r\n\t",
    "owner@council.example",
    "nobody@nowhere.example",
    "B1",
    "B99999999999999999999",
    "PR-1",
    "PR-999999",
    "all,role:lead",
    "team:T-ADO",
    "agency:KBC",
    "role:chief",
    "#learning",
    "forum:F1",
    "until",
    "2026-07-01",
    "on",
    "off",
    "privacy",
    "accept",
    "whoami",
    "help",
    "report",
    "assurance",
    "themes",
    "brief",
    "list",
    "status",
    "cancel",
    "Jayden Smith NHS 943 476 5919 KM1 2AB tonight",
    "x" * 3000,
]
WORDS = sorted({*COMMANDS, *AFTERCARE_WORDS, "nonsense", "ACTIONS", "Reflect"})
ACTION_IDS = [*sorted(BUTTON_HANDLERS), "no.such_button", "", "actions.set_status~3", "x" * 300, "home.page~1"]
FORM_IDS = [*sorted(FORM_HANDLERS), "gone", "", "reflect ", "x" * 300]
FIELD_KEYS = ["text", "tags", "themes", "read", "choice", "at_risk_now", "confirm", "IND-01", "IND-02", "", "x"]


class Hostile:
    def __init__(self, salt: int) -> None:
        self.rng = random.Random(SEED * 1000 + salt)
        self.fake: Any = None  # the fake platform, when a payload needs an address on it

    def count(self, base: int) -> int:
        return max(1, int(base * SCALE))

    def text(self) -> str:
        parts = self.rng.choices(FRAGMENTS, k=self.rng.randint(0, 5))
        if self.rng.random() < 0.15:
            parts.append("".join(chr(self.rng.randint(1, 0x2FFF)) for _ in range(self.rng.randint(1, 40))))
        return " ".join(parts)

    def line(self) -> tuple[str, str]:
        """(command word, the rest)."""
        return self.rng.choice(WORDS), self.text()

    def value(self) -> Any:
        """A value of any JSON type, as a tampered payload may carry."""
        return self.rng.choice(
            [self.text(), self.rng.randint(-(2**70), 2**70), None, True, [self.text()], {"a": self.text()}, 1.5e308]
        )

    def action(self) -> tuple[str, str]:
        return self.rng.choice(ACTION_IDS), str(self.rng.choice([self.text(), "A07:on_track", "A07:closed", "B1"]))

    def form(self) -> tuple[str, str, dict[str, str]]:
        state = self.rng.choice(["", "{}", "[]", "null", "{", json.dumps({"prompt": "PR-1", "text": self.text()}),
                                 json.dumps({"cycle": self.text(), "flag": self.text()}), self.text()])  # fmt: skip
        keys = self.rng.sample(FIELD_KEYS, k=self.rng.randint(0, 5))
        return self.rng.choice(FORM_IDS), state, {key: self.text() for key in keys}

    def page(self) -> Any:
        """A page of Home as a button or a payload may carry it: in range, past the end, huge, or not a number."""
        return self.rng.choice([1, 2, 3, MAX_PAGE, 0, -1, 2**70, "2", "99999999999999999999", self.text(), None])

    def home_opened(self) -> HomeOpened:
        """Home as an adapter builds it: pages within what HomeOpened accepts, a notice of hostile text."""
        return HomeOpened(page=self.rng.choice([1, 2, 3, MAX_PAGE]), notice=self.text()[:3000])

    def choice(self, options: list[Any]) -> Any:
        return self.rng.choice(options)
