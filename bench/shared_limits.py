"""The shared pacing of bot/shared_limits.py on PostgreSQL: the pace one replica reaches on a Teams tenant (30 a
second) when the platform answers after L seconds, against the in-process limiter (bot/rate_limits.py, no database)
in the same run, with the same sends (one per conversation, 64 at a time, 300 of them).

Run: .venv/bin/python -m bench.shared_limits [--postgres URL] [--sends 300] [--latency 0.005 0.1]
(``--postgres`` defaults to AFTERCARE_TEST_POSTGRES_URL; a database is made and dropped.)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid

from sqlalchemy.engine import make_url

from bot.rate_limits import RateLimiter, teams_paces
from bot.settings import PaceSettings
from bot.shared_limits import SharedRateLimiter
from storage.db import create_engine
from storage.migrate import upgrade
from tests.conftest import _admin


async def one(limiter: RateLimiter, n: int, latency: float, sent: list[float]) -> None:
    paces = teams_paces(f"tenant:conversation{n}", PaceSettings())
    if await limiter.acquire(paces, 10.0) > 0:
        return
    await limiter.settle(paces)
    await asyncio.sleep(latency)  # the platform's answer
    limiter.finished(paces)
    sent.append(time.monotonic())


async def pace(limiter: RateLimiter, sends: int, latency: float) -> float:
    sent: list[float] = []
    concurrency = asyncio.Semaphore(64)

    async def run(n: int) -> None:
        async with concurrency:
            await one(limiter, n, latency, sent)

    await asyncio.gather(*(run(n) for n in range(sends)))
    await limiter.close()
    sent.sort()
    return (len(sent) - 1) / (sent[-1] - sent[0])


async def measure(url: str, sends: int, latencies: list[float]) -> None:
    print(f"Teams tenant, 30/s permitted, {sends} sends, 64 at a time   sends/s   share")
    for latency in latencies:
        local = await pace(RateLimiter(), sends, latency)
        engine = create_engine(url)
        shared = await pace(SharedRateLimiter(engine), sends, latency)
        await engine.dispose()
        print(f"  answer after {latency * 1000:5.0f} ms: in-process (baseline)   {local:6.1f}   {local / 30:6.1%}")
        print(f"  answer after {latency * 1000:5.0f} ms: shared on PostgreSQL    {shared:6.1f}   {shared / 30:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default=os.environ.get("AFTERCARE_TEST_POSTGRES_URL"))
    parser.add_argument("--sends", type=int, default=300)
    parser.add_argument("--latency", type=float, nargs="+", default=[0.005, 0.1])
    args = parser.parse_args()
    if not args.postgres:
        parser.error("give --postgres URL (or set AFTERCARE_TEST_POSTGRES_URL)")
    name = f"aftercare_bench_limits_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{name}"'))
    url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        asyncio.run(measure(url, args.sends, args.latency))
    finally:
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
