"""Pacing shared by every replica on PostgreSQL, so that N workers together stay within each platform's limits.

Each platform key (a Slack workspace or channel, a Teams tenant or conversation window) has a row in
``rate_buckets`` holding when it is next free and the end of any Retry-After a platform gave for it. A send books
its keys with the database function ``aftercare_rate_book`` (migration 0013): the first time they are all free,
spaced by each key's spacing (with the margin), by the database's clock. A booking may lie ahead (up to
``max_wait``), and the replica sleeps until then; the sum over replicas never exceeds a key's pace because every
replica books on the same row.

When a narrow key (one channel or conversation) binds, booking every key at once would leave a guarded key (the
workspace or tenant, shared with the replica's other channels) idle while the send waits for its channel. So the
narrow keys alone are booked at their first free time, and the guarded keys just before that turn comes (a second
round trip). Every message waiting for a busy channel, on whichever replica, thus holds a turn of its own, and the
channel is booked back to back: no replica waits for a turn another has taken, and no turn is left unused because
the messages for it were asleep elsewhere.

Just before the send starts, ``aftercare_rate_start`` checks three things on every key, across replicas: the key's
previous send started at least the platform's spacing ago (half of it on a key of several sends a window, see
``start_spacing``); no Retry-After holds it; and the send a whole window back (30 sends back on a 30-a-second
tenant, one on a Slack channel) was answered at least the window's length ago. The platform saw that send by its
answer at the latest, so however late messages travel or queue, no window of the platform's length ever holds more
than its limit. The price: when answers are slow (L seconds), a key of W sends per T seconds runs at most at
W / (T + L). When that send is still in flight, the answer says on which key and when it is due to start
(migration 0014); one send of this replica at a time asks again about that key, from then.

Every call is one statement (a database function), run on its own as its own transaction: one round trip, and the
workspace's or tenant's row, which every send locks, is held only while the statement runs. (Before, each call was
BEGIN, the call and COMMIT after a pre-ping of three more; on a busy machine the row stayed locked while the answer
travelled back and the COMMIT came, the waiting sends asked every 20 ms, and a saturated tenant fell into a state of
long queues and late sends it did not leave: 78-92% of its pace with two and three replicas, docs/performance.md.)

The in-process ``RateLimiter`` still orders each replica's own sends first (so that a replica's tasks do not all
ask the database at once), and still notes 429s at once; a 429's Retry-After is also written to the shared row, so
that every replica holds back for that key from its next send. Its calendar keeps one slot per send: the turn the
database gave replaces the slot first taken here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.rate_limits import Pace, RateLimiter

logger = logging.getLogger(__name__)

BOOK = text(
    "SELECT wait, booked FROM aftercare_rate_book("
    "CAST(:keys AS text[]), CAST(:spacings AS double precision[]), CAST(:tolerances AS double precision[]), "
    "CAST(:guarded AS boolean[]), :earliest, :lookahead, :slack)"
)
START = text(
    "SELECT wait, slots FROM aftercare_rate_start(CAST(:keys AS text[]), CAST(:spacings AS double precision[]), "
    "CAST(:windows AS integer[]), CAST(:periods AS double precision[]), :timeout)"
)
ANSWERED = text("SELECT aftercare_rate_answered(CAST(:keys AS text[]), CAST(:slots AS bigint[]), :ago)")
BLOCK = text(
    "INSERT INTO rate_buckets (key, free_at, blocked_until, started_at) "
    "SELECT k, 0, extract(epoch FROM clock_timestamp()) + :seconds, 0 FROM unnest(CAST(:keys AS text[])) AS k "
    "ORDER BY k DESC ON CONFLICT (key) DO UPDATE SET blocked_until = greatest(rate_buckets.blocked_until, "
    "excluded.blocked_until)"
)
SWEEP = text(
    "DELETE FROM rate_buckets WHERE free_at < extract(epoch FROM clock_timestamp()) - 3600 "
    "AND blocked_until < extract(epoch FROM clock_timestamp())"
)
SLACK = 0.25  # of the smallest spacing of a send: how long a guarded key may sit idle for a narrow one
SWEEP_EVERY = 300.0  # seconds
RING = 64  # the most sends a key's ring remembers; longer windows are scaled down to this many at the same pace
IN_FLIGHT_POLL = 0.02  # seconds between asks while the send a window back is still in flight
GATES = 2  # sends of one replica asking aftercare_rate_start at once (the others queue here, not in the pool)
IN_FLIGHT_LIMIT = 30.0  # a send unanswered this long (its worker died) no longer holds its key
EARLY = 0.05  # seconds: a send whose channel's turn is booked wakes this much before it, to book the workspace


def window_of(pace: Pace) -> tuple[int, float]:
    """(sends, seconds): the pace as a window of at most RING sends, so 1800 an hour is 64 per 128 s."""
    sends = max(1, min(RING, int(pace.limit)))
    return sends, pace.per * sends / pace.limit


def start_spacing(pace: Pace, sends: int) -> float:
    """How far apart two sends on a key may start, whichever replicas they come from. On a key of one send a window
    (a Slack channel), the platform's spacing. On a key of a window of several sends (a workspace, a tenant), the
    window itself keeps every stretch of the platform's length within its limit (the send a window back answered a
    window ago), so the sends need only be kept from bunching: half the spacing, which lets a key catch up on turns
    lost to a pause (a busy machine, a slow answer) instead of running behind for the rest of a broadcast."""
    return pace.spacing(1.0) if sends == 1 else pace.spacing(0.5)


@dataclass(slots=True)
class Line:
    """This replica's sends waiting behind one key's send in flight: one asks the database at a time."""

    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    people: int = 0


@dataclass(frozen=True, slots=True)
class Booking:
    wait: float  # seconds from now until the booked time, or until the keys are free
    keys: tuple[str, ...]  # the keys booked at that time: all, only the narrow ones, or none (too far ahead)


def guarded(paces: Sequence[Pace]) -> list[bool]:
    """A key is guarded when another key of the same send is narrower (a channel within its workspace)."""
    keys = [pace.key for pace in paces]
    return [any(other.startswith(f"{key}:") for other in keys) for key in keys]


class SharedRateLimiter(RateLimiter):
    """The dispatcher's limiter on PostgreSQL: the in-process limiter, then a booking on the shared rows."""

    def __init__(self, engine: AsyncEngine, *, margin: float = 1.03, dispose: bool = False) -> None:
        """``dispose``: the engine is this limiter's own, closed with it."""
        super().__init__(margin=margin)
        self.engine = engine
        self._dispose = dispose
        # Each call is one statement (a database function): run alone, it is its own transaction, so it takes one
        # round trip instead of three (BEGIN, the call, COMMIT), and the rows it locks are freed as it ends rather
        # than after the answer has come back here and the COMMIT has gone out (on a busy machine, tens of
        # milliseconds for which every replica's sends would wait on the workspace's or tenant's row).
        self.db = engine.execution_options(isolation_level="AUTOCOMMIT")
        self.round_trips = 0
        self._rows_swept = time.monotonic()
        self._writes: set[asyncio.Task[None]] = set()
        self._gates = asyncio.Semaphore(GATES)
        self._slots: dict[int, list[int]] = {}  # each send's place in its keys' rings, from settle to finished
        self._lines: dict[str, Line] = {}  # per key with a send in flight, this replica's sends waiting behind it

    async def acquire(self, paces: Sequence[Pace], max_wait: float) -> float:
        """This replica's own turn first; then the shared booking (the channel's turn, then the workspace's when a
        busy channel binds), sleeping until it."""
        if not paces:
            return 0.0
        deadline = self.clock() + max_wait
        wait, slot = await self.queue(paces, max_wait)
        if wait > 0 or slot is None:
            return wait  # this replica's own queue is already longer than max_wait
        pending, turn = list(paces), self.clock()
        while True:
            now = self.clock()
            booking = await self.book(pending, max(0.0, deadline - now), earliest=turn - now)
            if booking is None or not booking.keys:
                self.release(pending, slot)
                # The database did not answer (hand the row back rather than risk the limit), or the first free time
                # is further away than max_wait.
                return 1.0 if booking is None else booking.wait
            turn = self.clock() + booking.wait
            # This replica's own calendar holds the turn the database gave, not the slot it first took here: one
            # place per send, so that its later sends are not kept back (or handed back) for turns nobody uses.
            booked = [pace for pace in pending if pace.key in booking.keys]
            self.release(booked, slot)
            self.take(booked, turn)
            pending = [pace for pace in pending if pace.key not in booking.keys]
            if not pending:
                if booking.wait > 0:
                    await asyncio.sleep(booking.wait)
                return 0.0
            deadline = max(deadline, turn + 1.0)  # a turn booked is a turn used: not handed back for a late clock
            await asyncio.sleep(max(0.0, booking.wait - EARLY))  # then book the workspace or tenant for that turn

    async def book(self, paces: Sequence[Pace], lookahead: float, earliest: float = 0.0) -> Booking | None:
        spacings = [pace.spacing(self.margin) for pace in paces]
        values = {
            "keys": [pace.key for pace in paces],
            "spacings": spacings,
            "tolerances": [(spacing - pace.spacing(1.0)) / 2 for spacing, pace in zip(spacings, paces, strict=True)],
            "guarded": guarded(paces),
            "earliest": earliest,
            "lookahead": lookahead,
            "slack": SLACK * min(spacings),
        }
        try:
            async with self.db.connect() as conn:
                row = (await conn.execute(BOOK, values)).one()
                await self._sweep_rows(conn)
        except Exception:
            logger.exception("could not book a send slot in the shared rate limits")
            return None
        self.round_trips += 1
        return Booking(float(row.wait), tuple(row.booked))

    async def settle(self, paces: Sequence[Pace]) -> None:
        """Just before the send: this replica's own spacing, then every replica's (aftercare_rate_start), which also
        waits until the send a whole window back has been answered that window ago."""
        await super().settle(paces)
        windows = [window_of(pace) for pace in paces]
        values = {
            "keys": [pace.key for pace in paces],
            "spacings": [start_spacing(pace, sends) for pace, (sends, _) in zip(paces, windows, strict=True)],
            "windows": [sends for sends, _ in windows],
            "periods": [seconds for _, seconds in windows],
            "timeout": IN_FLIGHT_LIMIT,
        }
        deadline = self.clock() + IN_FLIGHT_LIMIT
        line: str | None = None  # the key whose send in flight this one waits behind, in this replica's line for it
        try:
            while True:
                try:
                    async with self._gates, self.db.connect() as conn:
                        row = (await conn.execute(START, values)).one()
                except Exception:
                    logger.exception("could not check the shared rate limits before a send; waiting a second")
                    await asyncio.sleep(1.0)
                    return
                if row.wait >= 0 or self.clock() > deadline:
                    break
                # The send a window back on one key is still in flight. Only the first of this replica's sends
                # waiting for that key asks again (the others would only be told the same), once that send is due
                # to start (-wait, migration 0014), since it cannot be answered before; then every IN_FLIGHT_POLL.
                key = paces[row.slots[0] - 1].key if row.slots else None
                if key is not None and key != line:
                    self._leave(line)
                    line = None
                    waited = await self._join(key)
                    line = key
                    if waited:
                        continue  # the sends before it in the line have taken their turns: ask at once
                await asyncio.sleep(max(IN_FLIGHT_POLL, -row.wait))
        finally:
            self._leave(line)
        # Given up waiting for a send in flight (IN_FLIGHT_LIMIT): it goes without a place in the rings (the database
        # lets the next one go that long after an unanswered send too); the slots then name the key, not places.
        self._slots[id(paces)] = list(row.slots) if row.wait >= 0 else []
        if row.wait > 0:
            await asyncio.sleep(row.wait)

    async def _join(self, key: str) -> bool:
        """Wait to be first in this replica's line for ``key``; whether there was anyone before."""
        line = self._lines.setdefault(key, Line())
        line.people += 1
        waited = line.turn.locked()
        try:
            await line.turn.acquire()
        except BaseException:
            self._leave(key, holding=False)
            raise
        return waited

    def _leave(self, key: str | None, *, holding: bool = True) -> None:
        if key is None:
            return
        line = self._lines[key]
        if holding:
            line.turn.release()
        line.people -= 1
        if not line.people:
            del self._lines[key]

    def finished(self, paces: Sequence[Pace]) -> None:
        """The platform answered: every replica may count the window from now (in the background)."""
        super().finished(paces)
        slots = self._slots.pop(id(paces), None)
        if slots:
            values = {"keys": [pace.key for pace in paces], "slots": slots}
            self._write(ANSWERED, values, "could not share when a send was answered", answered=self.clock())

    def block(self, paces: Sequence[Pace], seconds: float) -> None:
        """Hold the keys here at once, and in the shared rows so that every other replica holds them too."""
        super().block(paces, seconds)
        values = {"keys": [pace.key for pace in paces], "seconds": seconds}
        self._write(BLOCK, values, "could not share a Retry-After with the other replicas")

    def _write(
        self, statement: TextClause, values: dict[str, object], failure: str, answered: float | None = None
    ) -> None:
        """In the background: the send's outcome does not wait for it."""
        task = asyncio.get_running_loop().create_task(self._execute(statement, values, failure, answered))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _execute(
        self, statement: TextClause, values: dict[str, object], failure: str, answered: float | None
    ) -> None:
        try:
            async with self.db.connect() as conn:
                if answered is not None:  # how long ago the platform answered, measured just before the call
                    values = {**values, "ago": self.clock() - answered}
                await conn.execute(statement, values)
        except Exception:
            logger.exception(failure)

    async def _sweep_rows(self, conn: AsyncConnection) -> None:
        now = time.monotonic()
        if now - self._rows_swept < SWEEP_EVERY:
            return
        self._rows_swept = now
        await conn.execute(SWEEP)

    async def close(self) -> None:
        """Wait for Retry-Afters still being written."""
        if self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)
        if self._dispose:
            await self.engine.dispose()
