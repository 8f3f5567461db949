"""In-memory implementations of the ports (handlers/ports.py, anonymity_ports.py, delivery_ports.py), so feature
behaviour is tested without a database (STYLE.md §8). They keep the storage contracts that handlers rely on:
emails compared in lower case, action codes in upper case, lists in code order, history newest first, a broadcast
found only within its programme, an acknowledgement counted once, and no author id kept with what people say (only
a contributor token, as storage keeps a keyed hash). tests/handlers/test_memory.py runs the storage
contract tests against them."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from handlers.anonymity_ports import AnonymityDeps, Flag, NewReflection, Stored
from handlers.delivery_ports import (
    BroadcastRecord,
    BroadcastState,
    DeliveryCounts,
    DeliveryStatus,
    NewBroadcast,
    OutboxMessage,
    RecipientStatus,
)
from handlers.errors import NotFound
from handlers.forums import Forum, forums_from
from handlers.library import Library
from handlers.model import (
    Account,
    Action,
    ActionUpdate,
    Agency,
    AuditEvent,
    Participant,
    Programme,
    Recommendation,
    Role,
    Team,
)
from handlers.ports import ActionFilter, ActionInContext, Deps
from handlers.reply import Reply


class FixedClock:
    def __init__(self, now: dt.datetime) -> None:
        self.at = now

    def now(self) -> dt.datetime:
        return self.at


@dataclass
class World:
    """Everything the memory ports hold, shared by them as one database would be."""

    programmes: dict[int, Programme] = field(default_factory=dict)
    documents: dict[int, dict[str, Any]] = field(default_factory=dict)
    agencies: dict[int, list[Agency]] = field(default_factory=dict)
    teams: dict[int, list[Team]] = field(default_factory=dict)
    recommendations: dict[int, list[Recommendation]] = field(default_factory=dict)
    workspaces: dict[str, dict[int, set[str]]] = field(default_factory=dict)
    people: dict[int, Participant] = field(default_factory=dict)
    actions: dict[tuple[int, str], Action] = field(default_factory=dict)
    updates: list[tuple[int, ActionUpdate]] = field(default_factory=list)
    audit: list[tuple[int, AuditEvent]] = field(default_factory=list)
    reflections: list[tuple[NewReflection, str]] = field(default_factory=list)  # (reflection, contributor token)
    answers: dict[tuple[int, str, str], tuple[str, dict[str, int | None]]] = field(default_factory=dict)
    statements_acknowledged: set[tuple[int, str]] = field(default_factory=set)
    flags: dict[str, Flag] = field(default_factory=dict)
    notified: list[tuple[Programme, Flag, Participant | None]] = field(default_factory=list)
    outbox: dict[str, tuple[OutboxMessage, DeliveryStatus]] = field(default_factory=dict)
    broadcasts: dict[int, BroadcastRecord] = field(default_factory=dict)
    acknowledgements: set[tuple[int, int]] = field(default_factory=set)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add_person(self, person: Participant) -> Participant:
        person = person.model_copy(update={"email": person.email.lower()})
        self.people[person.id] = person
        return person

    def add_action(self, action: Action) -> Action:
        action = action.model_copy(update={"code": action.code.upper(), "owner_email": action.owner_email.lower()})
        self.actions[(action.programme_id, action.code)] = action
        return action

    def mark_sent(self, *, broadcast_id: int) -> None:
        """What a dispatcher does once the platform accepted each message of the broadcast."""
        for key, (message, status) in list(self.outbox.items()):
            if message.broadcast_id == broadcast_id and status is DeliveryStatus.PENDING:
                self.outbox[key] = (message, DeliveryStatus.SENT)


class MemoryProgrammeRepository:
    def __init__(self, world: World) -> None:
        self.world = world

    async def get(self, programme_id: int) -> Programme:
        if programme_id not in self.world.programmes:
            raise NotFound("That programme no longer exists.")
        return self.world.programmes[programme_id]

    async def by_code(self, code: str) -> Programme | None:
        return next((p for p in self.world.programmes.values() if p.code == code), None)

    async def all(self) -> list[Programme]:
        return sorted(self.world.programmes.values(), key=lambda p: p.id)

    async def workspaces(self, platform: str) -> dict[int, set[str]]:
        return {pid: set(found) for pid, found in self.world.workspaces.get(platform, {}).items() if found}

    async def agencies(self, programme_id: int) -> list[Agency]:
        return sorted(self.world.agencies.get(programme_id, []), key=lambda a: a.code)

    async def teams(self, programme_id: int) -> list[Team]:
        return sorted(self.world.teams.get(programme_id, []), key=lambda t: t.code)

    async def agency(self, programme_id: int, code: str) -> Agency | None:
        return next((a for a in self.world.agencies.get(programme_id, []) if a.code == code), None)

    async def team(self, programme_id: int, code: str) -> Team | None:
        return next((t for t in self.world.teams.get(programme_id, []) if t.code == code), None)

    async def recommendations(self, programme_id: int) -> list[Recommendation]:
        return sorted(self.world.recommendations.get(programme_id, []), key=lambda r: r.code)

    async def recommendation(self, programme_id: int, code: str) -> Recommendation | None:
        return next((r for r in self.world.recommendations.get(programme_id, []) if r.code == code), None)

    async def schedule_documents(self, programme_id: int) -> list[dict[str, Any]]:
        await self.get(programme_id)
        found = self.world.documents.get(programme_id, {}).get("schedules") or []
        return [dict(s) for s in found if isinstance(s, dict)]

    async def save_schedule_documents(self, programme_id: int, documents: list[dict[str, Any]]) -> None:
        await self.get(programme_id)
        document = self.world.documents.get(programme_id, {})
        self.world.documents[programme_id] = {**document, "schedules": documents, "schedules_changed_in_chat": True}

    async def move_checkin(self, programme_id: int, code: str, day: dt.date) -> None:
        programme = await self.get(programme_id)
        moved = tuple(c.model_copy(update={"date": day}) if c.code == code else c for c in programme.checkins)
        self.world.programmes[programme_id] = programme.model_copy(update={"checkins": moved})


class MemoryParticipantRepository:
    def __init__(self, world: World) -> None:
        self.world = world

    def _where(self, *tests: Any) -> list[Participant]:
        found = [p for p in self.world.people.values() if all(test(p) for test in tests)]
        return sorted(found, key=lambda p: (p.programme_id, p.id))

    async def by_email(self, programme_id: int, email: str) -> Participant | None:
        found = self._where(lambda p: p.programme_id == programme_id, lambda p: p.email == email.lower())
        return found[0] if found else None

    async def by_email_anywhere(self, email: str) -> list[Participant]:
        return self._where(lambda p: p.email == email.lower())

    async def by_email_within(self, email: str, programme_ids: Collection[int]) -> list[Participant]:
        return self._where(lambda p: p.email == email.lower(), lambda p: p.programme_id in programme_ids)

    async def by_platform(self, platform: str, workspace: str, user_id: str) -> list[Participant]:
        return self._where(lambda p: (workspace, user_id) in _accounts(p, platform))

    async def in_programme(
        self, programme_id: int, *, agency: str | None = None, team: str | None = None
    ) -> list[Participant]:
        found = self._where(
            lambda p: p.programme_id == programme_id,
            lambda p: agency is None or p.agency == agency,
            lambda p: team is None or p.team == team,
        )
        return sorted(found, key=lambda p: p.email)

    async def add_identity(self, participant_id: int, platform: str, workspace: str, user_id: str) -> None:
        person = self.world.people[participant_id]
        if (workspace, user_id) in _accounts(person, platform):
            return
        account = Account(platform=platform, workspace=workspace, user_id=user_id)
        person = person.model_copy(update={"accounts": (*person.accounts, account)})
        self.world.people[participant_id] = person

    async def unlinked(self, programme_id: int, platform: str) -> dict[int, str]:
        people = self._where(lambda p: p.programme_id == programme_id and not p.on(platform))
        return {p.id: p.email for p in people}

    async def agency_sizes(self, programme_id: int) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for person in self._where(lambda p: p.programme_id == programme_id):
            sizes[person.agency] = sizes.get(person.agency, 0) + 1
        return sizes

    async def agencies_and_roles(self, programme_id: int) -> list[tuple[str, frozenset[Role]]]:
        return [(p.agency, p.roles) for p in self._where(lambda p: p.programme_id == programme_id)]

    async def names(self, programme_id: int) -> list[str]:
        return [p.name for p in self._where(lambda p: p.programme_id == programme_id)]

    async def set_away(self, participant_id: int, until: dt.date | None) -> None:
        self.world.people[participant_id] = self.world.people[participant_id].model_copy(update={"away_until": until})

    async def set_peers(self, participant_id: int, opt_in: bool) -> None:
        person = self.world.people[participant_id]
        self.world.people[participant_id] = person.model_copy(update={"peers_opt_in": opt_in})


def _accounts(person: Participant, platform: str) -> set[tuple[str, str]]:
    return {(a.workspace, a.user_id) for a in person.on(platform)}


class MemoryActionRepository:
    def __init__(self, world: World) -> None:
        self.world = world

    def _of(self, programme_id: int) -> list[Action]:
        return sorted((a for (pid, _), a in self.world.actions.items() if pid == programme_id), key=lambda a: a.code)

    async def codes(self, programme_id: int) -> list[str]:
        return [a.code for a in self._of(programme_id)]

    async def get(self, programme_id: int, code: str) -> Action | None:
        return self.world.actions.get((programme_id, code.upper()))

    async def in_context(self, programme_id: int, code: str) -> ActionInContext | None:
        action = await self.get(programme_id, code)
        if action is None:
            return None
        people = MemoryParticipantRepository(self.world)
        return ActionInContext(
            action=action,
            owner=await people.by_email(programme_id, action.owner_email),
            recommendation=await MemoryProgrammeRepository(self.world).recommendation(
                programme_id, action.recommendation
            ),
            dependencies=await self.many(programme_id, action.depends_on),
            dependents=await self.dependents(programme_id, action.code),
        )

    async def many(self, programme_id: int, codes: Sequence[str]) -> list[Action]:
        wanted = {c.upper() for c in codes}
        return [a for a in self._of(programme_id) if a.code in wanted]

    async def find(
        self, programme_id: int, where: ActionFilter, *, limit: int | None = None, offset: int = 0
    ) -> list[Action]:
        found = [a for a in self._of(programme_id) if _matches(a, where)]
        return found[offset : None if limit is None else offset + limit]

    async def count(self, programme_id: int, where: ActionFilter) -> int:
        return len(await self.find(programme_id, where))

    async def page(
        self, programme_id: int, where: ActionFilter, *, limit: int, offset: int = 0
    ) -> tuple[list[Action], int]:
        return await self.find(programme_id, where, limit=limit, offset=offset), await self.count(programme_id, where)

    async def dependents(self, programme_id: int, code: str) -> list[str]:
        return sorted(a.code for a in self._of(programme_id) if code.upper() in {c.upper() for c in a.depends_on})

    async def save(self, action: Action) -> None:
        if (action.programme_id, action.code) not in self.world.actions:
            raise NotFound(f"There is no action {action.code}.")
        self.world.add_action(action)

    async def change(self, action: Action, update: ActionUpdate, event: AuditEvent) -> None:
        await self.save(action)
        await self.add_update(action.programme_id, update, action.id)
        self.world.audit.append((action.programme_id, event))

    async def add_update(self, programme_id: int, update: ActionUpdate, action_id: int | None = None) -> None:
        if (programme_id, update.action_code.upper()) not in self.world.actions:
            raise NotFound(f"There is no action {update.action_code}.")
        self.world.updates.append((programme_id, update))

    async def history(self, programme_id: int, code: str, limit: int = 10) -> list[ActionUpdate]:
        mine = [(i, u) for i, (pid, u) in enumerate(self.world.updates) if pid == programme_id]
        mine = [(i, u) for i, u in mine if u.action_code.upper() == code.upper()]
        return [u for _, u in sorted(mine, key=lambda iu: (iu[1].at, iu[0]), reverse=True)][:limit]


def _matches(action: Action, where: ActionFilter) -> bool:
    return (
        (where.owner_emails is None or action.owner_email in {e.lower() for e in where.owner_emails})
        and (where.agency is None or action.agency == where.agency)
        and (where.statuses is None or action.status in where.statuses)
        and (where.due_before is None or (action.due is not None and action.due < where.due_before))
    )


class MemoryAuditLog:
    def __init__(self, world: World) -> None:
        self.world = world

    async def record(self, programme_id: int, event: AuditEvent) -> None:
        self.world.audit.append((programme_id, event))

    async def recent(self, programme_id: int, limit: int = 50) -> list[AuditEvent]:
        return [event for pid, event in reversed(self.world.audit) if pid == programme_id][:limit]


def contributor(programme_id: int, cycle: str, author_id: int) -> str:
    """A token standing for the author within one cycle; the author's id is not kept (storage uses a keyed hash)."""
    return hashlib.sha256(f"memory:{programme_id}:{cycle}:{author_id}".encode()).hexdigest()


class MemoryReflectionStore:
    def __init__(self, world: World) -> None:
        self.world = world

    async def add(self, reflection: NewReflection, author_id: int, today: dt.date) -> Stored:
        token = contributor(reflection.programme_id, reflection.cycle, author_id)
        first = all(
            t != token or (r.programme_id, r.cycle) != (reflection.programme_id, reflection.cycle)
            for r, t in self.world.reflections
        )
        self.world.reflections.append((reflection, token))
        return Stored(first_this_cycle=first)

    async def replace_answers(
        self, programme_id: int, cycle: str, cohort: str, answers: dict[str, int | None], author_id: int, today: dt.date
    ) -> Stored:
        key = (programme_id, cycle, contributor(programme_id, cycle, author_id))
        first = key not in self.world.answers
        self.world.answers[key] = (cohort, dict(answers))
        return Stored(first_this_cycle=first)

    async def acknowledged(self, participant_id: int, statement_hash: str) -> bool:
        return (participant_id, statement_hash) in self.world.statements_acknowledged

    async def acknowledge(self, participant_id: int, statement_hash: str, today: dt.date) -> None:
        self.world.statements_acknowledged.add((participant_id, statement_hash))


class MemoryFlagStore:
    def __init__(self, world: World) -> None:
        self.world = world

    async def raise_flag(
        self, programme_id: int, participant_id: int, at: dt.datetime, urgent: bool, about_staff: bool
    ) -> Flag:
        flag = Flag(id=f"flag-{next(self.world.ids)}", programme_id=programme_id, participant_id=participant_id,
                    raised_at=at, urgent=urgent, about_staff=about_staff, choice="", status="open")  # fmt: skip
        self.world.flags[flag.id] = flag
        return flag

    async def get(self, flag_id: str) -> Flag | None:
        return self.world.flags.get(flag_id)

    async def set_choice(self, flag_id: str, choice: str) -> None:
        self.world.flags[flag_id] = _replace(self.world.flags[flag_id], choice=choice)

    async def mark_notified(self, flag_id: str, at: dt.datetime) -> None:
        self.world.flags[flag_id] = _replace(self.world.flags[flag_id], status="notified")

    async def unanswered(self, programme_id: int, raised_before: dt.datetime) -> list[Flag]:
        return [
            f
            for f in self.world.flags.values()
            if f.programme_id == programme_id and not f.choice and f.raised_at < raised_before
        ]


def _replace(flag: Flag, **changes: Any) -> Flag:
    return Flag(**{**flag.__dict__, **changes})


class RecordingNotifier:
    def __init__(self, world: World) -> None:
        self.world = world

    async def notify_contact(self, programme: Programme, flag: Flag, author: Participant | None) -> None:
        self.world.notified.append((programme, flag, author))


class MemoryOutbox:
    def __init__(self, world: World) -> None:
        self.world = world

    async def enqueue(self, messages: Sequence[OutboxMessage]) -> list[str]:
        added = []
        for message in messages:
            if message.key not in self.world.outbox:
                self.world.outbox[message.key] = (message, DeliveryStatus.PENDING)
                added.append(message.key)
        return added

    def _of(self, broadcast_id: int | None, schedule_id: int | None) -> list[tuple[OutboxMessage, DeliveryStatus]]:
        return [
            (m, s)
            for m, s in self.world.outbox.values()
            if (broadcast_id is None or m.broadcast_id == broadcast_id)
            and (schedule_id is None or m.schedule_id == schedule_id)
        ]

    async def counts(self, *, broadcast_id: int | None = None, schedule_id: int | None = None) -> DeliveryCounts:
        found: dict[str, int] = {}
        for _, status in self._of(broadcast_id, schedule_id):
            found[status.value] = found.get(status.value, 0) + 1
        return DeliveryCounts(**found)

    async def recipients(
        self, *, broadcast_id: int, statuses: Sequence[DeliveryStatus] | None = None, limit: int = 50
    ) -> list[RecipientStatus]:
        found = [(m, s) for m, s in self._of(broadcast_id, None) if statuses is None or s in statuses]
        people = self.world.people
        return [
            RecipientStatus(
                participant_id=m.participant_id,
                name=people[m.participant_id].name if m.participant_id in people else m.address,
                platform=m.platform,
                status=s,
                attempts=0,
            )
            for m, s in found[:limit]
        ]

    async def cancel(self, broadcast_id: int, prompt_id: str = "") -> int:
        return self._move(broadcast_id, (DeliveryStatus.PENDING, DeliveryStatus.FAILED), DeliveryStatus.CANCELLED)

    async def revise(
        self, broadcast_id: int, reply: Any, not_before: dt.datetime, *, prompt_id: str = "", was_prompt_id: str = ""
    ) -> int:
        changed = 0
        for key, (message, status) in list(self.world.outbox.items()):
            if message.broadcast_id == broadcast_id and status is DeliveryStatus.PENDING:
                revised = message.model_copy(update={"reply": reply, "not_before": not_before})
                self.world.outbox[key] = (revised, status)
                changed += 1
        return changed

    def _move(self, broadcast_id: int, was: Collection[DeliveryStatus], now: DeliveryStatus) -> int:
        moved = 0
        for key, (message, status) in list(self.world.outbox.items()):
            if message.broadcast_id == broadcast_id and status in was:
                self.world.outbox[key] = (message, now)
                moved += 1
        return moved


class MemoryBroadcastRepository:
    def __init__(self, world: World) -> None:
        self.world = world

    async def add(self, broadcast: NewBroadcast) -> BroadcastRecord:
        record = BroadcastRecord(id=next(self.world.ids), **broadcast.model_dump())
        self.world.broadcasts[record.id] = record
        return record

    async def get(self, programme_id: int, broadcast_id: int) -> BroadcastRecord | None:
        record = self.world.broadcasts.get(broadcast_id)
        return record if record is not None and record.programme_id == programme_id else None

    async def recent(self, programme_id: int, limit: int = 10) -> list[BroadcastRecord]:
        mine = [r for r in self.world.broadcasts.values() if r.programme_id == programme_id]
        return sorted(mine, key=lambda r: r.id, reverse=True)[:limit]

    def _update(self, broadcast_id: int, **changes: Any) -> None:
        if broadcast_id in self.world.broadcasts:
            self.world.broadcasts[broadcast_id] = self.world.broadcasts[broadcast_id].model_copy(update=changes)

    async def set_state(self, broadcast_id: int, state: BroadcastState, *, recipients: int | None = None) -> None:
        self._update(broadcast_id, state=state, **({} if recipients is None else {"recipients": recipients}))

    async def claim(self, broadcast_id: int, was: BroadcastState, now: BroadcastState) -> bool:
        record = self.world.broadcasts.get(broadcast_id)
        if record is None or record.state is not was:
            return False
        self._update(broadcast_id, state=now)
        return True

    async def revise(self, broadcast_id: int, *, prompt_id: str, text: str, send_at: dt.datetime, recipients: int,
                     previewed_at: dt.datetime | None = None) -> None:  # fmt: skip
        created = {} if previewed_at is None else {"created_at": previewed_at}
        self._update(broadcast_id, prompt_id=prompt_id, text=text, send_at=send_at, recipients=recipients, **created)

    async def forums(self, programme_id: int) -> list[Forum]:
        entries = self.world.documents.get(programme_id, {}).get("forums") or []
        return forums_from(entries if isinstance(entries, list) else [])

    async def acknowledge(self, broadcast_id: int, participant_id: int, at: dt.datetime) -> bool:
        if (broadcast_id, participant_id) in self.world.acknowledgements:
            return False
        self.world.acknowledgements.add((broadcast_id, participant_id))
        return True

    async def sent_to(self, broadcast_id: int, participant_id: int) -> bool:
        return any(
            m.broadcast_id == broadcast_id
            and status is DeliveryStatus.SENT
            and m.participant_id in (participant_id, None)
            for m, status in self.world.outbox.values()
        )

    async def acknowledged(self, broadcast_id: int) -> int:
        return sum(1 for b, _ in self.world.acknowledgements if b == broadcast_id)


class MemoryDirectory:
    def __init__(self, world: World) -> None:
        self.world = world

    async def members(self, programme_id: int) -> list[Participant]:
        return await MemoryParticipantRepository(self.world).in_programme(programme_id)


class RecordingPoster:
    """Reports and plan downloads: what was asked for is recorded; building the files is bot/reports' business."""

    def __init__(self) -> None:
        self.posted: list[tuple[str, str]] = []  # (kind, the actor's email)

    async def post(self, programme: Programme, kind: str, actor: Participant) -> Reply:
        self.posted.append((kind, actor.email))
        return Reply(text=f"The {kind} report is on its way.")

    async def post_plan(self, programme: Programme, actor: Participant) -> Reply:
        self.posted.append(("plan", actor.email))
        return Reply(text="The action plan is on its way.")


class MemoryHomeReads:
    def __init__(self, world: World) -> None:
        self.world = world

    async def recent_prompts(self, participant_id: int, since: dt.date) -> list[str]:
        found = [
            (m.not_before, m.prompt_id)
            for m, s in self.world.outbox.values()
            if m.participant_id == participant_id and m.prompt_id and s is DeliveryStatus.SENT
        ]
        return [prompt for when, prompt in sorted(found, reverse=True) if when.date() >= since]

    async def delivery_counts(self, programme_id: int, since: dt.datetime) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message, status in self.world.outbox.values():
            if message.programme_id == programme_id:
                counts[status.value] = counts.get(status.value, 0) + 1
        return counts

    async def recent_broadcasts(self, programme_id: int, limit: int) -> list[BroadcastRecord]:
        return await MemoryBroadcastRepository(self.world).recent(programme_id, limit)


def memory_deps(world: World, clock: FixedClock, library: Library) -> Deps:
    """Every port over one World: what the composition root builds over one database session."""
    poster = RecordingPoster()
    return Deps(
        programmes=MemoryProgrammeRepository(world),
        participants=MemoryParticipantRepository(world),
        actions=MemoryActionRepository(world),
        audit=MemoryAuditLog(world),
        clock=clock,
        library=library,
        anonymity=AnonymityDeps(
            reflections=MemoryReflectionStore(world),
            flags=MemoryFlagStore(world),
            notifier=RecordingNotifier(world),
        ),
        outbox=MemoryOutbox(world),
        broadcasts=MemoryBroadcastRepository(world),
        directory=MemoryDirectory(world),
        reports=poster,
        plans=poster,
        home=MemoryHomeReads(world),
    )
