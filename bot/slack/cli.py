"""`aftercare slack link`: match a programme's people to Slack accounts by email (users.lookupByEmail), before any
prompt is sent, so that proactive messages reach people who have not used the bot yet.

The workspace is the bot token's (single-workspace mode) or the one named with --team (OAuth installations): the
operator running the command is the one who says that workspace belongs to the programme. Matches are remembered
as platform identities, exactly as a match made when someone first uses a command.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.cli_support import CliMisuse, command, prepare, run
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.listeners import PLATFORM
from bot.slack.oauth import SingleWorkspace, bot_tokens
from bot.slack.wiring import web_client

logger = logging.getLogger(__name__)


def add_parsers(sub: Any) -> None:
    slack = sub.add_parser("slack", help="Slack set-up").add_subparsers(dest="slack_command", required=True)
    link = slack.add_parser("link", help="match the programme's people to Slack accounts by email")
    link.add_argument("--programme", help="programme code (default: every programme)")
    link.add_argument("--team", help="the Slack workspace id, T…; needed with OAuth installations")


async def link_people(runtime: Runtime, client: AsyncWebClient, token: str, team: str, codes: list[str]) -> list[str]:
    """Look up everyone not yet known on Slack; returns one summary line per programme."""
    lines = []
    for programme in [p for p in await runtime.programmes() if not codes or p.code in codes]:
        async with runtime.sessions() as session:
            participants = runtime.deps(session).participants
            people = await participants.unlinked(programme.id, PLATFORM)
            found = 0
            for participant_id, email in people.items():
                try:
                    answer = await client.users_lookupByEmail(token=token, email=email)
                except SlackApiError as error:
                    if error.response.get("error") != "users_not_found":
                        raise
                    continue
                user = answer["user"]
                if user.get("deleted") or user.get("is_bot"):
                    continue
                await participants.add_identity(participant_id, PLATFORM, team, str(user["id"]))
                found += 1
            await session.commit()
        missing = len(people) - found
        lines.append(f"{programme.code}: matched {found} of {len(people)} people not yet known on Slack in {team}"
                     + (f"; {missing} have no Slack account with their email." if missing else "."))  # fmt: skip
    return lines


@command("slack link")
def slack_link(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.slack.enabled:
        raise CliMisuse("Slack is not configured: please set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or OAuth).")
    prepare(settings)

    async def go(runtime: Runtime) -> int:
        client = web_client(settings.slack)
        client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=5))  # Tier 3: wait, then go on
        tokens = bot_tokens(settings.slack, runtime.engine, client)
        team = args.team or (await tokens.home_team() if isinstance(tokens, SingleWorkspace) else None)
        if team is None:
            raise CliMisuse("Please name the workspace with --team T… (the app is installed in several).")
        token = await tokens.token_for(team)
        if token is None:
            raise CliMisuse(f"The app is not installed in the workspace {team}.")
        for line in await link_people(runtime, client, token, team, [args.programme] if args.programme else []):
            print(line)
        return 0

    return run(go, settings)
