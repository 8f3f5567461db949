"""Which participant a chat account is, scoped to its Slack workspace or Teams tenant. Shared by every adapter.

An account is found by the identity stored for it in that workspace or tenant (from the programme file, or
remembered from an earlier match). Failing that, its email is matched, but only to participants of programmes that
reach that workspace or tenant (``slack_workspaces`` / ``teams_tenants`` in the programme file, or an account of
the roster there), so an email match never crosses a workspace or tenant boundary. A match is refused where the
programme already knows a different account in the same workspace for that person.

``find_account`` is that rule, the one copy Slack and Teams both use (each says only how to ask its platform for
the account's e-mail); the console names people by e-mail and does not need it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from sqlalchemy.exc import IntegrityError

from handlers.model import Participant
from handlers.ports import Deps
from handlers.requests import Identity

logger = logging.getLogger(__name__)

Emails = Callable[[], Awaitable[list[str]]]
"""The account's e-mail addresses, asked of its platform (Slack users.info, the Bot Connector's member)."""
IsHome = Callable[[], Awaitable[bool]]


class Transaction(Protocol):
    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


async def find_account(
    deps: Deps, session: Transaction, account: Identity, emails: Emails, home: IsHome | None = None
) -> Participant | None:
    """The participant behind a Slack or Teams account, only within its workspace or tenant: the account stored
    there, else one of its e-mails (asked of the platform only when a programme reaches the workspace) matched in
    the programmes it reaches. A match is remembered at once, even if the request is then refused."""
    found = await deps.participants.by_platform(account.platform, account.workspace, account.user_id)
    if found:
        return latest(found)
    within = await reachable(deps, account.platform, account.workspace, home=await home() if home else False)
    if not within:
        return None  # no programme lives in this workspace or tenant: nobody to look up, no call to the platform
    matched = await match_by_email(deps, account, await emails(), within)
    if not matched:
        return None
    try:
        await session.commit()
    except IntegrityError:  # the same account, matched at the same moment by a parallel request
        await session.rollback()
    remembered = await deps.participants.by_platform(account.platform, account.workspace, account.user_id)
    return latest(remembered or matched)  # read again, so the person carries the account just stored


async def reachable(deps: Deps, platform: str, workspace: str, *, home: bool = False) -> set[int]:
    """The programmes an account of this workspace may be matched in. ``home`` (Slack single-workspace mode) adds
    the programmes that name no workspace of their own on that platform."""
    reaching = await deps.programmes.workspaces(platform)
    found = {pid for pid, workspaces in reaching.items() if workspace in workspaces}
    if home:
        found |= {p.id for p in await deps.programmes.all() if p.id not in reaching}
    return found


def claimable(participant: Participant, account: Identity) -> bool:
    """False when the programme already has another account of this workspace for that participant."""
    known = participant.on(account.platform)
    return all(i.user_id == account.user_id for i in known if i.workspace == account.workspace)


async def match_by_email(deps: Deps, account: Identity, emails: list[str], within: set[int]) -> list[Participant]:
    """Participants this account is, found by one of its emails in the programmes ``within`` reach (see
    ``reachable``); each match is remembered."""
    for email in emails:
        candidates = await deps.participants.by_email_within(email, within)
        found = [p for p in candidates if claimable(p, account)]
        if found:
            for person in found:
                await deps.participants.add_identity(person.id, account.platform, account.workspace, account.user_id)
            logger.info("a %s account was matched by email to %d participant(s)", account.platform, len(found))
            return found
    return []


def latest(found: list[Participant]) -> Participant:
    """A person in several programmes acts in the newest one."""
    return max(found, key=lambda p: p.programme_id)
