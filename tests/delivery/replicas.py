"""Helpers for tests that run several worker processes on one PostgreSQL database against a fake kept apart.

A fake "apart" is ``python -m MODULE CONFIG_JSON RESULT_PATH`` in its own process (so that its clock readings never
wait on the test's GIL): it prints one line of JSON (how to reach it) and, on SIGTERM, writes what it saw to
RESULT_PATH as JSON.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bot.compose import assemble
from handlers.delivery_ports import MessageKind, OutboxMessage
from handlers.reply import Reply
from storage.db import create_engine
from storage.programme_store import store_programme
from storage.repositories.outbox import SqlOutbox
from tests.conftest import START
from tests.factories import make_programme_doc

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Apart:
    contact: dict[str, Any]  # what the fake printed when it started
    record: dict[str, Any] = field(default_factory=dict)  # what it wrote when it stopped


@contextmanager
def running_apart(module: str, config: Mapping[str, object], folder: Path) -> Iterator[Apart]:
    result = folder / f"{module.rsplit('.', 1)[-1]}.json"
    command = [sys.executable, "-m", module, json.dumps(config), str(result)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    fake = Apart(json.loads(child.stdout.readline()))
    try:
        yield fake
    finally:
        child.terminate()
        child.wait(timeout=30)
        child.stdout.close()
    fake.record = json.loads(result.read_text())


def notices(platform: str, addresses: list[str], per_second: float) -> list[OutboxMessage]:
    """One message per address, outside working windows; each message's text is its key. They fall due at
    ``per_second`` (twice the pace the test allows), so that every worker claims some: a worker claims up to 200 due
    rows at a time, and one worker holding everything would prove nothing about several."""
    now = dt.datetime.now(dt.UTC)
    return [
        OutboxMessage(
            key=f"limits:{n}",
            programme_id=1,
            participant_id=None,
            platform=platform,
            address=address,
            kind=MessageKind.NOTICE,
            reply=Reply(text=f"limits:{n}"),
            not_before=now + dt.timedelta(seconds=n / per_second),
            respect_window=False,
        )
        for n, address in enumerate(addresses)
    ]


async def enqueue(url: str, outbox: list[OutboxMessage]) -> None:
    runtime = assemble(url, secret=b"limits")
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), START, "Europe/London")
        await SqlOutbox(session).enqueue(outbox)
    await runtime.close()


# Only the test's own messages: the stored programme's schedules fire on the real date as well (a digest or an action
# check-in falling due today goes to people the fakes do not know, and is rightly given up as dead).
OURS = text("SELECT status, count(*) FROM deliveries WHERE key LIKE 'limits:%' GROUP BY status")


async def wait_until_sent(url: str, total: int, workers: list[subprocess.Popen[bytes]]) -> Counter[str]:
    """Look once a second (one connection, so that the test process stays quiet) for up to two minutes."""
    engine = create_engine(url, pooled=False)
    try:
        async with engine.connect() as conn:
            for _ in range(120):
                rows = (await conn.execute(OURS)).all()
                await conn.commit()
                counts = Counter({str(status): int(count) for status, count in rows})
                if counts["sent"] + counts["dead"] >= total:
                    break
                assert all(worker.poll() is None for worker in workers), "a worker stopped early"
                await asyncio.sleep(1.0)
    finally:
        await engine.dispose()
    return counts


def start(command: list[str], env: Mapping[str, str], count: int, folder: Path) -> list[subprocess.Popen[bytes]]:
    workers = []
    for n in range(count):
        with (folder / f"worker{n}.log").open("wb") as log:  # the worker keeps its own copy of the file
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


def deliver(url: str, command: list[str], env: Mapping[str, str], count: int, folder: Path) -> Counter[str]:
    """Run ``count`` workers until every message is sent or dead (or two minutes pass); the final statuses."""
    total = asyncio.run(wait_until_sent(url, 0, [])).total()
    workers = start(command, env, count, folder)
    try:
        asyncio.run(wait_until_sent(url, total, workers))
    finally:
        stop(workers)
    return asyncio.run(wait_until_sent(url, 0, []))


def rate_of(times: list[float]) -> float:
    """Sends per second from the first to the last."""
    ordered = sorted(times)
    return (len(ordered) - 1) / (ordered[-1] - ordered[0])
