"""Acceptance: against a fake enforcing 1 message/s per channel and a workspace cap (429 + Retry-After), the
dispatcher never keeps hitting the limit and reaches at least 95% of the permitted rate."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import defaultdict

import pytest

from bot.delivery import Dispatcher, DispatchSettings
from bot.http_channel import HttpChannel
from bot.rate_limits import RateLimiter, slack_paces
from bot.runtime import Runtime
from bot.settings import PaceSettings
from handlers.delivery_ports import MessageKind, OutboxMessage, Recipient
from handlers.reply import Reply
from storage.repositories.outbox import SqlOutbox
from tests.delivery.crash_worker import NoHolidays
from tests.delivery.fake_platform import Received, Rule, fetch_stats, running_apart

pytestmark = pytest.mark.slow
RUN = 12.0  # seconds
# Workspace TA: 12 channels under an 8/s cap, so the workspace binds. TB: 3 channels under a 20/s cap: channels bind.
WORKSPACES = {"TA": (12, 8.0), "TB": (3, 20.0)}


def rules() -> tuple[Rule, ...]:
    per_workspace = tuple(Rule("workspace", cap, burst=cap, prefix=f"{ws}:") for ws, (_, cap) in WORKSPACES.items())
    return (Rule("address", 1.0, burst=1.0), *per_workspace)


def permitted(workspace: str) -> float:
    channels, cap = WORKSPACES[workspace]
    return min(cap, channels * 1.0)


def rate_of(received: list[Received]) -> float:
    """Sends per second from the first to the last: exact for evenly spaced sends."""
    times = sorted(r.at for r in received)
    return (len(times) - 1) / (times[-1] - times[0])


def achieved(received: list[Received], workspace: str) -> float:
    """The rate reached under the limit that binds: the workspace's, or each channel's (summed)."""
    channels, cap = WORKSPACES[workspace]
    if cap <= channels:
        return rate_of(received)
    by_channel: dict[str, list[Received]] = defaultdict(list)
    for r in received:
        by_channel[r.address].append(r)
    return sum(rate_of(sent) for sent in by_channel.values())


async def test_paced_sends_stay_within_limits_at_95_percent(sqlite_delivery: Runtime):
    now = dt.datetime.now(dt.UTC)
    reply = Reply(text="Hello")
    messages = [
        OutboxMessage(
            key=f"rate:{ws}:{c}:{n}",
            programme_id=1,
            participant_id=None,
            platform="slack",
            address=f"{ws}:C{c:02d}",
            kind=MessageKind.NOTICE,
            reply=reply,
            not_before=now,
            respect_window=False,
        )
        for ws, (channels, cap) in WORKSPACES.items()
        for c in range(channels)
        for n in range(int(RUN * cap / channels) + 4)
    ]
    async with sqlite_delivery.sessions() as session, session.begin():
        await SqlOutbox(session).enqueue(messages)
    with running_apart(rules()) as base_url:
        settings = {ws: PaceSettings(slack_workspace_per_second=cap) for ws, (_, cap) in WORKSPACES.items()}

        def paces(recipient: Recipient):
            return slack_paces(recipient.address, settings[recipient.address.partition(":")[0]])

        channel = HttpChannel(base_url, platform="slack", paces=paces)
        dispatcher = Dispatcher(
            sqlite_delivery.sessions,
            {"slack": channel},
            calendar=NoHolidays(),
            clock=SystemClockForTest(),
            settings=DispatchSettings(poll=0.1),
            limiter=RateLimiter(),
        )
        stop = asyncio.Event()
        running_task = asyncio.create_task(dispatcher.run(stop))
        await asyncio.sleep(RUN)
        stopped = time.monotonic()
        stop.set()
        await running_task
        await channel.close()
        received, throttled, violations = fetch_stats(base_url)
    by_workspace: dict[str, list[Received]] = defaultdict(list)
    for message in received:
        if message.at <= stopped:  # the run itself, not the tail of sends already under way at the stop
            by_workspace[message.address.partition(":")[0]].append(message)
    assert violations == 0  # nothing was sent before a Retry-After had passed
    assert throttled <= 2  # and 429s were at most a blip, not a pattern
    for workspace in WORKSPACES:
        share = achieved(by_workspace[workspace], workspace) / permitted(workspace)
        assert 0.95 <= share <= 1.0, f"{workspace}: {share:.1%} of the permitted rate"


class SystemClockForTest:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)
