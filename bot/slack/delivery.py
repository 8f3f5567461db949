"""The Slack delivery channel for the outbox (bot/channel.py): proactive DMs and channel posts.

An address is ``TEAM:USER`` (a DM: conversations.open, remembered, then chat.postMessage) or ``TEAM:#channel``
(chat.postMessage to the channel, which the bot must have been invited to). Files attached to a reply (reports)
follow in the same conversation (files_upload_v2: files.getUploadURLExternal, the upload, completeUploadExternal).
The token is the one installed in that workspace. Slack's answers become the outbox's outcomes: a 429 is a
``DeliveryError`` with its Retry-After; a person or channel that is gone, or an app that was removed, is a
``PermanentDeliveryError``; anything else is retried. No retry handler sleeps on a 429 here: the dispatcher waits
instead, holding the row.

``was_sent`` cannot tell (that would need the im:history scope to read DMs back), so a message whose worker died
mid-send is sent again: at least once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.compose import Release, own_database
from bot.rate_limits import Pace, slack_paces
from bot.settings import PaceSettings, Settings
from bot.slack import render
from bot.slack.oauth import BotTokens, bot_tokens, is_oauth
from bot.slack.wiring import web_client
from handlers.delivery_ports import Recipient
from handlers.errors import DeliveryError, PermanentDeliveryError
from handlers.reply import Reply

logger = logging.getLogger(__name__)

PERMANENT = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "account_inactive",
        "user_disabled",
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "cannot_dm_bot",
        "token_revoked",
        "team_not_found",
        "msg_too_long",
        "invalid_blocks",
        "no_text",
    }
)
DM_CACHE = 10_000


def delivery_error(error: SlackApiError) -> DeliveryError:
    response = error.response
    reason = str(response.get("error") or f"HTTP {response.status_code}")
    if response.status_code == 429:
        return DeliveryError("ratelimited", retry_after=_retry_after(response.headers))
    if reason in PERMANENT:
        return PermanentDeliveryError(reason)
    return DeliveryError(reason)


def _retry_after(headers: Mapping[str, object]) -> float:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(0.0, float(str(value)))
            except ValueError:
                break
    return 1.0


class SlackChannel:
    platform = "slack"

    def __init__(
        self,
        tokens: BotTokens,
        client: AsyncWebClient,
        *,
        release: Release | None = None,
        pace_settings: PaceSettings | None = None,
    ) -> None:
        self.tokens = tokens
        self.client = client
        self.release = release  # closes the channel's own database connection (OAuth installations)
        self.pace_settings = pace_settings or PaceSettings()
        self._dms: OrderedDict[tuple[str, str], str] = OrderedDict()

    def paces(self, recipient: Recipient) -> list[Pace]:
        return slack_paces(recipient.address, self.pace_settings)

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        team, _, target = recipient.address.partition(":")
        if not team or not target:
            raise PermanentDeliveryError(f"not a Slack address: {recipient.address}")
        try:
            token = await self.tokens.token_for(team)
            if token is None:
                raise PermanentDeliveryError("the app is not installed in this workspace")
            channel = target if target.startswith("#") else await self._dm(token, team, target)
            for page in render.messages(reply):
                posted = await self.client.chat_postMessage(token=token, channel=channel, **page)
            if reply.files:
                await self._upload(token, str(posted["channel"]), reply)
        except SlackApiError as error:
            raise delivery_error(error) from None
        except (TimeoutError, aiohttp.ClientError) as error:
            raise DeliveryError(f"connection failed: {type(error).__name__}") from None

    async def _dm(self, token: str, team: str, user: str) -> str:
        known = self._dms.get((team, user))
        if known is not None:
            self._dms.move_to_end((team, user))
            return known
        answer = await self.client.conversations_open(token=token, users=user)
        channel = str(answer["channel"]["id"])
        self._dms[(team, user)] = channel
        if len(self._dms) > DM_CACHE:
            self._dms.popitem(last=False)
        return channel

    async def _upload(self, token: str, channel_id: str, reply: Reply) -> None:
        """Files that come with the message (a report's chart, HTML or Word file), into the same conversation."""
        uploads = [{"file": f.path, "title": f.title, "filename": Path(f.path).name} for f in reply.files]
        try:
            await self.client.files_upload_v2(token=token, channel=channel_id, file_uploads=uploads)
        except OSError as error:  # the file is gone or unreadable here: retrying will not bring it back
            raise PermanentDeliveryError(f"a file to post could not be read: {type(error).__name__}") from None

    async def was_sent(self, recipient: Recipient) -> bool | None:
        return None

    async def close(self) -> None:
        if self.release is not None:
            await self.release()


def make_channel(settings: Settings) -> SlackChannel:
    """What bot.worker builds when Slack is on."""
    client = web_client(settings.slack, interactive=False)
    database = own_database(settings.database_url) if is_oauth(settings.slack) else None
    tokens = bot_tokens(settings.slack, database, client)
    release = database.dispose if database is not None else None
    return SlackChannel(tokens, client, release=release, pace_settings=settings.paces)
