"""One claimed delivery, start to finish: wait for working hours, check a doubtful one, pace, send, classify.

Outcomes:

- outside the recipient's working window: back to ``pending`` with ``not_before`` at the next window opening;
- the platform's pace would make it wait longer than ``max_wait``: back to ``pending`` a little later;
- sent: ``sent``;
- ``DeliveryError`` with ``retry_after`` (429): the keys are held for that long and the row waits for it, not counted
  as an attempt;
- ``PermanentDeliveryError`` (user not found, bot blocked, account inactive): ``dead`` with the reason;
- any other ``DeliveryError``, a timeout or an unexpected exception: ``failed`` with jittered exponential backoff,
  and ``dead`` after ``max_attempts`` tries. After a timeout the message may have arrived all the same (the answer
  was late, not the message), so the row is marked in doubt: the next try first asks the platform, as for a row left
  by a worker that died, rather than sending it a second time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from dataclasses import dataclass, field

from bot.channel import Channel
from bot.rate_limits import Pace, RateLimiter
from bot.reminders import named
from bot.send_windows import SendWindows
from handlers.delivery_ports import DeliveryStatus, Recipient
from handlers.errors import DeliveryError, PermanentDeliveryError
from handlers.ports import Clock
from storage.repositories.outbox import Claimed, Outcome

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base: float = 2.0  # seconds before the first retry, doubled each time, jittered ±50%
    cap: float = 900.0
    max_wait: float = 10.0  # longest in-process wait for a rate-limit slot before handing the row back
    lead: float = 2.0  # a row handed back returns this much before its slot, so that it is claimed in time
    send_timeout: float = 20.0
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempts: int) -> float:
        delay = min(self.cap, self.base * 2 ** max(0, attempts - 1))
        return float(delay * self.rng.uniform(0.5, 1.5))


def recipient_of(row: Claimed) -> Recipient:
    return Recipient(
        key=row.key,
        platform=row.platform,
        address=row.address,
        participant_id=row.participant_id,
        programme_id=row.programme_id,
        kind=row.kind,
    )


@dataclass
class Attempt:
    channel: Channel
    limiter: RateLimiter
    windows: SendWindows
    clock: Clock
    policy: RetryPolicy
    sending: asyncio.Semaphore  # how many sends may be in flight at once
    started: bool = False  # True once the message may have reached the platform
    silent: bool = False  # a check-in reminder not to send: it goes through every step but the send (bot/reminders.py)

    async def run(self, row: Claimed) -> Outcome:
        now = self.clock.now()
        recipient = recipient_of(row)
        # first: a doubt must not outlive a hand-back
        if row.in_doubt and not self.silent and await self._arrived(recipient, named(row)):
            return Outcome(row.id, DeliveryStatus.SENT, now, tried=False, sent_at=now)
        try:
            hold = self.windows.hold_until(row, now)
        except ValueError as error:
            return Outcome(row.id, DeliveryStatus.DEAD, now, f"no working window to send in: {error}")
        if hold is not None:
            return Outcome(row.id, DeliveryStatus.PENDING, hold, "waiting for working hours", tried=False)
        paces = self.channel.paces(recipient)
        wait = await self.limiter.acquire(paces, self.policy.max_wait)
        if wait > 0:
            later = self.clock.now() + dt.timedelta(seconds=max(0.0, wait - self.policy.lead))
            return Outcome(row.id, DeliveryStatus.PENDING, later, "paced to the platform's rate limit", tried=False)
        async with self.sending:
            await self.limiter.settle(paces)
            self.started = True
            if self.silent:
                self.limiter.finished(paces)
                now = self.clock.now()
                return Outcome(row.id, DeliveryStatus.SENT, now, sent_at=now)
            return await self._send(row, recipient, paces)

    async def _arrived(self, recipient: Recipient, name: str) -> bool:
        try:
            known = await asyncio.wait_for(self.channel.was_sent(recipient), self.policy.send_timeout)
        except (DeliveryError, TimeoutError):
            known = None
        if known is None:
            logger.warning("delivery %s may have arrived already (no answer, or a worker stopped); sending again", name)
        return bool(known)

    async def _send(self, row: Claimed, recipient: Recipient, paces: list[Pace]) -> Outcome:
        try:
            await asyncio.wait_for(self.channel.send(recipient, row.reply), self.policy.send_timeout)
        except Exception as error:
            self.limiter.finished(paces)
            return self._failed(row, paces, error)
        self.limiter.finished(paces)
        now = self.clock.now()
        return Outcome(row.id, DeliveryStatus.SENT, now, sent_at=now)

    def _failed(self, row: Claimed, paces: list[Pace], error: Exception) -> Outcome:
        if isinstance(error, PermanentDeliveryError):
            logger.info("delivery %s dead: %s", named(row), error.reason)
            return Outcome(row.id, DeliveryStatus.DEAD, self.clock.now(), error.reason)
        if isinstance(error, DeliveryError) and error.retry_after is not None:
            self.limiter.block(paces, error.retry_after)
            later = self.clock.now() + dt.timedelta(seconds=error.retry_after)
            return Outcome(row.id, DeliveryStatus.FAILED, later, f"rate limited: {error.reason}", tried=False)
        if isinstance(error, DeliveryError):
            return self._retry(row, error.reason)
        if isinstance(error, TimeoutError):
            return self._retry(row, f"no answer within {self.policy.send_timeout:g} s", in_doubt=True)
        # a channel bug must not stop us
        logger.error("unexpected error sending delivery %s", named(row), exc_info=error)
        return self._retry(row, f"unexpected error: {type(error).__name__}")

    def _retry(self, row: Claimed, reason: str, *, in_doubt: bool = False) -> Outcome:
        attempts = row.attempts + 1
        now = self.clock.now()
        if attempts >= self.policy.max_attempts:
            return Outcome(row.id, DeliveryStatus.DEAD, now, f"gave up after {attempts} tries: {reason}")
        later = now + dt.timedelta(seconds=self.policy.backoff(attempts))
        return Outcome(row.id, DeliveryStatus.FAILED, later, reason, in_doubt=in_doubt)
