"""A file sent to the bot in a Teams 1:1 chat: the programme file or action-plan spreadsheet (bot/plan_uploads.py).

Teams gives such a file as a ``file.download.info`` attachment (read by bot/teams/inbound.shared_file) with a
pre-authenticated download URL; no token is sent with it. It is fetched only from SharePoint/OneDrive (https,
``*.sharepoint.com``) or from the conversation's own service host, never from another address, and only up to the
size limit. The preview goes back to the chat as a card with the Apply buttons.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from bot import plan_uploads
from bot.teams.inbound import Turn
from handlers.reply import Reply, refusal

if TYPE_CHECKING:
    from bot.teams.listeners import People

logger = logging.getLogger(__name__)

FILE_HOSTS = (".sharepoint.com",)
UNREAD = "Sorry, that file could not be read from Teams; please send it again."


def allowed(url: str, service_url: str) -> bool:
    parts, service = urlsplit(url), urlsplit(service_url)
    if parts.scheme == "https" and (parts.hostname or "").endswith(FILE_HOSTS):
        return True
    return (parts.scheme, parts.hostname, parts.port) == (service.scheme, service.hostname, service.port)


async def download(url: str, service_url: str) -> bytes | None:
    if not allowed(url, service_url):
        logger.warning("a file's download address was not SharePoint's; it was not fetched")
        return None
    async with httpx.AsyncClient(timeout=15, follow_redirects=False) as http, http.stream("GET", url) as answer:
        if answer.status_code != 200:
            logger.warning("downloading a file sent in Teams failed with HTTP %s", answer.status_code)
            return None
        data = b""
        async for chunk in answer.aiter_bytes():
            data += chunk
            if len(data) > plan_uploads.MAX_BYTES:
                break  # refused by size in plan_uploads, without reading the rest
        return data


async def receive(people: People, turn: Turn, name: str, url: str) -> Reply:
    data = await download(url, turn.service_url)
    if data is None:
        return refusal(UNREAD)
    return await people.run(turn, plan_uploads.upload_work(name, data))
