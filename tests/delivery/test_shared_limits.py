"""Acceptance: two and three real `aftercare worker` processes on one PostgreSQL database, sending to the fake Slack
Web API (in a process of its own), which enforces a per-workspace and a per-channel limit on chat.postMessage (429
with Retry-After; a call before that Retry-After has passed is recorded as a violation). Together they stay within
the limits (no 429, no violation, the combined pace at most the limit) and reach at least 95% of the pace that
binds; every message arrives exactly once and none is lost.

Before the pacing was shared (each worker pacing itself), N workers sent at N times the permitted pace and met 429s.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.delivery.replicas import deliver, enqueue, notices, rate_of, running_apart

# Issue 15 asks for at least 95% of the permitted pace, and that is what is asserted. The pacing keeps a 3% margin, so
# 97% is the most a saturated key reaches; a key of W sends per T seconds also runs at most at W / (T + L) when the
# platform's answers take L seconds (the price of never exceeding a window, however late sends travel), so on a
# machine starved of CPU, where answers and sends run late, a run can fall short without any fault in the pacing
# (docs/performance.md has the figures and the load they were measured under). The limit itself, no duplicates and
# nothing lost are exact whatever the load.
PACE_FLOOR = 0.95

pytestmark = [pytest.mark.replicas, pytest.mark.postgres]
TEAM = "T0LIMITS1"
TOKEN = f"xoxb-{TEAM}-fake"


@dataclass(frozen=True)
class Scenario:
    """``dms`` messages to different people (the workspace binds) and ``per_channel`` messages in each channel."""

    workspace_per_second: float
    dms: int
    channels: int
    per_channel: int


WORKSPACE_BINDS = Scenario(workspace_per_second=10.0, dms=150, channels=0, per_channel=0)
CHANNELS_BIND = Scenario(workspace_per_second=20.0, dms=0, channels=4, per_channel=20)


@dataclass(frozen=True)
class Post:
    text: str
    channel: str
    at: float
    status: int


def worker_env(url: str, base_url: str, scenario: Scenario) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "AFTERCARE_"))},
        "AFTERCARE_DATABASE_URL": url,
        "AFTERCARE_ANONYMITY_SECRET": "limits-test-anonymity-secret-of-32-bytes",
        "AFTERCARE_SLACK_WORKSPACE_PER_SECOND": str(scenario.workspace_per_second),
        "SLACK_SIGNING_SECRET": "limits-secret",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": base_url,
    }


def shares(scenario: Scenario, accepted: list[Post]) -> dict[str, float]:
    """The share of the permitted pace reached: by the workspace (DMs), or by each channel."""
    if scenario.dms:
        found = {"the workspace": rate_of([post.at for post in accepted]) / scenario.workspace_per_second}
    else:
        by_channel: dict[str, list[float]] = defaultdict(list)
        for post in accepted:
            by_channel[post.channel].append(post.at)
        found = {channel: rate_of(times) / 1.0 for channel, times in sorted(by_channel.items())}
        if os.environ.get("LIMITS_DEBUG"):
            for channel, times in sorted(by_channel.items()):
                print(f"  {channel} gaps:", " ".join(f"{b - a:.3f}" for a, b in itertools.pairwise(sorted(times))))
    for name, share in found.items():
        print(f"  {name}: {share:.1%} of its permitted pace")
    return found


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("scenario", [WORKSPACE_BINDS, CHANNELS_BIND], ids=["workspace", "channels"])
def test_workers_together_stay_within_slack_limits_at_95_percent(
    pg_url: str, tmp_path: Path, scenario: Scenario, workers: int
):
    addresses = [f"{TEAM}:U{n:05d}" for n in range(scenario.dms)]
    addresses += [f"{TEAM}:#c{c}" for _ in range(scenario.per_channel) for c in range(scenario.channels)]
    permitted = scenario.workspace_per_second if scenario.dms else scenario.channels * 1.0
    outbox = notices("slack", addresses, 2 * permitted)
    asyncio.run(enqueue(pg_url, outbox))
    config = {"team": TEAM, "token": TOKEN, "users": scenario.dms, "channels": scenario.channels,
              "workspace_per_second": scenario.workspace_per_second}  # fmt: skip
    with running_apart("tests.delivery.slack_apart", config, tmp_path) as fake:
        env = worker_env(pg_url, fake.contact["base_url"], scenario)
        counts = deliver(pg_url, [sys.executable, "-m", "bot", "worker"], env, workers, tmp_path)
    posts = [Post(**call) for call in fake.record["calls"]]
    accepted = [post for post in posts if post.status == 200]
    refused = [post for post in posts if post.status == 429]
    print(f"\n{workers} workers: {len(accepted)} sent, {len(refused)} refused with 429, {fake.record['violations']} "
          "sent before a Retry-After had passed")  # fmt: skip
    reached = shares(scenario, accepted)
    assert counts == Counter({"sent": len(outbox)}), "every message sent, none lost"
    assert Counter(post.text for post in accepted) == Counter(m.key for m in outbox)  # none twice
    assert fake.record["violations"] == 0
    assert not refused, f"{len(refused)} sends were refused with 429"
    for name, share in reached.items():
        assert PACE_FLOOR <= share <= 1.0, f"{name} got {share:.1%} of its permitted pace"
