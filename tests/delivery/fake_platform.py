"""A tiny fake messaging platform on loopback, speaking bot/http_channel.py's protocol, for delivery tests and bench.

``POST /send`` records ``{"key", "address"}`` (every call, so duplicates show), optionally after ``latency`` seconds,
and enforces token-bucket ``Rule``s per address (a channel) and per workspace (the part of the address before
":"). A call that finds a bucket empty gets 429 with a whole-second ``Retry-After``; a call for the same key before
that time has passed is refused again and counted as a violation. ``GET /sent?key=K`` says whether K arrived.
Addresses in ``refuse`` get 404 ``{"error": reason}`` (a permanent failure); ``failures`` queues statuses to answer
for an address (a 429 from there says Retry-After: 7).
"""

from __future__ import annotations

import asyncio
import json
import math
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass(frozen=True)
class Rule:
    scope: Literal["address", "workspace"]
    rate: float  # per second
    burst: float = 1.0
    prefix: str = ""  # applies only to addresses that start with this (e.g. one workspace)


@dataclass
class Received:
    key: str
    address: str
    at: float


@dataclass
class FakePlatform:
    rules: tuple[Rule, ...] = ()
    latency: float = 0.0
    refuse: dict[str, str] = field(default_factory=dict)
    failures: dict[str, list[int]] = field(default_factory=dict)  # statuses to answer next, per address
    received: list[Received] = field(default_factory=list)
    throttled: int = 0
    violations: int = 0
    refusals: list[tuple[str, str, float]] = field(default_factory=list)  # (rule scope, key, when)
    _buckets: dict[tuple[Rule, str], tuple[float, float]] = field(default_factory=dict)
    _retry_at: dict[tuple[Rule, str], float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(r.key for r in self.received)

    def admit(self, address: str, now: float) -> int | None:
        """None when the call may go ahead (tokens taken); else the Retry-After in whole seconds."""
        keys = [
            (rule, address if rule.scope == "address" else address.partition(":")[0])
            for rule in self.rules
            if address.startswith(rule.prefix)
        ]
        with self._lock:
            early = [self._retry_at[k] for k in keys if self._retry_at.get(k, 0.0) > now]
            if early:
                self.violations += 1
                self.throttled += 1
                return max(1, math.ceil(max(early) - now))
            levels = {k: self._level(k, now) for k in keys}
            waits = {k: (1.0 - level) / k[0].rate for k, level in levels.items() if level < 1.0}
            if waits:
                retry = max(1, math.ceil(max(waits.values())))
                for k in waits:
                    self._retry_at[k] = now + retry
                    self.refusals.append((k[0].scope, k[1], now))
                self.throttled += 1
                return retry
            for k, level in levels.items():
                self._buckets[k] = (level - 1.0, now)
        return None

    def _level(self, key: tuple[Rule, str], now: float) -> float:
        rule = key[0]
        level, updated = self._buckets.get(key, (rule.burst, now))
        return min(rule.burst, level + (now - updated) * rule.rate)

    def record(self, key: str, address: str) -> None:
        with self._lock:
            self.received.append(Received(key, address, time.monotonic()))

    def was_sent(self, key: str) -> bool:
        with self._lock:
            return any(r.key == key for r in self.received)


def app_for(fake: FakePlatform) -> Starlette:
    async def send(request: Request) -> JSONResponse:
        body = await request.json()
        address = str(body["address"])
        if fake.latency:
            await asyncio.sleep(fake.latency)
        if address in fake.refuse:
            return JSONResponse({"ok": False, "error": fake.refuse[address]}, status_code=404)
        if fake.failures.get(address):
            status = fake.failures[address].pop(0)
            headers = {"Retry-After": "7"} if status == 429 else {}
            return JSONResponse({"ok": False, "error": f"injected {status}"}, status_code=status, headers=headers)
        retry = fake.admit(address, time.monotonic())
        if retry is not None:
            return JSONResponse(
                {"ok": False, "error": "ratelimited"}, status_code=429, headers={"Retry-After": str(retry)}
            )
        fake.record(str(body["key"]), address)
        return JSONResponse({"ok": True})

    async def sent(request: Request) -> JSONResponse:
        return JSONResponse({"sent": fake.was_sent(request.query_params.get("key", ""))})

    async def stats(_request: Request) -> JSONResponse:
        received = [[r.key, r.address, r.at] for r in fake.received]
        return JSONResponse(
            {
                "received": received,
                "throttled": fake.throttled,
                "violations": fake.violations,
                "refusals": fake.refusals,
            }
        )

    return Starlette(routes=[Route("/send", send, methods=["POST"]), Route("/sent", sent), Route("/stats", stats)])


@contextmanager
def running(fake: FakePlatform) -> Iterator[str]:
    """Serve ``fake`` on 127.0.0.1 in a thread; yields its base URL."""
    config = uvicorn.Config(app_for(fake), host="127.0.0.1", port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the fake platform did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def running_apart(rules: tuple[Rule, ...] = (), latency: float = 0.0) -> Iterator[str]:
    """Serve a fake in its own process, so that its clock readings do not wait on this process's GIL."""
    config = json.dumps({"rules": [asdict(rule) for rule in rules], "latency": latency})
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.delivery.fake_platform", config],
        cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    try:
        yield child.stdout.readline().strip()
    finally:
        child.terminate()
        child.wait(timeout=10)
        child.stdout.close()


def fetch_stats(base_url: str) -> tuple[list[Received], int, int]:
    """What a fake running apart received: (messages, 429s given, violations)."""
    with urllib.request.urlopen(f"{base_url}/stats", timeout=10) as response:  # noqa: S310 - loopback only
        data = json.loads(response.read())
    return [Received(*item) for item in data["received"]], data["throttled"], data["violations"]


def serve_forever(config: str) -> None:
    settings = json.loads(config)
    fake = FakePlatform(rules=tuple(Rule(**rule) for rule in settings["rules"]), latency=settings["latency"])
    with running(fake) as base_url:
        print(base_url, flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        stop.wait()


if __name__ == "__main__":
    serve_forever(sys.argv[1])
