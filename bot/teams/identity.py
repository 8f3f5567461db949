"""Who is speaking in Teams, and running their request in one transaction.

A person is found by their Entra object id *within the activity's tenant* (a platform identity stored for that
tenant), or else by the email or UPN the Bot Connector holds for them in that tenant's conversation, matched only
within the programmes that list that tenant (bot/accounts.py); a match by email is remembered as a Teams identity
so the next lookup is direct. One tenant's people are never looked up with another tenant's ids.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from bot.accounts import Transaction, find_account
from bot.runtime import Find, Runtime, Work
from bot.teams.inbound import Turn, tenant_of
from handlers.errors import UserFacingError
from handlers.model import Participant
from handlers.permissions import check_lead_or_facilitator
from handlers.ports import Deps
from handlers.reply import Reply, refusal
from handlers.requests import Identity, Request

logger = logging.getLogger(__name__)

PLATFORM: Literal["teams"] = "teams"
CHANNEL = "msteams"  # the Bot Framework channel id of Microsoft Teams
NOT_KNOWN = "You're not in an Aftercare programme yet; please ask your facilitator to add you."
WELCOME_UNKNOWN = (
    "Hello, I'm Aftercare. I help a safeguarding partnership carry a review's learning into everyday practice. "
    "You're not in an Aftercare programme yet; please ask your facilitator to add you."
)
TENANT_NOT_ALLOWED = "This Teams organisation isn't set up for Aftercare; please ask your facilitator."

EmailLookup = Callable[[Turn], Awaitable[list[str]]]


class People:
    """Runs a person's request: find them, do the work, commit it unless the reply says to discard it."""

    def __init__(self, runtime: Runtime, lookup: EmailLookup, allowed_tenants: frozenset[str] | None) -> None:
        """``allowed_tenants``: the tenants whose people may use the bot; None only when the operator has
        explicitly allowed every tenant (AFTERCARE_TEAMS_ALLOW_ALL_TENANTS, bot/teams/wiring.py)."""
        self.runtime = runtime
        self.lookup = lookup
        self.allowed_tenants = allowed_tenants

    def tenant_allowed(self, tenant_id: str) -> bool:
        return self.allowed_tenants is None or tenant_id in self.allowed_tenants

    def admitted(self, activity: Any) -> bool:
        """Whether an activity may go any further: from Teams itself, in an allowed tenant. Nothing is stored and
        no handler runs for one that is not."""
        fields: set[str] = getattr(activity, "model_fields_set", set())
        if "channel_id" not in fields or getattr(activity, "channel_id", None) != CHANNEL:
            logger.warning("an activity from another channel than Teams was refused")
            return False
        tenant = tenant_of(activity)
        if tenant is None or not self.tenant_allowed(tenant):
            logger.warning("an activity from a tenant that is not allowed was refused")
            return False
        return True

    async def may_receive_reports(self, turn: Turn) -> bool:
        """Whether the person speaking is (still) someone reports are prepared for: a lead or facilitator."""

        async def work(actor: Participant, _deps: Deps, _session: Transaction) -> Reply:
            check_lead_or_facilitator(actor, "save report files")
            return Reply(text="")

        try:
            return (await self.run(turn, work, writes=False)).ok
        except UserFacingError:
            return False

    def finder(self, turn: Turn) -> Find:
        account = Identity(platform=PLATFORM, workspace=turn.tenant_id, user_id=turn.aad_object_id)

        async def emails() -> list[str]:
            return await self.lookup(turn)

        async def find(deps: Deps, session: Transaction) -> Participant | None:
            return await find_account(deps, session, account, emails)

        return find

    async def handle(self, turn: Turn, request: Request, *, unknown: Reply | None = None) -> Reply:
        """A typed request (command line, button, form, Home) from the speaker, through the one pipeline; ``unknown``
        (by default a kind refusal) answers someone who is not in a programme."""
        reply = await self.handle_once(turn, request, None, unknown=unknown)
        return reply or refusal(NOT_KNOWN)  # never: only a request with a duplicate-delivery key can be a repeat

    async def handle_once(
        self, turn: Turn, request: Request, once: str | None, *, unknown: Reply | None = None
    ) -> Reply | None:
        """``handle`` with a duplicate-delivery key: None when a request with the same key was already handled."""
        if not self.tenant_allowed(turn.tenant_id):
            return refusal(TENANT_NOT_ALLOWED)
        return await self.runtime.handle(self.finder(turn), request, unknown=unknown or refusal(NOT_KNOWN), once=once)

    async def run(self, turn: Turn, work: Work, *, writes: bool = True) -> Reply:
        """`work` as the speaker (a shared plan file, a report file's consent); a kind refusal when they are not in
        a programme. ``writes=False`` says the work only reads."""
        if not self.tenant_allowed(turn.tenant_id):
            return refusal(TENANT_NOT_ALLOWED)
        reply = await self.runtime.run_as(self.finder(turn), work, unknown=refusal(NOT_KNOWN), writes=writes)
        return reply or refusal(NOT_KNOWN)
