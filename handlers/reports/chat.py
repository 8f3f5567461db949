"""`/aftercare report KIND`: a lead or facilitator posts a report into the conversation.

The handler decides who may, and which report; building, rendering and posting the files (through the outbox) is
the ``ReportPoster`` port's job (handlers/ports.py), which the composition root gives every surface.
"""

from __future__ import annotations

import logging

from handlers.errors import UserFacingError
from handlers.grammar import PostReport
from handlers.model import Participant
from handlers.permissions import check_lead_or_facilitator
from handlers.ports import Deps
from handlers.reply import Command, Reply
from handlers.reports import KINDS

logger = logging.getLogger(__name__)


async def post_report(cmd: PostReport, actor: Participant, deps: Deps) -> Reply:
    check_lead_or_facilitator(actor, "post reports, because reports describe the whole programme")
    if cmd.report not in KINDS:
        raise UserFacingError(
            (f"Reports are: {', '.join(KINDS)}. Write, for example, ", Command("aftercare report assurance"), ".")
        )
    programme = await deps.programmes.get(actor.programme_id)
    logger.info("A %s report was asked for in programme %s", cmd.report, programme.code)
    return await deps.reports.post(programme, cmd.report, actor)
