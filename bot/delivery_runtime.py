"""A Runtime whose handlers can send: Deps plus the outbox and broadcasts, and safeguarding notices via the outbox.

``DeliveryRuntime`` is what the worker, ``aftercare broadcast`` and the demo use. Everything it writes to the
outbox is written in the command's own transaction, so a refused command sends nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.holiday_calendar import HolidaysCalendar
from bot.runtime import Runtime
from handlers.anonymity_ports import Flag
from handlers.audiences import address_of
from handlers.delivery_ports import DeliveryDeps, MessageKind, OutboxMessage, recipient_key
from handlers.model import Participant, Programme
from handlers.ports import Clock, Deps, ParticipantRepository
from handlers.reply import Block, Reply
from handlers.requests import ButtonPress
from storage.repositories.broadcasts import SqlBroadcastRepository
from storage.repositories.directory import SqlDirectory
from storage.repositories.outbox import SqlOutbox

logger = logging.getLogger(__name__)
CALENDAR = HolidaysCalendar()  # bank holidays for a broadcast preview's first delivery time; cached per year


class OutboxNotifier:
    """Tells the programme's safeguarding contact through the outbox, in the same transaction as the flag.

    The notice says only what the confidentiality statement says is shared: that someone asked for help, who (when
    they chose to be named by asking), when, and the flag id; never the words they wrote. It does not wait for
    working hours.
    """

    def __init__(self, outbox: SqlOutbox, participants: ParticipantRepository, clock: Clock) -> None:
        self.outbox = outbox
        self.participants = participants
        self.clock = clock

    async def notify_contact(self, programme: Programme, flag: Flag, author: Participant | None) -> None:
        email = programme.governance.safeguarding_contact_email
        contact = await self.participants.by_email(programme.id, email) if email else None
        if contact is None:
            logger.error("programme %s has no safeguarding contact to notify about flag %s", programme.code, flag.id)
            return
        platform, address = address_of(contact)
        message = OutboxMessage(
            key=recipient_key("safeguarding", flag.id, f"p{contact.id}"),
            programme_id=programme.id,
            participant_id=contact.id,
            platform=platform,
            address=address,
            kind=MessageKind.NOTICE,
            reply=safeguarding_notice(programme, flag, author),
            not_before=self.clock.now(),
            respect_window=False,
        )
        await self.outbox.enqueue([message])


def safeguarding_notice(programme: Programme, flag: Flag, author: Participant | None) -> Reply:
    who = f"{author.name} ({author.email}, {author.agency})" if author else "A participant who did not answer"
    urgency = "They said a child may be in danger now. " if flag.urgent else ""
    staff = "It may concern a member of staff. " if flag.about_staff else ""
    raised = flag.raised_at.astimezone(ZoneInfo(programme.timezone))
    when = f"{raised:%H:%M} on {raised:%A %-d %B %Y} ({programme.timezone} time)"
    text = (
        f"{who} needs help to raise a possible safeguarding concern about {programme.review_title} "
        f"({programme.name}). They flagged it at {when}, from the reflection form. "
        f"{urgency}{staff}Please contact them today. Nothing they wrote has been stored or is shown here."
    )
    blocks = (Block(kind="header", text="Safeguarding: please get in touch today"), Block(kind="section", text=text))
    return Reply(text=text, blocks=blocks, ephemeral=False)


class DeliveryRuntime(Runtime):
    """Runtime whose Deps are DeliveryDeps (outbox and broadcasts added)."""

    def __init__(self, database_url: str, *args: Any, **kwargs: Any) -> None:
        self.notify_through_outbox = kwargs.get("notifier") is None
        super().__init__(database_url, *args, **kwargs)

    def deps(self, session: AsyncSession) -> DeliveryDeps:
        base = super().deps(session)
        outbox = SqlOutbox(session)
        anonymity = base.anonymity
        if self.notify_through_outbox:
            notifier = OutboxNotifier(outbox, base.participants, self.clock)
            anonymity = dataclasses.replace(anonymity, notifier=notifier)
        values = {field.name: getattr(base, field.name) for field in dataclasses.fields(Deps)}
        values["anonymity"] = anonymity
        broadcasts = SqlBroadcastRepository(session)
        directory = SqlDirectory(session)
        return DeliveryDeps(**values, outbox=outbox, broadcasts=broadcasts, directory=directory, calendar=CALENDAR)

    async def press(self, email: str, action_id: str, value: str, programme_code: str | None = None) -> Reply:
        """Press a button on a message, as that participant (the console and the demo)."""
        return await self.as_email(email, programme_code, ButtonPress(action_id=action_id, value=value))
