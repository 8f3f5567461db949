"""Check-in reminders that reach only those who have not answered, without the outbox ever saying who that is.

The scheduler queues one reminder row for everyone invited, all alike (handlers/schedule_messages.py). Whether a
row is really sent is decided here, by the dispatcher, at the moment it goes out: from the person's check-in
contributor hash, worked out in memory (storage/repositories/anonymous.py: ``answered_checkin``); nothing is
written about it. A row that is not sent still waits for its working window and its rate-limit slot like one that
is, and every reminder row, sent or not, ends the same way: deleted, and counted once as "sent" in the metrics.
A reminder is tried once: a failed one is not retried, since a row left waiting to be tried again would stand out
as someone who had not answered. docs/anonymity.md ("Check-in reminders") has the argument and what remains.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cycles import current_cycle
from handlers.delivery_ports import DeliveryStatus, MessageKind
from storage.repositories import SqlProgrammeRepository
from storage.repositories import schedules as stored
from storage.repositories.anonymous import answered_checkin
from storage.repositories.outbox import Claimed, Outcome

logger = logging.getLogger(__name__)

REMINDER = MessageKind.CHECKIN_REMINDER
PACED = "paced to the platform's rate limit"


def is_reminder(row: Claimed) -> bool:
    return row.kind is REMINDER


def named(row: Claimed) -> str:
    """How a log line may name a delivery: never a reminder's key, which holds its person."""
    return "a check-in reminder" if is_reminder(row) else row.key


async def not_to_send(session: AsyncSession, secret: bytes | None, rows: Sequence[Claimed], today: dt.date) -> set[int]:
    """The claimed reminder rows that must not be sent: their person has answered the cycle, or it is not open.

    Without the anonymity secret nobody can be told apart, so every reminder is sent (the old behaviour)."""
    reminders = [row for row in rows if is_reminder(row)]
    if secret is None or not reminders:
        return set()
    quiet: set[int] = set()
    groups: dict[tuple[int, int | None], list[Claimed]] = {}
    for row in reminders:
        groups.setdefault((row.programme_id, row.schedule_id), []).append(row)
    for (programme_id, schedule_id), group in groups.items():
        schedule = None if schedule_id is None else await stored.schedule(session, schedule_id)
        programme = await SqlProgrammeRepository(session).get(programme_id)
        cycle = current_cycle(programme, today)
        if schedule is None or cycle is None or cycle.code != schedule.spec.cycle:
            quiet.update(row.id for row in group)  # the cycle has closed: nobody needs reminding
            continue
        people = [row.participant_id for row in group if row.participant_id is not None]
        answered = await answered_checkin(session, secret, programme_id, cycle.code, people)
        quiet.update(row.id for row in group if row.participant_id in answered)
    return quiet


def settle(row: Claimed, outcome: Outcome) -> Outcome:
    """A reminder's outcome, the same whether it was sent or not: waiting (for a window or a slot) stays waiting;
    anything else ends it, deleted and counted as sent."""
    if outcome.status is DeliveryStatus.PENDING:
        return outcome
    if outcome.status is DeliveryStatus.FAILED and outcome.last_error.startswith("rate limited"):
        return Outcome(row.id, DeliveryStatus.PENDING, outcome.not_before, PACED, tried=False)
    if outcome.status is not DeliveryStatus.SENT:
        logger.info("a check-in reminder could not be delivered and will not be tried again: %s", outcome.last_error)
    return Outcome(row.id, DeliveryStatus.SENT, outcome.not_before, sent_at=outcome.not_before, forget=True)
