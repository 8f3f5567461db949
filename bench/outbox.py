"""The outbox: enqueueing a 10,000-recipient broadcast, and dispatcher throughput against an unlimited fake.

Run: .venv/bin/python -m bench.outbox [--postgres URL] [--recipients 10000]

Enqueue (target under 2 s): the outbox's bulk INSERT … ON CONFLICT DO NOTHING … RETURNING of N rows, the same again
(every key already there), and `/broadcast all "…"` end to end (audience resolution and enqueue, in the facilitator's
transaction), three times on an emptied outbox: first in the process, again, and again after ``gc.freeze()`` as
`aftercare serve` and `aftercare worker` do once started (bot/preload.py; the throughput half then runs frozen too,
as the worker does). Baseline: a plain executemany INSERT of the same N rows on the same engine.

Throughput (target at least 500 messages/s): the dispatcher sending those N rows to a fake platform with no limits,
running in its own process. Baseline: a bare aiohttp POST loop to the same fake at the same concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from sqlalchemy import delete, insert, update
from sqlalchemy.engine import make_url

from bot.clock import SimulatedClock, SystemClock
from bot.compose import assemble
from bot.delivery import Dispatcher, DispatchSettings
from bot.http_channel import HttpChannel
from bot.preload import freeze
from bot.runtime import Runtime
from handlers.broadcast_views import SEND_BUTTON, preview_label
from handlers.delivery_ports import MessageKind, OutboxMessage
from handlers.reply import Reply
from storage.delivery_models import DeliveryPayloadRow, DeliveryRow
from storage.migrate import upgrade
from storage.models import ParticipantRow, PlatformIdentityRow
from storage.programme_store import store_programme
from storage.repositories.outbox import SqlOutbox, payload_of
from tests.delivery.crash_worker import NoHolidays
from tests.delivery.fake_platform import running_apart
from tests.factories import FACILITATOR, make_programme_doc

ALWAYS = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "00:00"}
CONCURRENCY = 64


async def prepare(url: str, recipients: int) -> Runtime:
    runtime = assemble(url, clock=SimulatedClock(dt.datetime.now(dt.UTC)), secret=b"bench")
    doc = make_programme_doc()
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, doc, runtime.clock.now(), "Europe/London")
        extra = recipients - len(doc.participants)
        people = [
            {"programme_id": 1, "email": f"person{i:05d}@agency.example", "name": f"Person {i}", "agency": "KPOL",
             "team": "T-MIS", "roles": ["practitioner"], "timezone": "Europe/London", "working_pattern": ALWAYS,
             "region": "ENG", "job_title": "", "peers_opt_in": False}
            for i in range(extra)
        ]  # fmt: skip
        ids = (await session.execute(insert(ParticipantRow).returning(ParticipantRow.id), people)).scalars().all()
        identities = [
            {"participant_id": pid, "platform": "slack", "workspace": "T0BENCH01", "user_id": f"U{pid:08d}"}
            for pid in ids[::2]
        ]
        await session.execute(insert(PlatformIdentityRow), identities)
        await session.execute(update(ParticipantRow).values(working_pattern=ALWAYS))  # so the run never waits
    return runtime


def messages(recipients: int, prefix: str) -> list[OutboxMessage]:
    reply = Reply(text="Please read the updated protocol before Friday.", ephemeral=False)
    now = dt.datetime.now(dt.UTC)
    return [
        OutboxMessage(
            key=f"{prefix}:p{i}",
            programme_id=1,
            participant_id=None,
            platform="console",
            address=f"person{i:05d}@agency.example",
            kind=MessageKind.BROADCAST,
            reply=reply,
            not_before=now,
        )
        for i in range(recipients)
    ]


async def timed(work: Any) -> float:
    started = time.perf_counter()
    await work
    return time.perf_counter() - started


async def enqueue_figures(runtime: Runtime, recipients: int) -> list[tuple[str, float]]:
    batch = messages(recipients, "bench")
    digest, body = payload_of(batch[0].reply)
    rows = [
        {"key": f"raw:{i}", "programme_id": 1, "platform": "console", "address": m.address, "kind": "broadcast",
         "payload_hash": digest, "respect_window": True, "status": "pending", "attempts": 0,
         "not_before": m.not_before, "last_error": "", "in_doubt": False, "created_at": m.not_before}
        for i, m in enumerate(batch)
    ]  # fmt: skip

    async def raw() -> None:
        async with runtime.sessions() as session, session.begin():
            await session.execute(insert(DeliveryPayloadRow), [{"hash": digest, "body": body}])
            await session.execute(insert(DeliveryRow), rows)

    async def enqueue() -> None:
        async with runtime.sessions() as session, session.begin():
            assert len(await SqlOutbox(session).enqueue(batch)) in (0, recipients)

    figures = [("baseline: plain INSERT", await timed(raw()))]
    async with runtime.sessions() as session, session.begin():
        await session.execute(delete(DeliveryRow))
        await session.execute(delete(DeliveryPayloadRow))
    figures.append(("outbox enqueue (new keys)", await timed(enqueue())))
    figures.append(("outbox enqueue (all keys present)", await timed(enqueue())))
    await emptied(runtime)
    figures.append(("/broadcast all, confirmed, end to end", await timed(broadcast(runtime, recipients, "B1"))))
    # The same again in this process (warm), then with start-up's objects left out of garbage collection, as
    # `aftercare serve` and `aftercare worker` do once started (bot/preload.py freeze)
    await emptied(runtime)
    figures.append(("  the same again", await timed(broadcast(runtime, recipients, "B2"))))
    await emptied(runtime)
    freeze()
    figures.append(("  again, after gc.freeze (as serve)", await timed(broadcast(runtime, recipients, "B3"))))
    return figures


async def emptied(runtime: Runtime) -> None:
    async with runtime.sessions() as session, session.begin():
        await session.execute(delete(DeliveryRow))


async def broadcast(runtime: Runtime, recipients: int, label: str) -> None:
    draft = await runtime.say(FACILITATOR, '/broadcast all "Please read the updated protocol before Friday."')
    assert preview_label(draft) == label, draft.text  # previewed: the preview is part of the timed path
    sent = await runtime.press(FACILITATOR, SEND_BUTTON, label)
    assert sent.ok, sent.text
    assert f"{recipients:,} recipients" in sent.text, sent.text


async def throughput(runtime: Runtime, base_url: str, recipients: int) -> float:
    channel = HttpChannel(base_url, connections=CONCURRENCY)
    channels = {"console": channel, "slack": channel, "teams": channel}
    settings = DispatchSettings(concurrency=CONCURRENCY, poll=0.05)
    dispatcher = Dispatcher(runtime.sessions, channels, calendar=NoHolidays(), clock=SystemClock(), settings=settings)
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(dispatcher.run(stop))
    while dispatcher.sent < recipients:  # noqa: ASYNC110 - a benchmark watching a counter
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    stop.set()
    await task
    await channel.close()
    return recipients / elapsed


async def raw_http(base_url: str, requests: int) -> float:
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as client:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def post(i: int) -> None:
            async with gate, client.post(f"{base_url}/send", json={"key": f"raw:{i}", "address": "x"}) as response:
                assert response.status == 200

        started = time.perf_counter()
        await asyncio.gather(*(post(i) for i in range(requests)))
        return requests / (time.perf_counter() - started)


async def run(name: str, url: str, recipients: int) -> None:
    print(f"{name}: preparing {recipients:,} recipients")
    await asyncio.to_thread(upgrade, url)
    runtime = await prepare(url, recipients)
    try:
        print(f"\n{name}: enqueue {recipients:,} rows            seconds")
        for label, seconds in await enqueue_figures(runtime, recipients):
            print(f"  {label:<40} {seconds:7.3f}")
        with running_apart() as base_url:
            baseline = await raw_http(base_url, recipients)
            rate = await throughput(runtime, base_url, recipients)
        print(f"\n{name}: throughput to an unlimited fake    messages/s")
        print(f"  {'baseline: bare aiohttp POST loop':<40} {baseline:7.0f}")
        print(f"  {'dispatcher (claim, send, record)':<40} {rate:7.0f}")
    finally:
        await runtime.close()


async def admin(url: str, sql: str) -> None:
    parsed = make_url(url)
    conn = await asyncpg.connect(user=parsed.username or "postgres", host=parsed.host or "127.0.0.1",
                                 port=parsed.port or 5432, database=parsed.database or "postgres")  # fmt: skip
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("AFTERCARE_TEST_POSTGRES_URL"))
    parser.add_argument("--recipients", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        await run("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", args.recipients)
    if args.postgres:
        name = f"aftercare_bench_{uuid.uuid4().hex[:8]}"
        await admin(args.postgres, f'CREATE DATABASE "{name}"')
        try:
            print()
            url = make_url(args.postgres).set(database=name).render_as_string(False)
            await run("PostgreSQL", url, args.recipients)
        finally:
            await admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
