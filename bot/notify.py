"""Telling the programme's safeguarding contact about a possible live concern.

Until the delivery outbox is wired in, notifications are kept in memory and written to the audit trail by the
handler; ``OutboxNotifier`` (bot/delivery) replaces this in `aftercare serve` and the worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from handlers.anonymity_ports import Flag
from handlers.model import Participant, Programme

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
