"""Ports for what people say: reflections, check-in answers, safeguarding flags and acknowledgements.

Implementations take the author's participant id only to derive a keyed contributor hash; they never store it
(docs/anonymity.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from handlers.model import Participant, Programme


@dataclass(frozen=True)
class NewReflection:
    programme_id: int
    cycle: str
    cohort: str
    prompt_id: str | None
    text: str
    tags: tuple[str, ...]
    in_themes: bool


@dataclass(frozen=True)
class Stored:
    """What was kept, for the author's anonymity receipt."""

    first_this_cycle: bool


class ReflectionStore(Protocol):
    async def add(self, reflection: NewReflection, author_id: int, today: dt.date) -> Stored: ...

    async def replace_answers(
        self, programme_id: int, cycle: str, cohort: str, answers: dict[str, int | None], author_id: int, today: dt.date
    ) -> Stored:
        """Store one person's check-in answers for a cycle, replacing any they gave before in that cycle."""
        ...

    async def acknowledged(self, participant_id: int, statement_hash: str) -> bool: ...

    async def acknowledge(self, participant_id: int, statement_hash: str, today: dt.date) -> None: ...


@dataclass(frozen=True)
class Flag:
    id: str
    programme_id: int
    participant_id: int | None
    raised_at: dt.datetime
    urgent: bool
    about_staff: bool
    choice: str
    status: str


class FlagStore(Protocol):
    async def raise_flag(
        self, programme_id: int, participant_id: int, at: dt.datetime, urgent: bool, about_staff: bool
    ) -> Flag: ...

    async def get(self, flag_id: str) -> Flag | None: ...

    async def set_choice(self, flag_id: str, choice: str) -> None: ...

    async def mark_notified(self, flag_id: str, at: dt.datetime) -> None: ...

    async def unanswered(self, programme_id: int, raised_before: dt.datetime) -> list[Flag]: ...


class SafeguardingNotifier(Protocol):
    async def notify_contact(self, programme: Programme, flag: Flag, author: Participant | None) -> None:
        """Tell the programme's safeguarding contact, through the outbox, only what the statement says is shared."""
        ...


@dataclass(frozen=True)
class AnonymityDeps:
    reflections: ReflectionStore
    flags: FlagStore
    notifier: SafeguardingNotifier
