"""Files that come with a message (a report's chart, HTML or Word file), the way a Teams bot sends them in a 1:1 chat.

A bot cannot attach a file directly. It sends a file consent card per file; when the person accepts, Teams invokes
the bot (`fileConsent/invoke`) with an upload URL in their OneDrive, the bot uploads the file there and posts a file
card pointing at it. Only files inside the reports folder (AFTERCARE_REPORTS_DIR, as bot/reports/poster.py writes
them) are ever read, whatever the card's context says, and only over https.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

from bot.teams.inbound import Turn
from bot.teams.sender import Connector
from handlers.errors import DeliveryError
from handlers.reply import Attachment

logger = logging.getLogger(__name__)

CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_CARD = "application/vnd.microsoft.teams.card.file.info"
DECLINED = "No problem: the file was not sent."
GONE = "Sorry, that file is no longer available; please ask for the report again."
FAILED = "Sorry, the file could not be saved to your OneDrive; please try again later."


def consent_message(file: Attachment) -> dict[str, Any] | None:
    """A message asking to send one file, or None when the file is not there to send."""
    path = Path(file.path)
    if not path.is_file():
        logger.warning("a file to offer in Teams is missing")
        return None
    context = {"path": str(path.resolve()), "title": file.title}
    content = {
        "description": file.title[:200],
        "sizeInBytes": path.stat().st_size,
        "acceptContext": context,
        "declineContext": context,
    }
    return {"type": "message", "attachments": [{"contentType": CONSENT_CARD, "name": path.name, "content": content}]}


async def offer_files(
    connector: Connector, service_url: str, conversation_id: str, files: tuple[Attachment, ...]
) -> None:
    """After the message itself: one consent card per file. Best effort: the message has already arrived."""
    for file in files:
        message = consent_message(file)
        if message is None:
            continue
        try:
            await connector.send(service_url, conversation_id, message, attempts=1)
        except DeliveryError as error:
            logger.warning("a file was not offered in Teams: %s", error.reason)


def readable(raw: Any, folder: Path) -> Path | None:
    """The file named in a consent card's context, if it is a file inside the reports folder."""
    if not isinstance(raw, str) or not raw:
        return None
    path = Path(raw).resolve()
    return path if path.is_relative_to(folder) and path.is_file() else None


class FileUploads:
    """Answers `fileConsent/invoke`: upload the accepted file to the person's OneDrive, then show it in the chat."""

    def __init__(self, connector: Connector, folder: Path, http: httpx.AsyncClient | None = None) -> None:
        self.connector = connector
        self.folder = folder.resolve()  # AFTERCARE_REPORTS_DIR, the folder bot/reports/poster.py writes into
        self.http = http or httpx.AsyncClient(timeout=60)

    async def answer(self, turn: Turn, value: Any) -> dict[str, Any]:
        context = value.context if isinstance(value.context, dict) else {}
        if getattr(value.action, "value", value.action) != "accept":
            await self.say(turn, DECLINED)
            return {"status": 200}
        path = readable(context.get("path"), self.folder)
        upload = value.upload_info
        if path is None or upload is None or not upload.upload_url or urlparse(upload.upload_url).scheme != "https":
            await self.say(turn, GONE)
            return {"status": 200}
        try:
            await self.upload(path, upload.upload_url)
        except httpx.HTTPError as error:
            logger.warning("file upload to OneDrive failed: %s", type(error).__name__)
            await self.say(turn, FAILED)
            return {"status": 200}
        card = {"uniqueId": upload.unique_id, "fileType": upload.file_type}
        shown = {"contentType": FILE_CARD, "contentUrl": upload.content_url, "name": upload.name, "content": card}
        await self.connector.send(turn.service_url, turn.conversation_id, {"type": "message", "attachments": [shown]})
        return {"status": 200}

    async def upload(self, path: Path, url: str) -> None:
        data = await asyncio.to_thread(path.read_bytes)
        headers = {"Content-Length": str(len(data)), "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
        response = await self.http.put(url, content=data, headers=headers)
        response.raise_for_status()

    async def say(self, turn: Turn, text: str) -> None:
        try:
            await self.connector.send(turn.service_url, turn.conversation_id, {"type": "message", "text": text})
        except DeliveryError as error:
            logger.info("could not answer a file consent: %s", error.reason)

    async def close(self) -> None:
        await self.http.aclose()
