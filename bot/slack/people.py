"""The person behind a Slack account, and running a command as them in one transaction.

A participant is found by their Slack identity in *this* workspace (from the programme file, or remembered from
an earlier match). Failing that, their Slack email (users.info, scope users:read.email) is matched to participants
of programmes that reach this workspace (``slack_workspaces`` or a roster account there) or, in single-workspace
mode, also programmes that name no Slack workspace at all (bot/accounts.py); the match is remembered with
``add_identity``. A workspace with no such link never reaches anybody, so one workspace never sees another's
programme.

``run`` hands the interaction to the one pipeline (``Runtime.run_as``): one transaction, the idempotency key (if
any) claimed first, so a retried event or a double click finds it taken and does nothing; the work's reply decides
commit or rollback, as at the console and in Teams.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime import Find, Runtime, Transaction, UnknownParticipant, Work
from bot.slack.inbound import Who
from bot.slack.oauth import BotTokens
from handlers.model import Participant
from handlers.ports import Deps
from handlers.reply import Reply, refusal
from handlers.requests import Identity, Request

logger = logging.getLogger(__name__)

PLATFORM: Literal["slack"] = "slack"
NOT_IN_PROGRAMME = "You're not in an Aftercare programme yet; please ask your facilitator to add you."


class SlackPeople:
    def __init__(self, runtime: Runtime, tokens: BotTokens) -> None:
        self.runtime = runtime
        self.tokens = tokens

    def finder(self, who: Who, client: AsyncWebClient) -> Find:
        async def find(deps: Deps, session: Transaction) -> Participant | None:
            actor = await self._lookup(deps, who)
            if actor is None and await self.link_by_email(who, client):
                await session.rollback()  # end the read snapshot, so the new link is visible (SQLite)
                actor = await self._lookup(deps, who)
            return actor

        return find

    async def handle(
        self, who: Who, client: AsyncWebClient, request: Request, *, once: str | None = None
    ) -> Reply | None:
        """A typed request (command line, button, form, Home) through the one pipeline; None when ``once`` was
        done."""
        if not who.team_id or not who.user_id:
            return refusal(NOT_IN_PROGRAMME)
        return await self.runtime.handle(self.finder(who, client), request, unknown=refusal(NOT_IN_PROGRAMME),
                                         once=once)  # fmt: skip

    async def run(
        self, who: Who, client: AsyncWebClient, work: Work, *, once: str | None = None, writes: bool = True
    ) -> Reply | None:
        """``work`` (a shared plan file) as the person, through the one pipeline; None when ``once`` was already done.
        ``writes=False`` says the work only reads (remembering ``once`` is a write)."""
        if not who.team_id or not who.user_id:
            return refusal(NOT_IN_PROGRAMME)
        finder = self.finder(who, client)
        return await self.runtime.run_as(finder, work, unknown=refusal(NOT_IN_PROGRAMME), writes=writes, once=once)

    async def _lookup(self, deps: Deps, who: Who) -> Participant | None:
        try:
            return await self.runtime.participant_by_platform(deps, PLATFORM, who.team_id, who.user_id)
        except UnknownParticipant:
            return None

    async def link_by_email(self, who: Who, client: AsyncWebClient) -> bool:
        """Match this account to participants by its email, within the programmes this workspace may reach."""
        email = await email_of(client, who)
        if email is None:
            return False
        account = Identity(platform=PLATFORM, workspace=who.team_id, user_id=who.user_id)
        return await self.runtime.link_by_email(account, [email], home=await self._is_home(who.team_id))

    async def _is_home(self, team_id: str) -> bool:
        try:
            return await self.tokens.is_home(team_id)
        except SlackApiError:
            return False


async def email_of(client: AsyncWebClient, who: Who) -> str | None:
    """The account's email, or None (no such user, a bot, a deactivated account, or the scope is missing)."""
    try:
        answer = await client.users_info(user=who.user_id)
    except SlackApiError as error:
        logger.warning("users.info failed: %s", error.response.get("error"))
        return None
    user: dict[str, Any] = answer.get("user") or {}
    if user.get("deleted") or user.get("is_bot") or str(user.get("team_id") or who.team_id) != who.team_id:
        return None
    email = (user.get("profile") or {}).get("email")
    return str(email).lower() if email else None
