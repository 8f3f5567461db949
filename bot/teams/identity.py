"""Who is speaking in Teams, and running their request in one transaction.

A person is found by their Entra object id *within the activity's tenant* (a platform identity stored for that
tenant), or else by the email or UPN the Bot Connector holds for them in that tenant's conversation; a match by
email is remembered as a Teams identity so the next lookup is direct. An email match is refused when the programme
already knows a different account in the same tenant for that person. One tenant's people are never looked up
with another tenant's ids.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.runtime import Runtime, again_if_locked
from bot.teams.inbound import Turn
from handlers.model import Participant
from handlers.ports import Deps
from handlers.reply import Reply, refusal

logger = logging.getLogger(__name__)

PLATFORM = "teams"
NOT_KNOWN = "You're not in an Aftercare programme yet; please ask your facilitator to add you."
TENANT_NOT_ALLOWED = "This Teams organisation isn't set up for Aftercare; please ask your facilitator."

EmailLookup = Callable[[Turn], Awaitable[list[str]]]
Work = Callable[[Participant, Deps], Awaitable[Reply]]


def latest(found: list[Participant]) -> Participant:
    """A person in several programmes acts in the newest one (as on Slack and the console)."""
    return max(found, key=lambda p: p.programme_id)


def claimable(participant: Participant, turn: Turn) -> bool:
    """False when the programme already has another account of this tenant for that participant."""
    return all(i.aad_object_id == turn.aad_object_id for i in participant.teams if i.tenant_id == turn.tenant_id)


async def find_participant(deps: Deps, turn: Turn, lookup: EmailLookup) -> tuple[Participant | None, bool]:
    """The participant, and whether a new identity was recorded (the caller commits it)."""
    found = await deps.participants.by_platform(PLATFORM, turn.tenant_id, turn.aad_object_id)
    if found:
        return latest(found), False
    for email in await lookup(turn):
        candidates = [p for p in await deps.participants.by_email_anywhere(email) if claimable(p, turn)]
        if candidates:
            for participant in candidates:
                await deps.participants.add_identity(participant.id, PLATFORM, turn.tenant_id, turn.aad_object_id)
            logger.info("a Teams account was matched by email")  # never who: no participant id in any log
            return latest(candidates), True
    return None, False


class People:
    """Runs a person's request: find them, do the work, commit it unless the reply says to discard it."""

    def __init__(self, runtime: Runtime, lookup: EmailLookup, allowed_tenants: frozenset[str] = frozenset()) -> None:
        self.runtime = runtime
        self.lookup = lookup
        self.allowed_tenants = allowed_tenants

    def tenant_allowed(self, tenant_id: str) -> bool:
        return not self.allowed_tenants or tenant_id in self.allowed_tenants

    async def run(self, turn: Turn, work: Work, *, unknown: Reply | None = None, writes: bool = True) -> Reply:
        """`work` as the speaker; `unknown` (by default a kind refusal) when they are not in a programme.
        ``writes=False`` says the work only reads."""
        if not self.tenant_allowed(turn.tenant_id):
            return refusal(TENANT_NOT_ALLOWED)
        return await again_if_locked(lambda: self._run_once(turn, work, unknown, writes))

    async def _run_once(self, turn: Turn, work: Work, unknown: Reply | None, writes: bool) -> Reply:
        async with self.runtime.interaction(writes=writes) as session:
            deps = self.runtime.deps(session)
            actor, added = await find_participant(deps, turn, self.lookup)
            if actor is None:
                return unknown or refusal(NOT_KNOWN)
            if added:
                await session.commit()
            reply = await work(actor, deps)
            if reply.discard:  # every refusal discards what the command wrote
                await session.rollback()
            else:
                await session.commit()
            return reply
