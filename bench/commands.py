"""Command handling on the code path of `aftercare say`, in process, for a large programme.

Run: .venv/bin/python -m bench.commands [--postgres URL] [--rounds N]
Prints p50/p95 per command, next to a baseline: an empty transaction (BEGIN; SELECT 1; COMMIT) on the same engine,
and the SQL statements each command sends (counted on the engine; BEGIN and COMMIT are not statements). "CPU ms"
is the p50 of this process's CPU time per command (all its threads, so SQLite's own work counts; PostgreSQL's
server does not): unlike the wall times it hardly moves when other work loads the machine. The status
change alternates between two statuses, so every round writes. The "Slack:" rows go through the Slack door's
lookup (workspace and user id) instead of the console's (e-mail); the button claims its duplicate-delivery key.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import event, text

from bench.synthetic import synthetic_programme
from bot.accounts import Transaction, find_account
from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from handlers.action_views import ACTION_STATUS_BUTTON
from handlers.model import Participant
from handlers.ports import ActionFilter, Deps
from handlers.reply import refusal
from handlers.requests import ButtonPress, CommandLine, Identity
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
    if not runtime.database_url.startswith("sqlite"):  # PostgreSQL's autovacuum gathers these soon after a load
        async with runtime.sessions() as session, session.begin():
            await session.execute(text("ANALYZE"))
    print(f"  loaded 5,000 participants and 2,000 actions in {time.perf_counter() - started:.1f} s")
    return runtime


class Statements:
    """Counts the statements an engine sends."""

    def __init__(self, runtime: Runtime) -> None:
        self.count = 0
        event.listen(runtime.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1


Measured = tuple[dict[str, list[float]], dict[str, list[float]], dict[str, int]]


async def measure(runtime: Runtime, rounds: int) -> Measured:
    async with runtime.unit() as deps:
        mine = await deps.actions.find(1, ActionFilter())
        owners = [await deps.participants.by_email(1, a.owner_email) for a in mine[:50]]
    # an owner with a Slack account, for the door rows
    owner = next(
        o for o in owners if o is not None and o.on("slack")
    )  # an owner with a Slack account, for the door rows
    code = next(a.code for a in mine if a.owner_email == owner.email)
    script: dict[str, Step] = {
        "/actions (mine)": said(owner.email, "/actions"),
        "/actions CODE": said(owner.email, f"/actions {code}"),
        "/actions CODE STATUS NOTE (a change)": said(owner.email, f"/actions {code} {{status}} Weekly huddles started"),
        "/actions CODE note TEXT": said(owner.email, f"/actions {code} note Met the panel"),
        "/actions overdue": said(owner.email, "/actions overdue"),
        "/actions A9999 (refused)": said(owner.email, "/actions A9999"),
        "/aftercare help": said(owner.email, "/aftercare help"),
        "/aftercare whoami": said(owner.email, "/aftercare whoami"),
        "Slack: /actions CODE": from_slack(owner, CommandLine(word="/actions", text=code)),
        "Slack: status button (key claimed)": from_slack(
            owner, ButtonPress(action_id=ACTION_STATUS_BUTTON, value=f"{code}:off_track"), keyed=True
        ),
    }
    times: dict[str, list[float]] = {"baseline: empty transaction": []}
    cpu: dict[str, list[float]] = {"baseline: empty transaction": []}
    for name in script:
        times[name] = []
        cpu[name] = []
    statements = Statements(runtime)
    queries: dict[str, int] = {}
    for turn in range(rounds):
        started, used = time.perf_counter(), time.process_time()
        async with runtime.sessions() as session, session.begin():
            await session.execute(text("SELECT 1"))
        times["baseline: empty transaction"].append(time.perf_counter() - started)
        cpu["baseline: empty transaction"].append(time.process_time() - used)
        status = ("on_track", "at_risk")[turn % 2]  # a real change every round (the button sets off track)
        for name, step in script.items():
            before = statements.count
            started, used = time.perf_counter(), time.process_time()
            await step(runtime, status, turn)
            times[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - used)
            queries[name] = statements.count - before
    return times, cpu, queries


Step = Callable[[Runtime, str, int], Awaitable[object]]


def said(email: str, line: str) -> Step:
    """A command through the console's door (`aftercare say`): the person found by e-mail."""

    async def step(runtime: Runtime, status: str, _turn: int) -> object:
        return await runtime.say(email, line.format(status=status.replace("_", " ")))

    return step


def from_slack(person: Participant, request: CommandLine | ButtonPress, *, keyed: bool = False) -> Step:
    """A request through the Slack door: the person found by workspace and user id, and for a button the
    duplicate-delivery key claimed in the same transaction (as bot/slack/people.py does)."""
    account = person.on("slack")[0]
    identity = Identity(platform="slack", workspace=account.workspace, user_id=account.user_id)

    async def no_emails() -> list[str]:
        return []

    async def step(runtime: Runtime, _status: str, turn: int) -> object:
        async def find(deps: Deps, session: Transaction) -> Participant | None:
            return await find_account(deps, session, identity, no_emails)

        key = f"bench-{os.getpid()}-{turn}" if keyed else None
        return await runtime.handle(find, request, unknown=refusal(""), once=key)

    return step


def report(label: str, times: dict[str, list[float]], cpu: dict[str, list[float]], queries: dict[str, int]) -> None:
    print(f"\n{label}")
    print(f"  {'command':36} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'queries':>8} {'CPU ms':>8}")
    for name, samples in times.items():
        ms = [s * 1000 for s in samples[3:]]  # the first rounds warm caches
        used = percentile([s * 1000 for s in cpu[name][3:]], 50)
        count = str(queries[name]) if name in queries else "1"
        print(f"  {name:36} {percentile(ms, 50):8.2f} {percentile(ms, 95):8.2f} {statistics.fmean(ms):8.2f} "
              f"{count:>8} {used:8.2f}")  # fmt: skip


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
