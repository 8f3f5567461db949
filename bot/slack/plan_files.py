"""A file sent to the bot in a direct message: the programme file or action-plan spreadsheet (bot/plan_uploads.py).

The event is acknowledged at once; then the file is looked up with files.info and downloaded with the bot's token,
which is only ever sent to Slack's own file host (files.slack.com, or the host of SLACK_API_URL), never to another
address a payload names. The preview is posted in the same conversation with the Apply buttons.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import httpx
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import plan_uploads
from bot.slack import render
from bot.slack.inbound import Who, event_key, who_of
from bot.slack.listeners import Listeners, guarded
from handlers.reply import refusal

logger = logging.getLogger(__name__)

SLACK_FILE_HOST = "files.slack.com"
UNREAD = "Sorry, that file could not be read from Slack; please send it again."


class Unreadable(Exception):
    def __init__(self, message: str = UNREAD) -> None:
        super().__init__(message)
        self.message = message


class PlanFiles:
    def __init__(self, listeners: Listeners, api_url: str) -> None:
        self.listeners = listeners
        api = urlsplit(api_url)
        self.allowed = {("https", SLACK_FILE_HOST), (api.scheme, api.hostname or SLACK_FILE_HOST)}

    async def shared(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        """file_shared: only a person's file in their direct message with the bot (a D… conversation); the bot's own
        uploads (reports) and files in channels are left alone. No message text is ever received."""
        channel, user = str(event.get("channel_id") or ""), str(event.get("user_id") or "")
        bots = {str(a.get("user_id")) for a in body.get("authorizations") or [] if isinstance(a, dict)}
        if not channel.startswith("D") or not user or user in bots:
            return
        who = Who(str(body.get("team_id") or ""), user, who_of(body).enterprise_id)
        file_id = str(event.get("file_id") or (event.get("file") or {}).get("id") or "")
        self.listeners.later(self._receive(who, channel, file_id, client, event_key(body)))

    async def _receive(self, who: Who, channel: str, file_id: str, client: AsyncWebClient, once: str) -> None:
        try:
            found = await self._download(client, file_id, who.user_id)
            if found is None:
                return  # not a programme file or spreadsheet: not for us
            filename, data = found
            reply = await guarded(
                self.listeners.people.run(who, client, plan_uploads.upload_work(filename, data), once=once)
            )
        except Unreadable as error:
            reply = refusal(error.message)
        if reply is None:
            return
        try:
            for page in render.messages(reply):
                await client.chat_postMessage(channel=channel, **page)
        except SlackApiError as error:
            logger.warning("the preview of an uploaded file was not posted: %s", error.response.get("error"))

    async def _download(self, client: AsyncWebClient, file_id: str, user: str) -> tuple[str, bytes] | None:
        try:
            info = (await client.files_info(file=file_id))["file"]
        except (SlackApiError, KeyError, TypeError):
            logger.warning("files.info failed for an uploaded file")
            raise Unreadable from None
        name, size = str(info.get("name") or "file"), int(info.get("size") or 0)
        if info.get("user") != user or not name.lower().endswith(plan_uploads.SUFFIXES):
            return None
        if size > plan_uploads.MAX_BYTES:
            raise Unreadable(plan_uploads.TOO_LARGE)  # refused without downloading it
        url = str(info.get("url_private_download") or info.get("url_private") or "")
        parts = urlsplit(url)
        if (parts.scheme, parts.hostname) not in self.allowed:
            logger.warning("an uploaded file's address was not Slack's; it was not fetched")
            raise Unreadable
        async with httpx.AsyncClient(timeout=15, follow_redirects=False) as http:
            answer = await http.get(url, headers={"Authorization": f"Bearer {client.token}"})
        if answer.status_code != 200 or len(answer.content) > plan_uploads.MAX_BYTES + 1:
            logger.warning("downloading an uploaded file failed with HTTP %s", answer.status_code)
            raise Unreadable
        return name, answer.content
