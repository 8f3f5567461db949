"""Sliding-window throttling with Teams' published Bot Connector limits.

Source: MicrosoftDocs/msteams-docs `msteams-platform/bots/how-to/rate-limit.md` (see shared docs/tech-stack.md §5.2).
Per bot per conversation ("thread"): send 7/1 s, 8/2 s, 60/30 s, 1800/3600 s; get members 14/1 s, 16/2 s,
120/30 s, 3600/3600 s. Per app per tenant: 30 requests per second.

A request that would exceed a window is refused with the number of seconds to wait (the `Retry-After` value).
A request that arrives for the same key before that wait is over is refused again and recorded as a violation.
Refused requests do not count towards the windows.
"""

from __future__ import annotations

import bisect
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

_EPSILON = 1e-6  # seconds; keeps float noise from rounding a 12 s wait up to 13


@dataclass(frozen=True)
class Window:
    seconds: float
    limit: int


@dataclass(frozen=True)
class Limits:
    send_per_conversation: tuple[Window, ...] = (Window(1, 7), Window(2, 8), Window(30, 60), Window(3600, 1800))
    read_per_conversation: tuple[Window, ...] = (Window(1, 14), Window(2, 16), Window(30, 120), Window(3600, 3600))
    per_tenant: tuple[Window, ...] = (Window(1, 30),)


TEAMS_LIMITS = Limits()


@dataclass(frozen=True)
class ThrottleViolation:
    """A request that arrived before the `Retry-After` it had been given was over."""

    key: str
    path: str
    arrived_at: float
    not_before: float


@dataclass
class ManualClock:
    """A clock for tests: call it for the time, `advance()` to move it on."""

    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class SlidingWindows:
    """Counts admitted requests per key; not thread-safe on its own (the connector holds a lock)."""

    clock: Callable[[], float]
    log: dict[str, list[float]] = field(default_factory=dict)
    not_before: dict[str, float] = field(default_factory=dict)
    violations: list[ThrottleViolation] = field(default_factory=list)

    def admit(self, buckets: list[tuple[str, tuple[Window, ...]]], path: str) -> int | None:
        """Count the request and return None, or return the whole seconds to wait before retrying."""
        now = self.clock()
        early = [(key, self.not_before[key]) for key, _ in buckets if self.not_before.get(key, -math.inf) > now]
        if early:
            for key, not_before in early:
                self.violations.append(ThrottleViolation(key, path, now, not_before))
                logger.info("throttle violation on %s: %.3f s early", key, not_before - now)
            return max(1, math.ceil(max(nb for _, nb in early) - now - _EPSILON))
        waits = {key: wait for key, windows in buckets if (wait := self._wait(key, windows, now)) > 0}
        if waits:
            retry_after = max(1, math.ceil(max(waits.values()) - _EPSILON))
            for key in waits:
                self.not_before[key] = now + retry_after
            return retry_after
        for key, _ in buckets:
            self.log.setdefault(key, []).append(now)
        return None

    def _wait(self, key: str, windows: tuple[Window, ...], now: float) -> float:
        stamps = self.log.get(key)
        if not stamps:
            return 0.0
        oldest_kept = bisect.bisect_right(stamps, now - max(w.seconds for w in windows))
        if oldest_kept:
            del stamps[:oldest_kept]
        wait = 0.0
        for window in windows:
            inside = len(stamps) - bisect.bisect_right(stamps, now - window.seconds)
            if inside >= window.limit:
                wait = max(wait, stamps[len(stamps) - window.limit] + window.seconds - now)
        return wait

    def reset(self) -> None:
        self.log.clear()
        self.not_before.clear()
        self.violations.clear()
