"""Teams benchmarks, offline against the fake Bot Connector (tests/fakes/teams_connector.py).

1. Activity handling latency: a typed command ("actions", the person's open actions, answered with a card) posted
   with a real RS256 token to our app, and "hello" to a bare Teams SDK echo bot, in the same run and the same way
   (each app served by uvicorn on 127.0.0.1, HTTP keep-alive clients, 1, 8 and 32 at a time). Both answer through
   the same fake connector; the difference is our cost (identity, database, rendering), not the SDK's.
2. A broadcast to N recipients in one tenant (default 10,000) through the outbox, the dispatcher and TeamsChannel,
   against the fake enforcing Teams' published limits (7/s per conversation, 30 requests/s per tenant), with the
   achieved rate, the 429s and any send made before a Retry-After had passed.

Run: .venv/bin/python -m bench.teams [--requests 400] [--postgres URL] [--recipients 10000] [--skip-latency]
     [--skip-broadcast] [--margin 1.03]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import socket
import tempfile
import threading
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import insert, select

from bench.commands import percentile
from bench.synthetic import synthetic_programme
from bot.channel import Channel
from bot.compose import assemble
from bot.delivery import Dispatcher
from bot.holiday_calendar import HolidaysCalendar
from bot.rate_limits import RateLimiter
from bot.runtime import Runtime
from bot.settings import TeamsOptions, TeamsSettings
from bot.teams.wiring import build_teams
from handlers.broadcast_views import SEND_BUTTON, preview_label
from handlers.programme_doc import ProgrammeDoc
from storage.migrate import upgrade
from storage.models import ActionRow
from storage.programme_store import store_programme
from storage.repositories.outbox import SqlOutbox
from storage.teams_models import TeamsConversationRefRow
from tests.fakes.teams_connector import FakeConnector, running_connector
from tests.fakes.teams_tokens import FAKE_TENANT_ID, message_activity, mint_token

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)  # a Monday, 11:00 in London: inside working hours
LEVELS = (1, 8, 32)


def aad_of(index: int) -> str:
    return f"00000000-0000-4000-8000-{index:012d}"


def teams_programme(participants: int) -> ProgrammeDoc:
    """The synthetic programme with every person on Teams in one tenant (and nobody on Slack)."""
    data = synthetic_programme(participants=participants).model_dump(mode="json")
    for index, person in enumerate(data["participants"]):
        person["slack"] = []
        person["teams"] = [{"tenant": FAKE_TENANT_ID, "aad": aad_of(index)}]
    return ProgrammeDoc.model_validate(data)


class AnchoredClock:
    """Real time passing, starting from NOW (so that working windows are open)."""

    def __init__(self, start: dt.datetime) -> None:
        self.start, self.t0 = start, time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self.t0)


async def prepare(url: str, participants: int) -> None:
    await asyncio.to_thread(upgrade, url)
    runtime = assemble(url, clock=AnchoredClock(NOW), secret=b"bench")
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, teams_programme(participants), NOW, "Europe/London")
    await runtime.close()


@contextlib.contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False, lifespan="on", http="h11")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def our_app(fake: FakeConnector, url: str) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(api: FastAPI) -> AsyncIterator[None]:
        runtime = assemble(url, clock=AnchoredClock(NOW), secret=b"bench")
        settings = TeamsSettings(client_id=fake.app_id, openid_metadata_url=fake.openid_metadata_url)
        options = TeamsOptions(service_url=fake.service_url, tenants=FAKE_TENANT_ID)  # only allowed tenants are served
        bot = build_teams(settings, runtime, api, token=fake.token_provider, options=options)
        await bot.app.initialize()
        yield
        await runtime.close()

    return FastAPI(lifespan=lifespan)


def echo_app(fake: FakeConnector) -> FastAPI:
    from tests.fakes.teams_echo_app import build_echo_bot

    echo = build_echo_bot(
        app_id=fake.app_id, openid_metadata_url=fake.openid_metadata_url, service_url=fake.service_url,
        token=fake.token_provider,
    )  # fmt: skip

    @contextlib.asynccontextmanager
    async def lifespan(_api: FastAPI) -> AsyncIterator[None]:
        await echo.app.initialize()
        yield

    echo.api.router.lifespan_context = lifespan
    return echo.api


async def drive(
    base_url: str, fake: FakeConnector, users: list[str], text: str, clients: int, each: int
) -> list[float]:
    """`clients` people at once, each sending `each` messages one after another; returns latencies in ms."""
    headers = {"Authorization": f"Bearer {mint_token(aud=fake.app_id, serviceurl=fake.service_url)}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as client:

        async def person(aad: str, count: int, record: bool) -> None:
            chat = fake.personal_conversation_id(aad)
            for _ in range(count):
                activity = message_activity(text, aad, FAKE_TENANT_ID, chat, fake.service_url)
                started = time.perf_counter()
                response = await client.post("/api/messages", json=activity)
                if response.status_code != 200:
                    raise RuntimeError(f"answered {response.status_code}: {response.text[:200]}")
                if record:
                    latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(person(users[i % len(users)], 3, False) for i in range(clients)))  # warm up
        await asyncio.gather(*(person(users[i % len(users)], each, True) for i in range(clients)))
    return latencies


async def action_owners(url: str, count: int) -> list[str]:
    runtime = assemble(url, clock=AnchoredClock(NOW), secret=b"bench")
    async with runtime.sessions() as session:
        emails = (await session.execute(select(ActionRow.owner_email).distinct().limit(count))).scalars().all()
    await runtime.close()
    return [aad_of(int(email.removeprefix("person").split("@")[0])) for email in emails]


def latency_report(results: dict[tuple[str, int], list[float]]) -> None:
    print(f"\n  {'app':10} {'clients':>7} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p95/echo':>9}")
    for clients in LEVELS:
        base = percentile(results[("echo", clients)], 95)
        for app in ("echo", "aftercare"):
            ms = results[(app, clients)]
            p50, p95, p99 = (percentile(ms, p) for p in (50, 95, 99))
            print(f"  {app:10} {clients:7d} {len(ms):8d} {p50:8.1f} {p95:8.1f} {p99:8.1f} {p95 / base:9.2f}")


async def latency(url: str, label: str, requests: int) -> None:
    print(f"Activity handling latency (5,000 participants, 2,000 actions, {label})")
    await prepare(url, 5000)
    users = await action_owners(url, 64)
    results: dict[tuple[str, int], list[float]] = {}
    with running_connector(throttling=False) as fake:
        for user in users:
            fake.add_user(user, email=f"person{int(user[-12:]):05d}@agency.example")
        with serve(echo_app(fake)) as echo_url, serve(our_app(fake, url)) as our_url:
            for clients in LEVELS:
                each = max(10, requests // clients)
                results[("echo", clients)] = await drive(echo_url, fake, users, "hello", clients, each)
                results[("aftercare", clients)] = await drive(our_url, fake, users, "actions", clients, each)
    latency_report(results)


async def seed_references(url: str, fake: FakeConnector, count: int) -> None:
    """As if each person had installed the app: a stored 1:1 chat, known to the fake connector."""
    rows = []
    for index in range(count):
        chat = fake.personal_conversation_id(aad_of(index))
        fake.add_conversation(chat, members=[aad_of(index)])
        rows.append({"tenant_id": FAKE_TENANT_ID, "conversation_id": chat, "service_url": fake.service_url,
                     "conversation_type": "personal", "aad_object_id": aad_of(index), "installed": True,
                     "updated_at": NOW})  # fmt: skip
    runtime = assemble(url, secret=b"bench")
    async with runtime.sessions() as session, session.begin():
        for start in range(0, len(rows), 1000):
            await session.execute(insert(TeamsConversationRefRow), rows[start : start + 1000])
    await runtime.close()


async def queue_broadcast(runtime: Runtime) -> None:
    facilitator = "person00007@agency.example"
    draft = await runtime.say(facilitator, '/broadcast all "Please read the learning brief before Friday."')
    label = preview_label(draft)
    if label is None:
        raise RuntimeError(f"expected a preview to confirm, got: {draft.text}")
    queued = await runtime.press(facilitator, SEND_BUTTON, label)
    if not queued.ok:
        raise RuntimeError(queued.text)


async def broadcast(folder: Path, recipients: int, margin: float) -> None:
    print(f"\nBroadcast to {recipients:,} recipients in one tenant, Teams' limits enforced by the fake connector")
    print(f"  (dispatcher pacing margin {margin:g}: at most {30 / margin:.1f} sends/s to the tenant)")
    url = f"sqlite:///{folder / 'broadcast.db'}"
    await prepare(url, recipients)
    with running_connector(throttling=True) as fake:
        await seed_references(url, fake, recipients)
        clock = AnchoredClock(NOW)
        runtime = assemble(url, clock=clock, secret=b"bench")
        await queue_broadcast(runtime)
        settings = TeamsSettings(client_id=fake.app_id, openid_metadata_url=fake.openid_metadata_url)
        options = TeamsOptions(service_url=fake.service_url, tenants=FAKE_TENANT_ID)  # only allowed tenants are served
        bot = build_teams(settings, runtime, FastAPI(), token=fake.token_provider, options=options)
        await bot.app.initialize()
        limiter = RateLimiter(margin=margin)
        channels: dict[str, Channel] = {"teams": bot.channel()}
        dispatcher = Dispatcher(runtime.sessions, channels, calendar=HolidaysCalendar(), clock=clock, limiter=limiter)
        stop = asyncio.Event()
        started = time.monotonic()
        task = asyncio.create_task(dispatcher.run(stop))
        counts = await wait_for_broadcast(runtime, started)
        stop.set()
        await task
        await runtime.close()
        broadcast_report(fake, counts, time.monotonic() - started)


async def wait_for_broadcast(runtime: Runtime, started: float) -> Any:
    while True:
        await asyncio.sleep(1.0)
        async with runtime.sessions() as session:
            counts = await SqlOutbox(session).counts(broadcast_id=1)
        if int(time.monotonic() - started) % 30 == 0:
            print(f"  … {counts.sent:,} sent after {time.monotonic() - started:.0f} s")
        if counts.waiting == 0:
            return counts


def broadcast_report(fake: FakeConnector, counts: Any, elapsed: float) -> None:
    accepted = [a for a in fake.activities if a.operation == "send"]
    sends = sorted(a.at for a in accepted)
    span = sends[-1] - sends[0] if len(sends) > 1 else 0.0
    rate = (len(sends) - 1) / span if span else 0.0
    throttled = sum(1 for r in fake.requests if r.status == 429)
    people = len({a.conversation_id for a in accepted})
    print(f"  sent {counts.sent:,}, dead {counts.dead:,}, in {elapsed:.0f} s from queueing to the last send")
    print(f"  Teams accepted {len(accepted):,} messages for {people:,} people ({len(accepted) - people} twice)")
    print(f"  achieved {rate:.2f} sends/s = {rate / 30:.1%} of the 30 requests/s tenant limit")
    print(f"  429 answers: {throttled}; sends before a Retry-After had passed: {len(fake.violations)}")
    print(f"  (Company Communicator users reported 15,000 messages in about 3 hours, 1.4/s; at this rate 15,000 "
          f"take {15000 / rate / 60:.1f} minutes)" if rate else "")  # fmt: skip


async def latency_postgres(base: str, requests: int) -> None:
    from tests.conftest import _admin

    name = f"aftercare_bench_teams_{os.getpid()}"
    await _admin(base, f'DROP DATABASE IF EXISTS "{name}"')
    await _admin(base, f'CREATE DATABASE "{name}"')
    try:
        await latency(base.rsplit("/", 1)[0] + f"/{name}", "PostgreSQL", requests)
    finally:
        await _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400, help="measured requests per level and app")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--skip-broadcast", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--postgres", help="also measure latency on PostgreSQL (a server URL; a database is made)")
    parser.add_argument("--margin", type=float, default=1.03, help="the dispatcher's pacing margin (its default)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK's own, on every activity
    with tempfile.TemporaryDirectory() as folder:
        if not args.skip_latency:
            asyncio.run(latency(f"sqlite:///{Path(folder) / 'latency.db'}", "SQLite", args.requests))
            if args.postgres:
                asyncio.run(latency_postgres(args.postgres, args.requests))
        if not args.skip_broadcast:
            asyncio.run(broadcast(Path(folder), args.recipients, args.margin))


if __name__ == "__main__":
    main()
