"""Posting a report into the conversation: build it, write its files, and queue them through the outbox.

``FilePoster`` is the ``ReportPoster`` port (handlers/ports.py) that bot/compose.py gives every surface, so
`/aftercare report KIND` works everywhere. Files are written under ``AFTERCARE_REPORTS_DIR`` (default
./aftercare-reports/PROGRAMME/); with several replicas this must be a folder every worker can read. The outbox message
carries the files as attachments; the reply to the person who asked says what was posted and where the files are.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.reports.render import MEDIA_TYPES, render
from bot.safe_output import inside
from handlers.audiences import address_of
from handlers.delivery_ports import MessageKind, Outbox, OutboxMessage, recipient_key
from handlers.library import Library
from handlers.model import Participant, Programme
from handlers.ports import Clock
from handlers.reply import Attachment, Block, Reply
from handlers.reports.model import Report

logger = logging.getLogger(__name__)


def chat_formats(report: Report) -> tuple[str, ...]:
    """What a conversation gets: the brief as HTML and Word; the others as their chart and the HTML."""
    if report.kind == "brief":
        return ("html", "docx")
    return ("png", "html") if report.chart is not None else ("html",)


def write_files(report: Report, folder: Path, stamp: str) -> tuple[Attachment, ...]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for fmt in chat_formats(report):
        path = folder / f"{report.kind}-{stamp}.{fmt}"
        path.write_bytes(render(report, fmt))
        files.append(Attachment(path=str(path), media_type=MEDIA_TYPES[fmt], title=f"{report.title} ({fmt.upper()})"))
    return tuple(files)


class FilePoster:
    def __init__(self, session: AsyncSession, outbox: Outbox, library: Library, clock: Clock, folder: Path) -> None:
        self.session = session
        self.outbox = outbox
        self.library = library
        self.clock = clock
        self.folder = folder

    async def post(self, programme: Programme, kind: str, actor: Participant) -> Reply:
        now = self.clock.now()
        from bot.reports.pipeline import build_reports  # scikit-learn and matplotlib load only when a report is asked

        report = (await build_reports(self.session, programme, self.library, now, [kind]))[kind]
        stamp = now.strftime("%Y%m%dT%H%M%S")
        files = await asyncio.to_thread(write_files, report, inside(self.folder, programme.code), stamp)
        posted = Reply(
            text=f"{report.title}: {report.summary}",
            blocks=(Block(kind="header", text=report.title[:150]), Block(kind="section", text=report.summary)),
            files=files,
            ephemeral=False,
        )
        key = recipient_key("report", programme.id, kind, f"p{actor.id}", stamp)
        await self.outbox.enqueue([files_notice(programme, actor, key, posted, now)])
        where = "\n".join(f"  {f.path}" for f in files)
        return Reply(text=f"{report.summary}\nPosting the {kind} report here now. Files:\n{where}")


def files_notice(programme: Programme, actor: Participant, key: str, posted: Reply, now: dt.datetime) -> OutboxMessage:
    """Files posted to the person who asked for them, through the outbox, at once (not held for working hours)."""
    platform, address = address_of(actor)
    return OutboxMessage(
        key=key,
        programme_id=programme.id,
        participant_id=actor.id,
        platform=platform,
        address=address,
        kind=MessageKind.NOTICE,
        reply=posted,
        not_before=now,
        respect_window=False,
    )
