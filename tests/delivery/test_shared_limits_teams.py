"""Acceptance: two and three worker processes on one PostgreSQL database, sending to the fake Teams Bot Connector (in
a process of its own) which enforces Teams' published limits: 30 requests per second per tenant and 7/1 s, 8/2 s,
60/30 s, 1800/3600 s per conversation. Together they stay within the tenant's limit (no 429, no violation) and reach
at least 95% of it; every message arrives exactly once and none is lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import insert

from bot.compose import assemble
from storage.teams_models import TeamsConversationRefRow
from tests.delivery.replicas import deliver, enqueue, notices, rate_of, running_apart

# Issue 15 asks for at least 95% of the permitted pace, and that is what is asserted. The pacing keeps a 3% margin, so
# 97% is the most a saturated key reaches; a key of W sends per T seconds also runs at most at W / (T + L) when the
# platform's answers take L seconds (the price of never exceeding a window, however late sends travel), so on a
# machine starved of CPU, where answers and sends run late, a run can fall short without any fault in the pacing
# (docs/performance.md has the figures and the load they were measured under). The limit itself, no duplicates and
# nothing lost are exact whatever the load.
PACE_FLOOR = 0.95

pytestmark = [pytest.mark.replicas, pytest.mark.postgres]
RECIPIENTS = 600  # 20 seconds at 30 a second
TENANT_PER_SECOND = 30.0


async def store_chats(url: str, service_url: str, tenant: str, chats: dict[str, str]) -> None:
    """As if each person had installed the app: their 1:1 chat is known."""
    now = dt.datetime.now(dt.UTC)
    rows = [{"tenant_id": tenant, "conversation_id": chat, "service_url": service_url, "conversation_type": "personal",
             "aad_object_id": aad, "installed": True, "updated_at": now} for aad, chat in chats.items()]  # fmt: skip
    runtime = assemble(url, secret=b"limits")
    async with runtime.sessions() as session, session.begin():
        await session.execute(insert(TeamsConversationRefRow), rows)
    await runtime.close()


@pytest.mark.parametrize("workers", [2, 3])
def test_workers_together_stay_within_the_teams_tenant_limit_at_95_percent(pg_url: str, tmp_path: Path, workers: int):
    with running_apart("tests.delivery.teams_apart", {"users": RECIPIENTS}, tmp_path) as fake:
        tenant, service_url = fake.contact["tenant"], fake.contact["base_url"]
        outbox = notices("teams", [f"{tenant}:{aad}" for aad in fake.contact["chats"]], 2 * TENANT_PER_SECOND)
        asyncio.run(enqueue(pg_url, outbox))
        asyncio.run(store_chats(pg_url, service_url, tenant, fake.contact["chats"]))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "AFTERCARE_"))},
            "AFTERCARE_DATABASE_URL": pg_url,
            "AFTERCARE_ANONYMITY_SECRET": "limits-test-anonymity-secret-of-32-bytes",
        }
        command = [sys.executable, "-m", "tests.delivery.teams_worker", service_url, fake.contact["token"],
                   fake.contact["app_id"]]  # fmt: skip
        env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
        counts = deliver(pg_url, command, env, workers, tmp_path)
    sends = fake.record["sends"]
    share = rate_of([send["at"] for send in sends]) / TENANT_PER_SECOND
    print(f"\n{workers} workers: {len(sends)} sent, {fake.record['throttled']} refused with 429, "
          f"{fake.record['violations']} violations; the tenant got {share:.1%} of 30/s")  # fmt: skip
    assert counts == Counter({"sent": len(outbox)}), "every message sent, none lost"
    assert Counter(send["text"] for send in sends) == Counter(m.key for m in outbox)  # none twice
    assert fake.record["violations"] == 0
    assert fake.record["throttled"] == 0
    assert PACE_FLOOR <= share <= 1.0, f"the tenant got {share:.1%} of its permitted pace"
