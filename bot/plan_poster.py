"""Posting the action plan into a conversation as .xlsx (`/aftercare plan`), through the outbox like a report.

``PlanFilePoster`` is the ``PlanPoster`` port (handlers/ports.py) that bot/compose.py gives every surface. The file
is written beside posted reports (``AFTERCARE_REPORTS_DIR``/PROGRAMME/) in the columns the import reads, so it can be
edited and sent back.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.plan_export import plan_rows, xlsx_bytes
from bot.reports.poster import files_notice
from bot.safe_output import inside
from handlers.delivery_ports import Outbox, recipient_key
from handlers.model import Participant, Programme
from handlers.ports import ActionFilter, ActionRepository, Clock
from handlers.reply import Attachment, Block, Reply

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanFilePoster:
    def __init__(self, actions: ActionRepository, outbox: Outbox, clock: Clock, folder: Path) -> None:
        self.actions = actions
        self.outbox = outbox
        self.clock = clock
        self.folder = folder

    async def post_plan(self, programme: Programme, actor: Participant) -> Reply:
        now = self.clock.now()
        actions = await self.actions.find(programme.id, ActionFilter())
        rows = plan_rows(actions, now.date(), programme.governance.rag_definitions or None)
        stamp = now.strftime("%Y%m%dT%H%M%S")
        path = inside(self.folder, programme.code) / f"action-plan-{stamp}.xlsx"
        await asyncio.to_thread(_write, path, xlsx_bytes(rows))
        title = f"Action plan, {now:%d %B %Y}"
        text = (
            f"{title}: {len(rows)} actions. Edit it and send it back to me here to see the changes before they apply."
        )
        posted = Reply(
            text=text,
            blocks=(Block(kind="section", text=text),),
            files=(Attachment(path=str(path), media_type=XLSX, title=f"{title} (XLSX)"),),
            ephemeral=False,
        )
        key = recipient_key("plan", programme.id, f"p{actor.id}", stamp)
        await self.outbox.enqueue([files_notice(programme, actor, key, posted, now)])
        return Reply(text=f"Sending the action plan ({len(rows)} actions) here now as a spreadsheet.")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
