"""Ports: what the domain needs from the outside world, as Protocols. storage/ and bot/ implement them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from handlers.anonymity_ports import AnonymityDeps
from handlers.delivery_ports import BroadcastRecord, BroadcastRepository, Directory, Outbox
from handlers.library import Library
from handlers.model import (
    Action,
    ActionUpdate,
    Agency,
    AuditEvent,
    Participant,
    Programme,
    Recommendation,
    Role,
    Status,
    Team,
)
from handlers.reply import Reply
from handlers.windows import HolidayCalendar


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class ProgrammeRepository(Protocol):
    async def get(self, programme_id: int) -> Programme: ...

    async def by_code(self, code: str) -> Programme | None: ...

    async def all(self) -> list[Programme]: ...

    async def workspaces(self, platform: str) -> dict[int, set[str]]:
        """Programme id → the Slack workspaces or Teams tenants it reaches (``slack_workspaces``, ``teams_tenants``
        and the accounts named in its file); a programme reaching none on that platform is absent."""
        ...

    async def agencies(self, programme_id: int) -> list[Agency]: ...

    async def teams(self, programme_id: int) -> list[Team]: ...

    async def agency(self, programme_id: int, code: str) -> Agency | None: ...

    async def team(self, programme_id: int, code: str) -> Team | None: ...

    async def recommendations(self, programme_id: int) -> list[Recommendation]: ...

    async def recommendation(self, programme_id: int, code: str) -> Recommendation | None: ...

    async def schedule_documents(self, programme_id: int) -> list[dict[str, Any]]:
        """The ``schedules`` of the programme's stored file, as changed from chat since ([] when it has none)."""
        ...

    async def save_schedule_documents(self, programme_id: int, documents: list[dict[str, Any]]) -> None: ...

    async def move_checkin(self, programme_id: int, code: str, day: dt.date) -> None: ...


class ParticipantRepository(Protocol):
    async def by_email(self, programme_id: int, email: str) -> Participant | None: ...

    async def by_email_anywhere(self, email: str) -> list[Participant]:
        """Every programme: for the operator's console and CLI only, never for a chat account."""
        ...

    async def by_email_within(self, email: str, programme_ids: Collection[int]) -> list[Participant]: ...

    async def by_platform(self, platform: str, workspace: str, user_id: str) -> list[Participant]: ...

    async def in_programme(
        self, programme_id: int, *, agency: str | None = None, team: str | None = None
    ) -> list[Participant]: ...

    async def add_identity(self, participant_id: int, platform: str, workspace: str, user_id: str) -> None:
        """Remember a platform account found by email, so the next lookup is direct."""
        ...

    async def unlinked(self, programme_id: int, platform: str) -> dict[int, str]:
        """Participant id → e-mail for the people of a programme with no account on this platform yet."""
        ...

    async def agency_sizes(self, programme_id: int) -> dict[str, int]: ...

    async def agencies_and_roles(self, programme_id: int) -> list[tuple[str, frozenset[Role]]]:
        """Each person's agency and roles, and nothing else: the roster as a reflection's cohort rules need it."""
        ...

    async def names(self, programme_id: int) -> list[str]: ...

    async def set_away(self, participant_id: int, until: dt.date | None) -> None: ...

    async def set_peers(self, participant_id: int, opt_in: bool) -> None: ...


@dataclass(frozen=True)
class ActionFilter:
    owner_emails: Sequence[str] | None = None
    agency: str | None = None
    statuses: Sequence[Status] | None = None
    due_before: dt.date | None = None


@dataclass(frozen=True)
class ActionInContext:
    """One action with what its card and its permission checks read alongside it."""

    action: Action
    owner: Participant | None  # the participant with the action's owner email, if there is one
    recommendation: Recommendation | None
    dependencies: list[Action]  # the actions its ``depends_on`` names that exist, by code
    dependents: list[str]  # the codes of the actions that depend on it, sorted


class ActionRepository(Protocol):
    async def codes(self, programme_id: int) -> list[str]: ...

    async def get(self, programme_id: int, code: str) -> Action | None: ...

    async def in_context(self, programme_id: int, code: str) -> ActionInContext | None:
        """The action (code in any case) with its owner, recommendation, dependencies and dependents: what ``get``,
        ``participants.by_email``, ``programmes.recommendation``, ``many`` and ``dependents`` would return."""
        ...

    async def many(self, programme_id: int, codes: Sequence[str]) -> list[Action]: ...

    async def find(
        self, programme_id: int, where: ActionFilter, *, limit: int | None = None, offset: int = 0
    ) -> list[Action]: ...

    async def count(self, programme_id: int, where: ActionFilter) -> int: ...

    async def page(
        self, programme_id: int, where: ActionFilter, *, limit: int, offset: int = 0
    ) -> tuple[list[Action], int]:
        """One page of what ``find`` would return, and how many there are in all."""
        ...

    async def dependents(self, programme_id: int, code: str) -> list[str]: ...

    async def save(self, action: Action) -> None: ...

    async def change(self, action: Action, update: ActionUpdate, event: AuditEvent) -> None:
        """Save a change made in chat, its history entry and its audit event, together."""
        ...

    async def add_update(self, programme_id: int, update: ActionUpdate, action_id: int | None = None) -> None: ...

    async def history(self, programme_id: int, code: str, limit: int = 10) -> list[ActionUpdate]: ...


class AuditLog(Protocol):
    async def record(self, programme_id: int, event: AuditEvent) -> None: ...

    async def recent(self, programme_id: int, limit: int = 50) -> list[AuditEvent]:
        """The latest events first."""
        ...


class ReportPoster(Protocol):
    async def post(self, programme: Programme, kind: str, actor: Participant) -> Reply:
        """Build the report, write its files, queue them for the conversation; the reply says what was posted."""
        ...


class PlanPoster(Protocol):
    async def post_plan(self, programme: Programme, actor: Participant) -> Reply:
        """Write the plan as .xlsx and queue it for the person's conversation; the reply says so."""
        ...


class HomeReads(Protocol):
    """What Home (handlers/home.py) reads beyond the other ports."""

    async def recent_prompts(self, participant_id: int, since: dt.date) -> list[str]:
        """Prompt ids sent to this person since a day, newest first."""
        ...

    async def delivery_counts(self, programme_id: int, since: dt.datetime) -> dict[str, int]:
        """Outbox rows of a programme created since a moment, by status."""
        ...

    async def recent_broadcasts(self, programme_id: int, limit: int) -> list[BroadcastRecord]: ...


@dataclass(frozen=True)
class Deps:
    """Everything a handler may use, passed explicitly (STYLE.md §5): one flat bag, built for each transaction by
    the composition root (bot/compose.py), so no handler ever asks what it was given."""

    programmes: ProgrammeRepository
    participants: ParticipantRepository
    actions: ActionRepository
    audit: AuditLog
    clock: Clock
    library: Library
    anonymity: AnonymityDeps
    outbox: Outbox
    broadcasts: BroadcastRepository
    directory: Directory
    reports: ReportPoster
    plans: PlanPoster
    home: HomeReads
    calendar: HolidayCalendar | None = None  # bank holidays, for a broadcast preview's first delivery time
