"""Governance first: the confidentiality statement must be read and acknowledged before the first contribution."""

from __future__ import annotations

import hashlib
import json

from handlers.general import privacy_text
from handlers.model import Participant, Programme
from handlers.ports import Deps
from handlers.reply import Block, Command, Form, FormField, Option, Reply, rich

ACK_FORM = "privacy.ack"


def statement_hash(programme: Programme) -> str:
    """Changing the statement asks everyone to read it again."""
    return hashlib.sha256(programme.governance.confidentiality_statement.encode()).hexdigest()


async def has_acknowledged(actor: Participant, deps: Deps) -> bool:
    programme = await deps.programmes.get(actor.programme_id)
    return await deps.anonymity.reflections.acknowledged(actor.id, statement_hash(programme))


def acknowledgement_form(programme: Programme, then: dict[str, str]) -> Reply:
    """The statement, what is stored and the escalation routes, with one box to confirm it was read."""
    statement, details = privacy_text(programme)
    intro = (
        Block(kind="section", text="Before your first reflection or check-in, please read how this works."),
        Block(kind="section", text=statement),
        Block(kind="section", text="\n".join(details[:2])),
        Block(
            kind="context",
            text="If a child may be at risk now, follow your agency's procedure:\n" + "\n".join(details[2:]),
        ),
    )
    field = FormField(
        key="read",
        label="Confirm",
        kind="choice",
        options=(Option(value="yes", label="I have read and understood this"),),
    )
    form = Form(form_id=ACK_FORM, title="Before you start", intro=intro, fields=(field,), submit_label="Continue",
                state=json.dumps(then))  # fmt: skip
    # Not ok: what was asked has not happened yet, and will not until the statement is acknowledged.
    return Reply(text=statement + "\n" + "\n".join(details), form=form, ok=False)


async def record_acknowledgement(actor: Participant, deps: Deps) -> None:
    programme = await deps.programmes.get(actor.programme_id)
    await deps.anonymity.reflections.acknowledge(actor.id, statement_hash(programme), deps.clock.now().date())


async def accept_privacy(actor: Participant, deps: Deps) -> Reply:
    """/aftercare privacy accept: the text alternative to the button on the statement."""
    await record_acknowledgement(actor, deps)
    return Reply(
        body=rich(
            "Thank you for reading the confidentiality statement. You can now ",
            Command("reflect"),
            " and ",
            Command("checkin"),
            ".",
        )
    )
