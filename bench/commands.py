"""Command handling on the code path of `aftercare say`, in process, for a large programme.

Run: .venv/bin/python -m bench.commands [--postgres URL] [--rounds N]
Prints p50/p95 per command, next to a baseline: an empty transaction (BEGIN; SELECT 1; COMMIT) on the same engine,
and the SQL statements each command sends (counted on the engine; BEGIN and COMMIT are not statements).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, text

from bench.synthetic import synthetic_programme
from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from handlers.ports import ActionFilter
from storage.migrate import upgrade
from storage.programme_store import store_programme

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def load(url: str) -> Runtime:
    runtime = assemble(url, clock=SimulatedClock(NOW), secret=b"bench-anonymity-secret")
    doc = synthetic_programme()
    started = time.perf_counter()
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, doc, NOW, "Europe/London")
    print(f"  loaded 5,000 participants and 2,000 actions in {time.perf_counter() - started:.1f} s")
    return runtime


class Statements:
    """Counts the statements an engine sends."""

    def __init__(self, runtime: Runtime) -> None:
        self.count = 0
        event.listen(runtime.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1


async def measure(runtime: Runtime, rounds: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    async with runtime.unit() as deps:
        mine = await deps.actions.find(1, ActionFilter())
    code = next(a.code for a in mine if a.owner_email == mine[0].owner_email)
    owner = mine[0].owner_email
    script = {
        "/actions (mine)": (owner, "/actions"),
        "/actions CODE": (owner, f"/actions {code}"),
        "/actions CODE on track NOTE": (owner, f"/actions {code} on track Weekly huddles started"),
        "/actions CODE note TEXT": (owner, f"/actions {code} note Met the panel"),
        "/actions overdue": (owner, "/actions overdue"),
        "/actions A9999 (refused)": (owner, "/actions A9999"),
        "/aftercare help": (owner, "/aftercare help"),
        "/aftercare whoami": (owner, "/aftercare whoami"),
    }
    times: dict[str, list[float]] = {"baseline: empty transaction": []}
    for name in script:
        times[name] = []
    statements = Statements(runtime)
    queries: dict[str, int] = {}
    for _ in range(rounds):
        started = time.perf_counter()
        async with runtime.sessions() as session, session.begin():
            await session.execute(text("SELECT 1"))
        times["baseline: empty transaction"].append(time.perf_counter() - started)
        for name, (email, line) in script.items():
            before = statements.count
            started = time.perf_counter()
            await runtime.say(email, line)
            times[name].append(time.perf_counter() - started)
            queries[name] = statements.count - before
    return times, queries


def report(label: str, times: dict[str, list[float]], queries: dict[str, int]) -> None:
    print(f"\n{label}")
    print(f"  {'command':36} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'queries':>8}")
    for name, samples in times.items():
        ms = [s * 1000 for s in samples[3:]]  # the first rounds warm caches
        count = str(queries[name]) if name in queries else "1"
        print(f"  {name:36} {percentile(ms, 50):8.2f} {percentile(ms, 95):8.2f} {statistics.fmean(ms):8.2f} {count:>8}")


async def run(url: str, label: str, rounds: int) -> None:
    print(f"{label}: preparing")
    await asyncio.to_thread(upgrade, url)
    runtime = await load(url)
    try:
        report(label, *await measure(runtime, rounds))
    finally:
        await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("AFTERCARE_TEST_POSTGRES_URL"))
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite", args.rounds))
    if args.postgres:
        asyncio.run(run_postgres(args.postgres, args.rounds))


async def run_postgres(base: str, rounds: int) -> None:
    from tests.conftest import _admin

    name = f"aftercare_bench_{os.getpid()}"
    await _admin(base, f'DROP DATABASE IF EXISTS "{name}"')
    await _admin(base, f'CREATE DATABASE "{name}"')
    try:
        url = base.rsplit("/", 1)[0] + f"/{name}"
        await run(url, "PostgreSQL", rounds)
    finally:
        await _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
