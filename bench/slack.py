"""Signed slash commands over HTTP: `aftercare serve` against a bare Bolt app (ack only), in the same run.

Run: .venv/bin/python -m bench.slack [--postgres URL] [--requests N]
(``--postgres`` defaults to AFTERCARE_TEST_POSTGRES_URL.) Both servers run as subprocesses under uvicorn on
127.0.0.1, with SLACK_API_URL at the fake Slack Web API (tests/fakes/slack_api.py); a load generator in this process
sends signed /actions and /aftercare commands from 1, 8 and 32 concurrent clients and reports p50/p95/p99 of the
time to the HTTP answer (which carries the reply). The programme is bench/synthetic.py's: 5,000 people, 2,000
actions. Then the idle resident memory of `aftercare serve` (with its worker) after start-up.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

from bench.commands import NOW, percentile
from bench.synthetic import synthetic_programme
from bot.accounts import latest
from bot.clock import SimulatedClock
from bot.compose import assemble
from handlers.dispatch import run_text
from handlers.ports import ActionFilter
from storage.migrate import upgrade
from storage.programme_store import store_programme
from tests.fakes.slack_api import running_slack_api

SECRET = "bench-signing-secret"  # noqa: S105 - a fixed secret for a loopback benchmark
TEAM = "T0BENCH01"
TOKEN = f"xoxb-{TEAM}-fake"
CLIENTS = (1, 8, 32)
WARMUP = 20


def signed(body: bytes) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body) or ""
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": signature,
    }


def command_body(line: str, user: str) -> bytes:
    command, _, text = line.partition(" ")
    fields = {"command": command, "text": text, "team_id": TEAM, "user_id": user, "channel_id": "D0BENCH"}
    fields.update(response_url="http://127.0.0.1:9/unused", trigger_id="bench.trigger", api_app_id="A0BENCH")
    return urlencode(fields).encode()


def script(code: str) -> list[str]:
    return [
        "/actions",
        f"/actions {code}",
        f"/actions {code} on track Weekly huddles started",
        f"/actions {code} at risk Waiting for the panel",
        "/aftercare whoami",
    ]


async def owners(url: str, how_many: int) -> list[tuple[str, str]]:
    """(Slack user id, an action they own) for people with a Slack identity in the bench workspace."""
    runtime = assemble(url, secret=b"bench")
    found: list[tuple[str, str]] = []
    try:
        async with runtime.unit() as deps:
            for action in await deps.actions.find(1, ActionFilter()):
                person = await deps.participants.by_email(1, action.owner_email)
                slack = person.on("slack") if person else ()
                if slack and slack[0].user_id not in {u for u, _ in found}:
                    found.append((slack[0].user_id, action.code))
                if len(found) == how_many:
                    break
    finally:
        await runtime.close()
    return found


async def load(
    port: int, clients: int, total: int, people: list[tuple[str, str]], check: bool
) -> tuple[list[float], int]:
    """Latencies of the measured requests, and how many were answered late (an empty acknowledgement at the
    deadline, the reply following through response_url)."""
    latencies: list[float] = []
    errors = late = 0
    per_client = max(1, total // clients) + WARMUP

    async def client(n: int, http: httpx.AsyncClient) -> None:
        nonlocal errors, late
        user, code = people[n % len(people)]
        lines = script(code)
        for i in range(per_client):
            body = command_body(lines[i % len(lines)], user)
            started = time.perf_counter()
            response = await http.post("/slack/events", content=body, headers=signed(body))
            took = time.perf_counter() - started
            if response.status_code != 200:
                errors += 1
            elif check and (not response.content or "went wrong" in response.text):
                late += 1
            if i >= WARMUP:
                latencies.append(took)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    if errors:
        raise RuntimeError(f"{errors} requests failed on port {port}")
    return latencies, late


async def in_process(url: str, people: list[tuple[str, str]], rounds: int) -> list[float]:
    """The same commands with no HTTP and no Slack: participant lookup, handler and transaction only."""
    runtime = assemble(url, secret=b"bench")
    samples: list[float] = []
    try:
        user, code = people[0]
        lines = script(code)
        for i in range(rounds + WARMUP):
            word, _, text = lines[i % len(lines)][1:].partition(" ")
            started = time.perf_counter()
            async with runtime.sessions() as session:
                deps = runtime.deps(session)
                actor = latest(await deps.participants.by_platform("slack", TEAM, user))
                await run_text(word, text, actor, deps)
                await session.commit()
            if i >= WARMUP:
                samples.append(time.perf_counter() - started)
    finally:
        await runtime.close()
    return samples


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def process(command: list[str], env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    log = Path(tempfile.gettempdir()) / f"bench-slack-{port}.log"
    with log.open("wb") as errors:
        running = subprocess.Popen(command, env=env, stderr=errors, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise RuntimeError(f"{command} did not start; see {log}")
        yield running
    finally:
        running.terminate()
        running.wait(timeout=20)


def environment(url: str, api_url: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "AFTERCARE_"))}
    slack = {"SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": api_url}
    return {
        **kept,
        **slack,
        "AFTERCARE_DATABASE_URL": url,
        "AFTERCARE_ANONYMITY_SECRET": "bench-anonymity-secret-of-at-least-32-bytes",
    }


def serve_baseline(port: int, api_url: str, before_response: bool) -> None:
    """A bare Bolt AsyncApp that only acknowledges, hosted the same way (FastAPI + uvicorn). Bolt's default mode
    answers HTTP once a poll every 10 ms sees the acknowledgement; ``before_response`` is the mode Aftercare uses."""
    import uvicorn
    from fastapi import FastAPI
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token=TOKEN, base_url=api_url)
    bolt = AsyncApp(signing_secret=SECRET, client=client, process_before_response=before_response)
    for word in ("/actions", "/aftercare"):

        @bolt.command(word)
        async def ack_only(ack: AsyncAck) -> None:
            await ack()

    handler = AsyncSlackRequestHandler(bolt)
    app = FastAPI()
    app.router.add_route("/slack/events", handler.handle, methods=["POST"])

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(label: str, url: str, api_url: str, requests: int) -> list[str]:
    print(f"{label}: loading the synthetic programme")
    upgrade(url)

    async def prepare() -> list[tuple[str, str]]:
        runtime = assemble(url, clock=SimulatedClock(NOW), secret=b"bench")
        async with runtime.sessions() as session, session.begin():
            await store_programme(session, synthetic_programme(), NOW, "Europe/London")
        await runtime.close()
        return await owners(url, 32)

    people = asyncio.run(prepare())
    env = environment(url, api_url)
    ours_port, base_port, quick_port = free_port(), free_port(), free_port()
    ours = [sys.executable, "-m", "bot", "serve", "--no-worker", "--port", str(ours_port)]
    base = [sys.executable, "-m", "bench.slack", "--baseline", str(base_port), "--api-url", api_url]
    quick = [*base[:-3], str(quick_port), "--api-url", api_url, "--before-response"]
    alone = [s * 1000 for s in asyncio.run(in_process(url, people, requests * 4))]
    rows = [f"| {label} | in-process handlers only, no HTTP, no Slack (1 client) | {len(alone)} | | | "
            f"{_ms(alone)} | |"]  # fmt: skip
    print(rows[-1], flush=True)
    with process(ours, env, ours_port), process(base, env, base_port), process(quick, env, quick_port):
        for clients in CLIENTS:
            total = requests * clients
            bare, _ = asyncio.run(load(base_port, clients, total, people, check=False))
            bare_quick, _ = asyncio.run(load(quick_port, clients, total, people, check=False))
            mine, late = asyncio.run(load(ours_port, clients, total, people, check=True))
            bare_ms, mine_ms = [s * 1000 for s in bare], [s * 1000 for s in mine]
            note = f" ({late} late)" if late else ""
            ratio = percentile(mine_ms, 95) / percentile(bare_ms, 95)
            rows.append(f"| {label} | {clients} | {len(mine)}{note} | {_ms(bare_ms)} | "
                        f"{_ms([s * 1000 for s in bare_quick])} | {_ms(mine_ms)} | {ratio:.2f} |")  # fmt: skip
            print(rows[-1], flush=True)
    return rows


def _ms(samples: list[float]) -> str:
    return " / ".join(f"{percentile(samples, p):.1f}" for p in (50, 95, 99))


def idle_rss(api_url: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'rss.db'}"
        upgrade(url)
        port = free_port()
        command = [sys.executable, "-m", "bot", "serve", "--port", str(port)]
        with process(command, environment(url, api_url), port) as running:
            time.sleep(3)
            return rss_mb(running.pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("AFTERCARE_TEST_POSTGRES_URL"))
    parser.add_argument("--requests", type=int, default=40, help="measured requests per client")
    parser.add_argument("--baseline", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--before-response", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        serve_baseline(args.baseline, args.api_url, args.before_response)
        return
    rows = [
        "| database | clients | requests | bare Bolt, default mode: p50 / p95 / p99 ms | bare Bolt, "
        "process_before_response | aftercare serve | p95 ÷ default bare p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    with running_slack_api() as fake:
        fake.add_workspace(TEAM, bot_token=TOKEN)
        with tempfile.TemporaryDirectory() as folder:
            rows += measure("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", fake.base_url, args.requests)
        if args.postgres:
            rows += with_postgres(args.postgres, fake.base_url, args.requests)
        rss = idle_rss(fake.base_url)
    print("\n".join(["", *rows, "", f"Idle RSS of `aftercare serve` (Slack on, worker on, SQLite): {rss:.0f} MB"]))


def with_postgres(base: str, api_url: str, requests: int) -> list[str]:
    from tests.conftest import _admin

    name = f"aftercare_bench_slack_{os.getpid()}"
    asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    try:
        return measure("PostgreSQL", base.rsplit("/", 1)[0] + f"/{name}", api_url, requests)
    finally:
        asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
