"""Firing one occurrence of one schedule: read what it needs, ask handlers/ what to send, write outbox rows.

A job never sends: it only writes rows keyed ``schedule:ID:LOCAL-TIME:p<participant>`` with ON CONFLICT DO NOTHING,
so the same occurrence fired twice (two leaders overlapping, a catch-up after a restart) adds nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers import nudges, peers
from handlers.audiences import resolve
from handlers.delivery_ports import OutboxMessage
from handlers.library import Library
from handlers.model import Participant, Role
from handlers.ports import ActionFilter, Clock
from handlers.recurrence import occurrences
from handlers.schedule_messages import Firing, checkin_messages, in_zone, milestone_messages, prompt_messages
from handlers.schedules import ScheduleKind, ScheduleSpec, milestone_dates
from storage.repositories import SqlActionRepository, SqlParticipantRepository, SqlProgrammeRepository
from storage.repositories import schedules as stored
from storage.repositories.broadcasts import SqlBroadcastRepository
from storage.repositories.outbox import SqlOutbox

logger = logging.getLogger(__name__)

GRACE = dt.timedelta(hours=6)


def latest_occurrence(
    spec: ScheduleSpec, milestones: dict[str, dt.date], zone: str, now: dt.datetime, grace: dt.timedelta
) -> dt.datetime | None:
    """The last occurrence at or before ``now`` and no older than ``grace`` (coalescing any missed before it)."""
    found = occurrences(spec.recurrence(), now - grace, now + dt.timedelta(microseconds=1), zone, milestones)
    return found[-1] if found else None


@dataclass
class Firer:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    library: Library
    grace: dt.timedelta = GRACE

    async def fire(self, schedule_id: int, zone: str | None = None) -> int:
        """Fire the schedule's latest due occurrence in ``zone`` (the programme's when None). Returns rows added."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            schedule = await stored.schedule(session, schedule_id)
            if schedule is None or not schedule.spec.active:
                return 0
            programme = await SqlProgrammeRepository(session).get(schedule.programme_id)
            zone = programme.timezone if schedule.spec.kind is ScheduleKind.PEERS else zone or programme.timezone
            at = latest_occurrence(schedule.spec, milestone_dates(programme), zone, now, self.grace)
            if at is None:
                return 0
            local = at.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
            firing = Firing(schedule.id, schedule.spec, programme, zone, local, at)
            added = await SqlOutbox(session).enqueue(await self.messages(session, firing))
            await stored.mark_fired(session, schedule.id, at)
        logger.info("schedule %s fired for %s at %s: %d new deliveries", schedule.spec.key, zone, local, len(added))
        return len(added)

    async def messages(self, session: AsyncSession, firing: Firing) -> list[OutboxMessage]:
        kind = firing.spec.kind
        pid = firing.programme.id
        everyone = await SqlParticipantRepository(session).in_programme(pid)
        if kind is ScheduleKind.PEERS:
            return await self._peers(session, firing, everyone)
        programmes = SqlProgrammeRepository(session)
        agencies, teams = await programmes.agencies(pid), await programmes.teams(pid)
        forums = await SqlBroadcastRepository(session).forums(pid)
        audience = resolve(firing.spec.audience, everyone, agencies, teams, forums=forums)
        people = in_zone(audience.people, firing.zone)
        if kind in (ScheduleKind.PROMPTS, ScheduleKind.MILESTONE):
            seen = await stored.prompts_seen(session, [p.id for p in people])
            build = prompt_messages if kind is ScheduleKind.PROMPTS else milestone_messages
            return build(firing, people, self.library, seen)
        if kind is ScheduleKind.CHECKIN:
            return checkin_messages(firing, people)
        actions = await SqlActionRepository(session).find(pid, ActionFilter())
        owners = {p.email.lower(): p for p in people}
        if kind is ScheduleKind.ACTION_CHECKIN:
            return nudges.action_checkin_messages(firing, actions, owners)
        if kind is ScheduleKind.DRIFT:
            facilitators = [p for p in in_zone(everyone, firing.zone) if p.has(Role.FACILITATOR)]
            return nudges.drift_messages(firing, actions, owners, facilitators)
        return nudges.overdue_messages(firing, actions, people)

    async def _peers(self, session: AsyncSession, firing: Firing, everyone: list[Participant]) -> list[OutboxMessage]:
        pid = firing.programme.id
        round_key = firing.local.strftime("%Y-%m-%d")
        groups = await stored.peer_groups(session, pid, round_key)
        history = await stored.peer_groups(session, pid)
        if not groups:  # a round is formed once; firing it again re-uses it
            opted = [p for p in everyone if p.peers_opt_in]
            groups = peers.form_groups(opted, peers.pairs_in(history), size=firing.spec.group_size, seed=round_key)
            await stored.save_peer_round(session, pid, round_key, groups)
        agencies = {a.code: a.name for a in await SqlProgrammeRepository(session).agencies(pid)}
        prompt = peers.conversation_prompt(self.library, firing, len(history))
        by_id = {p.id: p for p in everyone}
        return peers.introductions(firing, groups, by_id, agencies, prompt, round_key)
