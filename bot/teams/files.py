"""Files that come with a message (a report's chart, HTML or Word file), the way a Teams bot sends them in a 1:1 chat.

A bot cannot attach a file directly. It sends a file consent card per file; when the person accepts, Teams invokes
the bot (`fileConsent/invoke`) with an upload URL in their OneDrive, the bot uploads the file there and posts a file
card pointing at it.

The card's context is an offer the server sealed (bot/form_seal.py) for the one person in the one tenant the report
was sent to, naming the file and expiring after a day; nothing else in the context is read. A consent is honoured
only from that person, in that tenant, while they are still a lead or facilitator of a programme (the roles that
receive reports), for a file inside the reports folder (AFTERCARE_REPORTS_DIR, as bot/reports/poster.py writes
them), to an https upload URL on the OneDrive/SharePoint hosts Teams uses. Anything else uploads nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

from bot.form_seal import FormSeal
from bot.teams.edge import Connector
from bot.teams.inbound import Turn
from handlers.errors import DeliveryError
from handlers.reply import Attachment

logger = logging.getLogger(__name__)

CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_CARD = "application/vnd.microsoft.teams.card.file.info"
OFFER_KEY = "offer"
OFFER_FORM = "teams.report_file"
UPLOAD_HOSTS = (".sharepoint.com", ".sharepoint.us", ".sharepoint.de", ".sharepoint.cn", ".sharepoint-mil.us")
DECLINED = "No problem: the file was not sent."
NOT_YOURS = "Sorry, only the lead or facilitator the report was prepared for can save its files."
GONE = "Sorry, that file is no longer available; please ask for the report again."
FAILED = "Sorry, the file could not be saved to your OneDrive; please try again later."


def consent_message(file: Attachment, offer: str) -> dict[str, Any] | None:
    """A message asking to send one file, or None when the file is not there to send. ``offer``: the sealed offer
    (``FileOffers.offer``) that comes back in the consent invoke."""
    path = Path(file.path)
    if not path.is_file():
        logger.warning("a file to offer in Teams is missing")
        return None
    context = {OFFER_KEY: offer}
    content = {
        "description": file.title[:200],
        "sizeInBytes": path.stat().st_size,
        "acceptContext": context,
        "declineContext": context,
    }
    return {"type": "message", "attachments": [{"contentType": CONSENT_CARD, "name": path.name, "content": content}]}


class FileOffers:
    """Offers of report files, sealed for the one person (tenant and object id) they were sent to."""

    def __init__(self, seal: FormSeal) -> None:
        self.seal = seal

    def offer(self, tenant: str, aad: str, file: Attachment) -> str:
        state = json.dumps({"path": str(Path(file.path).resolve()), "title": file.title})
        return self.seal.seal(f"{tenant}:{aad}", OFFER_FORM, state)

    def opened(self, turn: Turn, context: Any) -> Path | None:
        """The file offered to the person speaking (not expired, not changed), or None."""
        token = context.get(OFFER_KEY) if isinstance(context, dict) else None
        if not isinstance(token, str):
            return None
        state = self.seal.open(f"{turn.tenant_id}:{turn.aad_object_id}", OFFER_FORM, token)
        if state is None:
            logger.warning("a file consent that was not offered to this person was refused")
            return None
        path = json.loads(state).get("path")
        return Path(path) if isinstance(path, str) else None


async def offer_files(
    connector: Connector,
    service_url: str,
    conversation_id: str,
    files: tuple[Attachment, ...],
    offers: FileOffers,
    to: tuple[str, str],
) -> None:
    """After the message itself: one consent card per file, for the person ``to`` (tenant, object id). Best
    effort: the message has already arrived."""
    for file in files:
        message = consent_message(file, offers.offer(to[0], to[1], file))
        if message is None:
            continue
        try:
            await connector.send(service_url, conversation_id, message, attempts=1)
        except DeliveryError as error:
            logger.warning("a file was not offered in Teams: %s", error.reason)


def readable(raw: Path | None, folder: Path) -> Path | None:
    """The file offered, if it is (still) a file inside the reports folder."""
    if raw is None:
        return None
    path = raw.resolve()
    return path if path.is_relative_to(folder) and path.is_file() else None


def upload_allowed(url: str | None, hosts: tuple[str, ...]) -> bool:
    """An https URL on a OneDrive/SharePoint host (where Teams puts a consent's upload session)."""
    if not url:
        return False
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    return parsed.scheme == "https" and any(host == h.lstrip(".") or host.endswith(h) for h in hosts)


class FileUploads:
    """Answers `fileConsent/invoke`: upload the accepted file to the person's OneDrive, then show it in the chat.
    ``may_receive(turn)`` says whether the person speaking may still receive reports (bot/teams/wiring.py)."""

    def __init__(
        self,
        connector: Connector,
        offers: FileOffers,
        may_receive: Callable[[Turn], Awaitable[bool]],
        folder: Path,
        http: httpx.AsyncClient | None = None,
        upload_hosts: tuple[str, ...] = UPLOAD_HOSTS,
    ) -> None:
        self.connector = connector
        self.offers = offers
        self.may_receive = may_receive
        self.folder = folder.resolve()  # AFTERCARE_REPORTS_DIR, the folder bot/reports/poster.py writes into
        self.http = http or httpx.AsyncClient(timeout=60)
        self.upload_hosts = upload_hosts

    async def answer(self, turn: Turn, value: Any) -> dict[str, Any]:
        if getattr(value.action, "value", value.action) != "accept":
            await self.say(turn, DECLINED)
            return {"status": 200}
        path = readable(self.offers.opened(turn, value.context), self.folder)
        upload = value.upload_info
        url = upload.upload_url if upload is not None else None
        if path is None or upload is None or not upload_allowed(url, self.upload_hosts):
            await self.say(turn, GONE)
            return {"status": 200}
        if not await self.may_receive(turn):
            await self.say(turn, NOT_YOURS)
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
