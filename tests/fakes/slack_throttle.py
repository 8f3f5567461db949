"""Rate limiting and injected failures for the fake Slack Web API.

Each `RateRule` is a token bucket per key (a workspace, or a workspace and channel): it holds `burst` calls
(default `limit`) and refills at `limit / per_seconds` calls a second. A call that finds the bucket empty gets
HTTP 429 with `Retry-After` (whole seconds, at least 1) and `{"ok": false, "error": "ratelimited"}`. A call for
the same key that arrives before that Retry-After has elapsed is refused again and recorded as a `Violation`,
so tests can assert that a sender honours Retry-After ("no sustained violation").

`Failure` is a canned answer for the next call(s) of a method: a 5xx, a 429, or an `{"ok": false}` error.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

logger = logging.getLogger(__name__)

Scope = Literal["channel", "team"]


@dataclass(frozen=True)
class RateRule:
    """At most `limit` calls of `method` per `per_seconds` for each team (or team and channel)."""

    method: str
    scope: Scope
    limit: int
    per_seconds: float
    burst: int | None = None

    @property
    def capacity(self) -> float:
        return float(self.burst if self.burst is not None else self.limit)

    @property
    def rate(self) -> float:
        return self.limit / self.per_seconds


@dataclass(frozen=True)
class Violation:
    """A call that came before the Retry-After of an earlier 429 for the same key had elapsed."""

    method: str
    key: tuple[str, ...]
    at: float
    retry_at: float


@dataclass(frozen=True)
class Failure:
    """One injected answer: HTTP `status` with `error`, and `Retry-After` when status is 429."""

    status: int
    error: str
    retry_after: int | None = None


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class Throttle:
    """Token buckets, pending Retry-After deadlines and injected failures. Not thread-safe on its own."""

    rules: list[RateRule] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    _buckets: dict[tuple[str, ...], _Bucket] = field(default_factory=dict)
    _retry_at: dict[tuple[str, ...], float] = field(default_factory=dict)
    _failures: dict[str, deque[Failure]] = field(default_factory=dict)

    def add_failures(self, method: str, failure: Failure, times: int) -> None:
        self._failures.setdefault(method, deque()).extend([failure] * times)

    def next_failure(self, method: str, now: float) -> Failure | None:
        """Pop the next injected failure for `method` (or for "*"), noting its Retry-After."""
        for name in (method, "*"):
            queue = self._failures.get(name)
            if queue:
                failure = queue.popleft()
                if failure.retry_after is not None:
                    self._retry_at[("injected", method)] = now + failure.retry_after
                return failure
        return None

    def check(self, method: str, team_id: str, channel: str | None, now: float) -> int | None:
        """Return a Retry-After in seconds if this call must be refused, else take one token from each bucket."""
        premature = self._premature(method, team_id, channel, now)
        if premature is not None:
            return premature
        pairs = [(rule, key) for rule in self.rules if (key := _key(rule, method, team_id, channel)) is not None]
        waits = {
            key: max(1, math.ceil((1.0 - bucket.tokens) / rule.rate))
            for rule, key in pairs
            if (bucket := self._refill(rule, key, now)).tokens < 1.0
        }
        if waits:
            for key, wait in waits.items():
                self._retry_at[key] = now + wait
            return max(waits.values())
        for _, key in pairs:
            self._buckets[key].tokens -= 1.0
        return None

    def _premature(self, method: str, team_id: str, channel: str | None, now: float) -> int | None:
        keys: list[tuple[str, ...]] = [("injected", method)]
        keys += [key for rule in self.rules if (key := _key(rule, method, team_id, channel)) is not None]
        for key in keys:
            retry_at = self._retry_at.get(key)
            if retry_at is not None and now < retry_at:
                self.violations.append(Violation(method=method, key=key, at=now, retry_at=retry_at))
                return max(1, math.ceil(retry_at - now))
        return None

    def _refill(self, rule: RateRule, key: tuple[str, ...], now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=rule.capacity, updated=now)
        bucket.tokens = min(rule.capacity, bucket.tokens + (now - bucket.updated) * rule.rate)
        bucket.updated = now
        return bucket


def _key(rule: RateRule, method: str, team_id: str, channel: str | None) -> tuple[str, ...] | None:
    if rule.method != method:
        return None
    if rule.scope == "team":
        return (rule.method, rule.scope, str(rule.limit), team_id)
    if channel is None:
        return None
    return (rule.method, rule.scope, str(rule.limit), team_id, channel)
