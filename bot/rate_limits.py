"""Pacing per platform key, so that we stay inside each platform's published limits instead of meeting 429s.

A ``Pace`` says "at most ``limit`` sends per ``per`` seconds for this key". The limiter spaces sends for a key at
least ``per * margin / limit`` apart (a GCRA with no burst). That keeps every sliding window of ``per`` seconds at
or below ``limit`` (31 sends span more than a second at 30/s), which also satisfies a token bucket of that rate,
with a small margin (3% by default) for network jitter. A send waits for every key it touches: Slack pays a
per-channel pace and a per-workspace pace; Teams a per-conversation and a per-tenant pace. A 429 with
Retry-After blocks the keys of that send until the time has passed.

The paces are settings (``PaceSettings``, from the environment). On PostgreSQL every replica books its sends
through the shared state in bot/shared_limits.py, so that the sum over replicas stays within the limits; this
in-process limiter then only orders each replica's own sends.

Published limits (shared/docs/tech-stack.md §5): Slack chat.postMessage about 1 per second per channel, plus a
workspace-wide cap with no published number (start conservatively, configurable); Teams 7/1 s, 8/2 s, 60/30 s and
1800/3600 s per conversation, and 30 requests per second per app per tenant.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.settings import PaceSettings

logger = logging.getLogger(__name__)

TEAMS_CONVERSATION_WINDOWS = ((8, 2.0), (60, 30.0), (1800, 3600.0))  # beyond the per-second one; published
SLOW_KEY = 0.5  # seconds between sends, at or above which the next send is timed from the previous answer


@dataclass(frozen=True, slots=True)
class Pace:
    key: str
    limit: float
    per: float = 1.0

    def spacing(self, margin: float) -> float:
        return self.per * margin / self.limit


def slack_paces(address: str, settings: PaceSettings | None = None) -> list[Pace]:
    """``TEAM:USER`` or ``TEAM:#channel``: the channel's pace and the workspace's."""
    settings = settings or PaceSettings()
    team, _, channel = address.partition(":")
    return [
        Pace(f"slack:{team}", settings.slack_workspace_per_second),
        Pace(f"slack:{team}:{channel}", settings.slack_channel_per_second),
    ]


def teams_paces(address: str, settings: PaceSettings | None = None) -> list[Pace]:
    """``TENANT:CONVERSATION-OR-USER``: the tenant's 30 requests per second and each per-conversation window."""
    settings = settings or PaceSettings()
    tenant, _, conversation = address.partition(":")
    windows = ((settings.teams_conversation_per_second, 1.0), *TEAMS_CONVERSATION_WINDOWS)
    paces = [Pace(f"teams:{tenant}", settings.teams_tenant_per_second)]
    paces += [Pace(f"teams:{tenant}:{conversation}:{per:g}s", limit, per) for limit, per in windows]
    return paces


class RateLimiter:
    """Booked send times per key. Single event loop; not thread-safe.

    ``acquire`` books the earliest time, from now, that is at least one spacing away from every other booking on
    each of the send's keys (so a gap left by one channel can be used by another), sleeps until then, and returns
    0.0. When that time is more than ``max_wait`` away it books nothing and returns how long the message should wait
    before coming back: after the messages already handed back for the same keys have had their turns (each key
    serving its queue at its own pace), so that they return in turn rather than all at once. The estimate errs
    early, never late: a message that comes back too soon simply waits for its slot.
    """

    def __init__(self, *, margin: float = 1.03, clock: Callable[[], float] = time.monotonic) -> None:
        if margin < 1.0:
            raise ValueError("The margin must be at least 1.0.")
        self.margin = margin
        self.clock = clock
        self._booked: dict[str, list[float]] = {}
        self._promised: dict[str, list[float]] = {}  # per key, when the messages handed back are due to return
        self._blocked: dict[str, float] = {}
        self._last: dict[str, float] = {}  # when the latest send on each key actually started
        self._swept = clock()

    async def acquire(self, paces: Sequence[Pace], max_wait: float) -> float:
        wait, _slot = await self.queue(paces, max_wait)
        return wait

    async def queue(self, paces: Sequence[Pace], max_wait: float) -> tuple[float, float | None]:
        """As ``acquire``, with the slot booked here (a clock reading; None when nothing was booked)."""
        while True:
            slot = self.reserve(paces, max_wait)
            now = self.clock()
            if slot is None or slot < 0:
                return (-slot if slot is not None else 0.0), None
            if slot > now:
                await asyncio.sleep(slot - now)
            if not self._blocked_at(paces, self.clock()):  # a 429 may have come in while we slept
                return 0.0, slot

    async def settle(self, paces: Sequence[Pace]) -> None:
        """Just before a send starts: if an earlier send on a key started late (a busy event loop, a queue for a
        connection), wait until it is the platform's spacing behind, so that lateness never squeezes two sends
        closer than the platform allows. The margin is not added here, so a little lateness is absorbed rather than
        carried forward into every later send."""
        while True:
            now = self.clock()
            ready = [now]
            for pace in paces:
                ready.append(self._blocked.get(pace.key, now))
                if pace.key in self._last:
                    ready.append(self._last[pace.key] + pace.spacing(1.0))  # the platform's own minimum, no margin
            if max(ready) <= now:
                for pace in paces:
                    self._last[pace.key] = now
                return
            await asyncio.sleep(max(ready) - now)

    def finished(self, paces: Sequence[Pace]) -> None:
        """After the platform answered: on slow keys (a second or so apart, such as one Slack channel), count the next
        spacing from the answer, since the platform may have seen the message as late as that; it costs a few
        milliseconds there and rules out a 429 from a message that was slow to arrive."""
        now = self.clock()
        for pace in paces:
            if pace.spacing(self.margin) >= SLOW_KEY:
                self._last[pace.key] = max(self._last.get(pace.key, now), now)

    async def close(self) -> None:
        """Nothing to finish in process (the shared limiter finishes its writes)."""
        return None

    def reserve(self, paces: Sequence[Pace], max_wait: float) -> float | None:
        """The booked send time (a clock reading); None when there are no keys; minus the wait when too far."""
        if not paces:
            return None
        now = self.clock()
        self._sweep(now)
        at = self._earliest(paces, now)
        if at - now <= max_wait:
            for pace in paces:
                bisect.insort(self._booked.setdefault(pace.key, []), at)
            return at
        return -(self._promise(paces, at, now) - now)

    def _promise(self, paces: Sequence[Pace], earliest: float, now: float) -> float:
        """Each key serves the messages already handed back, from its own first free time, at its own pace."""
        times = [earliest]
        for pace in paces:
            queue = self._promised.setdefault(pace.key, [])
            del queue[: bisect.bisect_right(queue, now)]
            own = self._earliest([pace], now)
            waiting = len(queue) - bisect.bisect_left(queue, own)
            times.append(own + waiting * pace.spacing(self.margin))
        at = max(times)
        for pace in paces:
            bisect.insort(self._promised[pace.key], at)
        return at

    def block(self, paces: Sequence[Pace], seconds: float) -> None:
        """A platform said "retry after ``seconds``": nothing goes to these keys before then."""
        self.hold(paces, seconds)
        logger.info("rate limited: holding %d key(s) for %.1f s", len(paces), seconds)

    def take(self, paces: Sequence[Pace], at: float) -> None:
        """Book ``at`` (a clock reading) on these keys, as decided elsewhere (the shared limiter's booking)."""
        for pace in paces:
            bisect.insort(self._booked.setdefault(pace.key, []), at)

    def release(self, paces: Sequence[Pace], at: float) -> None:
        """Free the slot ``at`` booked here on these keys (the send took another, or none)."""
        for pace in paces:
            times = self._booked.get(pace.key, [])
            index = bisect.bisect_left(times, at)
            if index < len(times) and times[index] == at:
                del times[index]

    def hold(self, paces: Sequence[Pace], seconds: float) -> None:
        """Nothing goes to these keys for ``seconds`` (a 429, or another replica has booked them until then)."""
        until = self.clock() + seconds
        for pace in paces:
            self._blocked[pace.key] = max(self._blocked.get(pace.key, until), until)

    def _earliest(self, paces: Sequence[Pace], now: float) -> float:
        """The first time from now that is free on every key; it is now, a block's end or a booking's end."""
        candidates = {now}
        latest = now
        for pace in paces:
            spacing = pace.spacing(self.margin)
            blocked = self._blocked.get(pace.key, now)
            times = self._booked.get(pace.key, [])
            del times[: bisect.bisect_left(times, now - spacing)]  # too old to matter any more
            candidates.add(blocked)
            # Only a booking followed by a gap of two spacings leaves a time free on this key just after it (in a
            # full calendar, only the last one): every other candidate would be tried and refused, which costs
            # hundreds of tries per send when a replica claims hundreds of messages at once.
            gap = 2 * spacing - 1e-9
            candidates.update(t + spacing for t, after in itertools.pairwise(times) if after - t >= gap)
            latest = max(latest, blocked, times[-1] + spacing if times else now)
        for at in sorted(c for c in candidates | {latest} if c >= now):
            if all(self._free(pace, at) for pace in paces):
                return at
        raise AssertionError("the latest candidate is always free")  # pragma: no cover

    def _free(self, pace: Pace, at: float) -> bool:
        if at < self._blocked.get(pace.key, at):
            return False
        spacing = pace.spacing(self.margin) - 1e-9
        times = self._booked.get(pace.key, [])
        index = bisect.bisect_left(times, at)
        before_ok = index == 0 or at - times[index - 1] >= spacing
        after_ok = index == len(times) or times[index] - at >= spacing
        return before_ok and after_ok

    def _blocked_at(self, paces: Sequence[Pace], now: float) -> bool:
        return any(self._blocked.get(pace.key, now) > now for pace in paces)

    def _sweep(self, now: float) -> None:
        """Forget keys with nothing booked in the last hour (one key per recipient must not grow without end)."""
        if now - self._swept < 60:
            return
        horizon = now - 3600
        for calendar in (self._booked, self._promised):
            for key in [k for k, times in calendar.items() if not times or times[-1] <= horizon]:
                del calendar[key]
        self._blocked = {key: until for key, until in self._blocked.items() if until > now}
        self._last = {key: at for key, at in self._last.items() if at > horizon}
        self._swept = now
