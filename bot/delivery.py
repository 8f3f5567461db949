"""The dispatcher: runs on every replica, claims due outbox rows and sends them through the platform channels.

It claims a batch (SKIP LOCKED on PostgreSQL, so replicas take disjoint rows), sends with up to ``concurrency``
messages in flight, and writes outcomes in bulk every ``flush_every`` seconds. A claim lasts ``lease`` seconds; a
row whose worker dies mid-send is claimed again once the lease has passed, marked in doubt, and the channel is
asked whether it arrived before it is sent again (see bot/delivery_attempt.py for every outcome).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import socket
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channel import Channel
from bot.delivery_attempt import Attempt, RetryPolicy
from bot.metrics import count_outcome
from bot.rate_limits import RateLimiter
from bot.reminders import is_reminder, named, not_to_send, settle
from bot.send_windows import SendWindows
from handlers.delivery_ports import DeliveryStatus
from handlers.ports import Clock
from handlers.windows import HolidayCalendar
from storage.repositories import outbox
from storage.repositories.outbox import Claimed, Outcome

__all__ = ["Channel", "DispatchSettings", "Dispatcher", "RetryPolicy"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchSettings:
    batch: int = 200
    concurrency: int = 64  # sends in flight at once
    hold: int = 1000  # claimed rows held at once, most of them waiting for a rate-limit slot
    lease: float = 60.0  # must be well above max_wait + send_timeout + flush_every
    poll: float = 0.5  # how often to look for work when there is none
    flush_every: float = 0.1
    policy: RetryPolicy = field(default_factory=RetryPolicy)


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}-{uuid.uuid4().hex[:8]}"


class Dispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        channels: Mapping[str, Channel],
        *,
        calendar: HolidayCalendar,
        clock: Clock,
        settings: DispatchSettings | None = None,
        limiter: RateLimiter | None = None,
        name: str | None = None,
        secret: bytes | None = None,
    ) -> None:
        self.sessions = sessions
        self.channels = dict(channels)
        self.clock = clock
        self.settings = settings or DispatchSettings()
        self.limiter = limiter or RateLimiter()
        self.windows = SendWindows(sessions, calendar)
        self.name = name or worker_name()
        self.secret = secret  # the anonymity secret: tells a check-in reminder's person answered (bot/reminders.py)
        self._outcomes: list[Outcome] = []
        self._inflight: set[asyncio.Task[None]] = set()
        self._attempts: dict[asyncio.Task[None], Attempt] = {}
        self._held: dict[asyncio.Task[None], int] = {}  # the row each task holds, for lease renewal
        self._maybe_sent: set[int] = set()  # rows that may have reached the platform: never handed back blindly
        self._sending = asyncio.Semaphore(self.settings.concurrency)
        self._quiet_until = 0.0  # time.monotonic(): no claim before then (the last one found all that was due)
        self.sent = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, then finish what is in flight and write every outcome."""
        logger.info("dispatcher %s started for %s", self.name, ", ".join(sorted(self.channels)))
        halt = asyncio.Event()  # ends the flush loop between writes: a write cancelled part-way can leave SQLite locked
        flusher = asyncio.create_task(self._flush_loop(halt))
        try:
            while not stop.is_set():
                claimed = await self._fill()
                if self._inflight:
                    await asyncio.wait(self._inflight, timeout=self.settings.poll, return_when=asyncio.FIRST_COMPLETED)
                elif not claimed:
                    await _sleep_until(stop, self.settings.poll)
        finally:
            await self._finish(flusher, halt)

    async def drain(self) -> int:
        """Send everything due now and return how many were sent (the demo and tests; no background tasks)."""
        before = self.sent
        while True:
            rows = await self._claim(self.settings.batch)
            if not rows:
                return self.sent - before
            await self._start(rows)
            await asyncio.gather(*self._inflight)
            await self.flush()

    async def flush(self) -> None:
        outcomes, self._outcomes = self._outcomes, []
        if not outcomes:
            return
        try:
            async with self.sessions() as session, session.begin():
                await outbox.record(session, self.name, outcomes)
        except asyncio.CancelledError:  # stopping mid-write: keep them for the final flush (a repeat is a no-op)
            self._outcomes = outcomes + self._outcomes
            raise
        except Exception:
            logger.exception("could not record %d delivery outcomes; will try again", len(outcomes))
            self._outcomes = outcomes + self._outcomes
            return
        self.sent += sum(1 for o in outcomes if o.status is DeliveryStatus.SENT)

    async def _fill(self) -> int:
        free = self.settings.hold - len(self._inflight)
        if free < min(self.settings.batch, self.settings.hold // 4) or time.monotonic() < self._quiet_until:
            return 0
        limit = min(free, self.settings.batch)
        rows = await self._claim(limit)
        if len(rows) < limit:
            # Nothing more is due: look again after the poll, not as each send in flight finishes (a broadcast paced
            # at 30 a second asked 30 times a second for rows that were not there, a busy replica's CPU for nothing).
            self._quiet_until = time.monotonic() + self.settings.poll
        await self._start(rows)
        return len(rows)

    async def _claim(self, limit: int) -> list[Claimed]:
        lease = dt.timedelta(seconds=self.settings.lease)
        try:
            async with self.sessions() as session, session.begin():
                return await outbox.claim(session, self.name, list(self.channels), self.clock.now(), lease, limit)
        except Exception:
            logger.exception("could not claim deliveries; will try again")
            return []

    async def _start(self, rows: list[Claimed]) -> None:
        # A row still in hand here whose lease ran out before it was renewed (a stalled process) is claimed again by
        # this same dispatcher: the attempt already under way finishes it; a second would send it twice.
        held = set(self._held.values())
        if again := [row for row in rows if row.id in held]:
            logger.warning("%d deliveries claimed again while still in hand (their lease ran out)", len(again))
            rows = [row for row in rows if row.id not in held]
        if not rows:
            return
        await self.windows.load(rows)
        quiet = await self._not_to_send(rows)
        for row in rows:
            channel = self.channels[row.platform]
            attempt = Attempt(channel, self.limiter, self.windows, self.clock, self.settings.policy, self._sending)
            attempt.silent = row.id in quiet
            task = asyncio.create_task(self._deliver(row, attempt))
            self._inflight.add(task)
            self._attempts[task] = attempt
            self._held[task] = row.id
            task.add_done_callback(self._forget)

    async def _not_to_send(self, rows: list[Claimed]) -> set[int]:
        if not any(is_reminder(row) for row in rows):
            return set()
        try:
            async with self.sessions() as session:
                return await not_to_send(session, self.secret, rows, self.clock.now().date())
        except Exception:  # undecided: remind everyone, which says nothing about anyone
            logger.exception("could not tell which check-in reminders are still needed; sending them all")
            return set()

    def _forget(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        self._attempts.pop(task, None)
        self._held.pop(task, None)

    async def _deliver(self, row: Claimed, attempt: Attempt) -> None:
        if row.in_doubt:
            self._maybe_sent.add(row.id)
        try:
            outcome = await attempt.run(row)
        except asyncio.CancelledError:
            if attempt.started:
                self._maybe_sent.add(row.id)
            elif not row.in_doubt:  # waiting for a slot: hand it back to be claimed at once
                self._outcomes.append(Outcome(row.id, DeliveryStatus.PENDING, self.clock.now(), tried=False))
            raise  # mid-send: left to its lease, then checked with the platform before any second try
        except Exception:  # never lose a claimed row to a bug: hand it back for a later try
            logger.exception("delivery %s failed unexpectedly", named(row))
            outcome = Outcome(row.id, DeliveryStatus.FAILED, self.clock.now(), "unexpected error", tried=False)
        if is_reminder(row):
            outcome = settle(row, outcome)
        count_outcome(row.platform, outcome)
        self._outcomes.append(outcome)

    async def _flush_loop(self, halt: asyncio.Event) -> None:
        renew_every = self.settings.lease / 3
        renewed_at = self.clock.now()
        while True:
            await _sleep_until(halt, self.settings.flush_every)
            if halt.is_set():
                return
            await self.flush()
            if (self.clock.now() - renewed_at).total_seconds() >= renew_every:
                renewed_at = self.clock.now()
                await self.renew()

    async def renew(self) -> None:
        """Keep the lease on every row still in hand, so that no other claim takes it while it waits its turn."""
        held = list(self._held.values())
        if not held:
            return
        until = self.clock.now() + dt.timedelta(seconds=self.settings.lease)
        try:
            async with self.sessions() as session, session.begin():
                await outbox.extend(session, self.name, held, until)
        except Exception:
            logger.exception("could not renew the lease on %d deliveries; will try again", len(held))

    async def _finish(self, flusher: asyncio.Task[None], halt: asyncio.Event) -> None:
        """Hand back rows still waiting for a slot; let sends already under way finish (up to the send timeout)."""
        for task, attempt in list(self._attempts.items()):
            if not attempt.started:
                task.cancel()
        if self._inflight:
            _done, pending = await asyncio.wait(self._inflight, timeout=self.settings.policy.send_timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        halt.set()  # never cancelled mid-write: the loop ends after the write under way
        await asyncio.gather(flusher, return_exceptions=True)
        await self.flush()
        await self._release()
        logger.info("dispatcher %s stopped after sending %d", self.name, self.sent)

    async def _release(self) -> None:
        """Hand back every row still held that cannot have reached the platform (e.g. a task cancelled before it
        ran), so that a graceful stop leaves nothing waiting for its lease but what may have been sent."""
        try:
            async with self.sessions() as session, session.begin():
                released = await outbox.release(session, self.name, sorted(self._maybe_sent))
        except Exception:
            logger.exception("could not hand back the deliveries still held; their leases will end")
            return
        if released:
            logger.info("dispatcher %s handed back %d deliveries it had not started", self.name, released)


async def _sleep_until(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
