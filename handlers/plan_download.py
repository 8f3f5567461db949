"""`/aftercare plan`: a lead or facilitator gets the current action plan as a spreadsheet in the conversation.

The handler decides who may; writing the .xlsx (in the columns the import reads) and posting it through the outbox
is the ``PlanPoster`` port's job (handlers/ports.py), which the composition root gives every surface.
"""

from __future__ import annotations

from handlers.grammar import PlanDownload
from handlers.model import Participant
from handlers.permissions import check_lead_or_facilitator
from handlers.ports import Deps
from handlers.reply import Reply


async def download_plan(_cmd: PlanDownload, actor: Participant, deps: Deps) -> Reply:
    check_lead_or_facilitator(actor, "download the action plan, because it names every action's owner")
    return await deps.plans.post_plan(await deps.programmes.get(actor.programme_id), actor)
