"""Telling the programme's safeguarding contact about a possible live concern.

``OutboxNotifier`` is what every surface uses (bot/compose.py): the notice goes through the outbox, in the same
transaction as the flag. ``RecordingNotifier`` keeps notices in memory, for tests that look at them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from handlers.anonymity_ports import Flag
from handlers.audiences import address_of
from handlers.delivery_ports import MessageKind, Outbox, OutboxMessage, recipient_key
from handlers.model import Participant, Programme
from handlers.ports import Clock, ParticipantRepository
from handlers.reply import Block, Reply

logger = logging.getLogger(__name__)


@dataclass
class Notice:
    programme_code: str
    contact_email: str | None
    flag_id: str
    author_email: str | None
    author_name: str | None
    urgent: bool
    about_staff: bool


@dataclass
class RecordingNotifier:
    sent: list[Notice] = field(default_factory=list)

    async def notify_contact(self, programme: Programme, flag: Flag, author: Participant | None) -> None:
        notice = Notice(
            programme_code=programme.code,
            contact_email=programme.governance.safeguarding_contact_email,
            flag_id=flag.id,
            author_email=author.email if author else None,
            author_name=author.name if author else None,
            urgent=flag.urgent,
            about_staff=flag.about_staff,
        )
        self.sent.append(notice)
        logger.info("safeguarding contact to be notified about flag %s", flag.id)


class OutboxNotifier:
    """Tells the programme's safeguarding contact through the outbox, in the same transaction as the flag.

    The notice says only what the confidentiality statement says is shared: that someone asked for help, who (when
    they chose to be named by asking), when, and the flag id; never the words they wrote. It does not wait for
    working hours.
    """

    def __init__(self, outbox: Outbox, participants: ParticipantRepository, clock: Clock) -> None:
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
