"""`/aftercare report KIND`: a lead or facilitator posts a report into the conversation.

The handler decides who may, and which report; building, rendering and posting the files (through the outbox) is
the ``ReportPoster`` port's job, which surfaces that can post reports provide in ``ReportDeps``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from handlers.delivery_ports import DeliveryDeps
from handlers.errors import UserFacingError
from handlers.grammar import PostReport
from handlers.model import Participant, Programme
from handlers.permissions import check_lead_or_facilitator
from handlers.ports import Deps
from handlers.reply import Command, Reply
from handlers.reports import KINDS

logger = logging.getLogger(__name__)


class ReportPoster(Protocol):
    async def post(self, programme: Programme, kind: str, actor: Participant) -> Reply:
        """Build the report, write its files, queue them for the conversation; the reply says what was posted."""
        ...


@dataclass(frozen=True)
class ReportDeps(DeliveryDeps):
    """DeliveryDeps plus the report poster. Surfaces that can post reports build this."""

    reports: ReportPoster


async def post_report(cmd: PostReport, actor: Participant, deps: Deps) -> Reply:
    check_lead_or_facilitator(actor, "post reports, because reports describe the whole programme")
    if cmd.report not in KINDS:
        raise UserFacingError(
            (f"Reports are: {', '.join(KINDS)}. Write, for example, ", Command("aftercare report assurance"), ".")
        )
    if not isinstance(deps, ReportDeps):
        raise UserFacingError(
            "Posting reports here is not switched on in this installation yet; "
            f"at a terminal, 'aftercare report {cmd.report}' writes the same report."
        )
    programme = await deps.programmes.get(actor.programme_id)
    logger.info("A %s report was asked for in programme %s", cmd.report, programme.code)
    return await deps.reports.post(programme, cmd.report, actor)
