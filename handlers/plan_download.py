"""`/aftercare plan`: a lead or facilitator gets the current action plan as a spreadsheet in the conversation.

The handler decides who may; writing the .xlsx (in the columns the import reads) and posting it through the outbox
is the ``PlanPoster`` port's job, which surfaces that can post files provide in ``PlanDeps``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from handlers.errors import UserFacingError
from handlers.grammar import PlanDownload
from handlers.model import Participant, Programme
from handlers.permissions import check_lead_or_facilitator
from handlers.ports import Deps
from handlers.reply import Reply
from handlers.reports.chat import ReportDeps


class PlanPoster(Protocol):
    async def post_plan(self, programme: Programme, actor: Participant) -> Reply:
        """Write the plan as .xlsx and queue it for the person's conversation; the reply says so."""
        ...


@dataclass(frozen=True)
class PlanDeps(ReportDeps):
    plans: PlanPoster


async def download_plan(_cmd: PlanDownload, actor: Participant, deps: Deps) -> Reply:
    check_lead_or_facilitator(actor, "download the action plan, because it names every action's owner")
    if not isinstance(deps, PlanDeps):
        raise UserFacingError(
            "Sending the plan here is not switched on in this installation yet; at a terminal, "
            "'aftercare programme export --out plan.xlsx' writes the same file."
        )
    return await deps.plans.post_plan(await deps.programmes.get(actor.programme_id), actor)
