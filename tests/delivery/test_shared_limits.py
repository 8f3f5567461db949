"""Acceptance: two and three real `aftercare worker` processes on one PostgreSQL database, sending to the fake Slack
Web API, which enforces a per-workspace and a per-channel limit on chat.postMessage (429 with Retry-After, and a
call before that Retry-After is recorded as a violation). Together they stay within the limits (no 429, no
violation, the combined pace at most the limit) and reach at least 95% of it; every message arrives exactly once.

Before the limits were shared (each worker pacing itself), N workers sent N times the permitted pace and met 429s.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import os
import signal
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.delivery_runtime import DeliveryRuntime
from handlers.delivery_ports import MessageKind, OutboxMessage
from handlers.reply import Reply
from storage.db import create_engine
from storage.programme_store import store_programme
from storage.repositories.outbox import SqlOutbox
from tests.conftest import START
from tests.factories import make_programme_doc

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
TEAM = "T0LIMITS1"
TOKEN = f"xoxb-{TEAM}-fake"
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Scenario:
    """``dms`` messages to different people (the workspace binds) and ``per_channel`` messages in each channel."""

    workspace_per_second: float
    dms: int
    channels: int
    per_channel: int


WORKSPACE_BINDS = Scenario(workspace_per_second=10.0, dms=140, channels=0, per_channel=0)
CHANNELS_BIND = Scenario(workspace_per_second=20.0, dms=0, channels=4, per_channel=20)


@dataclass(frozen=True)
class Post:
    text: str
    channel: str
    at: float
    status: int


@dataclass
class FakeSlack:
    base_url: str
    posts: list[Post]
    violations: int


@contextmanager
def fake_slack(scenario: Scenario, folder: Path) -> Iterator[FakeSlack]:
    """The fake Slack Web API in its own process (tests/delivery/slack_apart.py); its record once it has stopped."""
    config = {"team": TEAM, "token": TOKEN, "users": scenario.dms, "channels": scenario.channels,
              "workspace_per_second": scenario.workspace_per_second}  # fmt: skip
    result = folder / "slack.json"
    command = [sys.executable, "-m", "tests.delivery.slack_apart", json.dumps(config), str(result)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    fake = FakeSlack(child.stdout.readline().strip(), [], 0)
    try:
        yield fake
    finally:
        child.terminate()
        child.wait(timeout=30)
        child.stdout.close()
    record = json.loads(result.read_text())
    fake.posts = [Post(**call) for call in record["calls"]]
    fake.violations = record["violations"]


def messages(scenario: Scenario) -> list[OutboxMessage]:
    addresses = [f"{TEAM}:U{n:05d}" for n in range(scenario.dms)]
    addresses += [f"{TEAM}:#c{c}" for c in range(scenario.channels) for _ in range(scenario.per_channel)]
    now = dt.datetime.now(dt.UTC)
    return [
        OutboxMessage(
            key=f"limits:{n}",
            programme_id=1,
            participant_id=None,
            platform="slack",
            address=address,
            kind=MessageKind.NOTICE,
            reply=Reply(text=f"limits:{n}"),
            not_before=now,
            respect_window=False,
        )
        for n, address in enumerate(addresses)
    ]


async def enqueue(url: str, outbox: list[OutboxMessage]) -> None:
    runtime = DeliveryRuntime(url, secret=b"limits")
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), START, "Europe/London")
        await SqlOutbox(session).enqueue(outbox)
    await runtime.close()


async def wait_until_sent(url: str, total: int, workers: list[subprocess.Popen[bytes]]) -> Counter[str]:
    """Look once a second (one connection, so that the test process stays quiet) for up to two minutes."""
    engine = create_engine(url, pooled=False)
    try:
        async with engine.connect() as conn:
            for _ in range(120):
                await asyncio.sleep(1.0)
                rows = (await conn.execute(text("SELECT status, count(*) FROM deliveries GROUP BY status"))).all()
                await conn.commit()
                counts = Counter({str(status): int(count) for status, count in rows})
                if counts["sent"] + counts["dead"] >= total:
                    break
                assert all(worker.poll() is None for worker in workers), "a worker stopped early"
    finally:
        await engine.dispose()
    return counts


def start_workers(
    url: str, fake: FakeSlack, scenario: Scenario, count: int, folder: Path
) -> list[subprocess.Popen[bytes]]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "AFTERCARE_"))},
        "AFTERCARE_DATABASE_URL": url,
        "AFTERCARE_ANONYMITY_SECRET": "limits-test",
        "AFTERCARE_SLACK_WORKSPACE_PER_SECOND": str(scenario.workspace_per_second),
        "SLACK_SIGNING_SECRET": "limits-secret",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": fake.base_url,
    }
    workers = []
    for n in range(count):
        with (folder / f"worker{n}.log").open("wb") as log:  # the worker keeps its own copy of the file
            command = [sys.executable, "-m", "bot", "worker"]
            workers.append(subprocess.Popen(command, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT))
    return workers


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def deliver(url: str, fake: FakeSlack, scenario: Scenario, count: int, folder: Path) -> Counter[str]:
    """Run ``count`` workers until the outbox is empty (or two minutes pass); the final statuses."""
    total = scenario.dms + scenario.channels * scenario.per_channel
    workers = start_workers(url, fake, scenario, count, folder)
    try:
        asyncio.run(wait_until_sent(url, total, workers))
    finally:
        stop(workers)
    return asyncio.run(wait_until_sent(url, 0, []))


def rate_of(times: list[float]) -> float:
    times = sorted(times)
    return (len(times) - 1) / (times[-1] - times[0])


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("scenario", [WORKSPACE_BINDS, CHANNELS_BIND], ids=["workspace", "channels"])
def test_workers_together_stay_within_slack_limits_at_95_percent(
    pg_url: str, tmp_path: Path, scenario: Scenario, workers: int
):
    outbox = messages(scenario)
    asyncio.run(enqueue(pg_url, outbox))
    with fake_slack(scenario, tmp_path) as fake:
        counts = deliver(pg_url, fake, scenario, workers, tmp_path)
    accepted = [post for post in fake.posts if post.status == 200]
    refused = [post for post in fake.posts if post.status == 429]
    print(f"\n{workers} workers: {len(accepted)} sent, {len(refused)} refused with 429, {fake.violations} violations")
    shares = paces_reached(scenario, accepted)
    assert counts == Counter({"sent": len(outbox)}), "every message sent, none lost"
    assert Counter(post.text for post in accepted) == Counter(m.key for m in outbox)  # none twice
    assert fake.violations == 0
    assert not refused, f"{len(refused)} sends were refused with 429"
    for name, share in shares.items():
        assert 0.95 <= share <= 1.0, f"{name} got {share:.1%} of its permitted pace"


def paces_reached(scenario: Scenario, accepted: list[Post]) -> dict[str, float]:
    """The share of the permitted pace reached: by the workspace (DMs), or by each channel."""
    if scenario.dms:
        shares = {"the workspace": rate_of([call.at for call in accepted]) / scenario.workspace_per_second}
    else:
        by_channel: dict[str, list[float]] = defaultdict(list)
        for call in accepted:
            by_channel[call.channel].append(call.at)
        shares = {channel: rate_of(times) / 1.0 for channel, times in sorted(by_channel.items())}
        if os.environ.get("LIMITS_DEBUG"):
            for channel, times in sorted(by_channel.items()):
                print(f"  {channel} gaps:", " ".join(f"{b - a:.3f}" for a, b in itertools.pairwise(sorted(times))))
    for name, share in shares.items():
        print(f"  {name}: {share:.1%} of its permitted pace")
    return shares
