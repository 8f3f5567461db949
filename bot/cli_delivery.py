"""`aftercare worker` and `aftercare broadcast` (CONTRACT §2).

``aftercare worker`` runs the delivery dispatcher (every replica) and the scheduler (the replica holding the leader
lock) until Ctrl-C or SIGTERM; ``--drain`` sends what is due now and exits. ``aftercare broadcast --as EMAIL ...``
is the ``/broadcast`` chat command at a terminal, with the same words: ``all "text" [at YYYY-MM-DD HH:MM]``,
``list``, ``status B3``, ``confirm B3``, ``edit B3 "text"``, ``move B3 at tomorrow 10:00``, ``cancel B3``. Every new
broadcast is previewed first: at a terminal you are asked "Send it?"; ``--yes`` confirms without asking (for
scripts); without a terminal and without ``--yes`` nothing is sent (exit 1) and the draft can be confirmed later
with ``aftercare broadcast --as EMAIL confirm B3`` within the hour.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import signal
import sys
from typing import Any

from bot.cli_serve import schema_refusal
from bot.cli_support import CliMisuse, command, prepare
from bot.compose import build_runtime
from bot.console import render_text
from bot.delivery import Dispatcher
from bot.holiday_calendar import HolidaysCalendar
from bot.metrics_server import start_metrics_server
from bot.preload import freeze
from bot.runtime import Runtime, UnknownParticipant
from bot.settings import Settings
from bot.worker import build_channels, rate_limiter, run_worker
from handlers.broadcast_views import DISCARD_BUTTON, SEND_BUTTON, preview_label
from handlers.reply import Reply


def add_parsers(sub: Any) -> None:
    worker = sub.add_parser("worker", help="the scheduler and delivery worker only (more replicas on PostgreSQL)")
    worker.add_argument("--heartbeat", type=float, default=5.0, help="leader heartbeat in seconds (default 5)")
    worker.add_argument("--drain", action="store_true", help="send what is due now, then exit")
    worker.add_argument("--metrics-port", type=int, help="serve GET /metrics and /healthz on this port")
    worker.add_argument("--metrics-host", default="127.0.0.1", help="address for --metrics-port (default 127.0.0.1)")
    broadcast = sub.add_parser("broadcast", help="the /broadcast chat command, for facilitators at a terminal")
    broadcast.add_argument("--as", dest="email", required=True, help="the facilitator's email")
    broadcast.add_argument("--programme", help="programme code, when the person is in several")
    broadcast.add_argument("--yes", action="store_true", help="confirm the broadcast without asking (for scripts)")
    broadcast.add_argument(
        "words", nargs="+", help='e.g. all "Please read the brief" at 2026-12-01 10:00, or list, status B3, cancel B3'
    )


@command("worker")
def worker(args: argparse.Namespace, settings: Settings) -> int:
    problem = schema_refusal(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1

    async def go() -> int:
        runtime = build_runtime(settings)
        try:
            if args.drain:
                return await _drain(runtime, settings)
            stop = asyncio.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                asyncio.get_running_loop().add_signal_handler(signum, stop.set)
            metrics = None
            if args.metrics_port is not None:
                metrics = await start_metrics_server(runtime.sessions, args.metrics_host, args.metrics_port)
            freeze()  # start-up's objects left out of later collections (bot/preload.py)
            print("Aftercare worker running; Ctrl-C to stop.", file=sys.stderr)
            try:
                await run_worker(runtime, settings, stop, heartbeat=args.heartbeat)
            finally:
                if metrics is not None:
                    metrics.close()
                    await metrics.wait_closed()
            print("Aftercare worker stopped.", file=sys.stderr)
            return 0
        finally:
            await runtime.close()

    return asyncio.run(go())


async def _drain(runtime: Runtime, settings: Settings) -> int:
    channels = build_channels(settings, runtime)
    limiter = rate_limiter(runtime, settings)
    clock = runtime.clock
    dispatcher = Dispatcher(
        runtime.sessions, channels, calendar=HolidaysCalendar(), clock=clock, limiter=limiter, secret=runtime.secret
    )
    try:
        sent = await dispatcher.drain()
    finally:
        await limiter.close()
        for channel in channels.values():
            await channel.close()
    print(f"Sent {sent} message{'s' if sent != 1 else ''}.")
    return 0


@command("broadcast")
def broadcast(args: argparse.Namespace, settings: Settings) -> int:
    prepare(settings)
    line = args.words[0] if len(args.words) == 1 else shlex.join(args.words)

    async def go() -> int:
        runtime = build_runtime(settings)
        try:
            reply = await runtime.say(args.email, f"/broadcast {line}", args.programme)
            print(render_text(reply))
            label = preview_label(reply)
            if label is not None:
                reply = await _confirm(runtime, args, label)
            return 0 if reply.ok else 1
        except UnknownParticipant as error:
            raise CliMisuse(str(error)) from None
        finally:
            await runtime.close()

    return asyncio.run(go())


async def _confirm(runtime: Runtime, args: argparse.Namespace, label: str) -> Reply:
    if not args.yes and not sys.stdin.isatty():
        print(
            f"Nothing was sent: add --yes to send it, or confirm it within the hour with "
            f"aftercare broadcast --as {args.email} confirm {label}.",
            file=sys.stderr,
        )
        return Reply(text="", ok=False)
    send = args.yes or (await asyncio.to_thread(input, "Send it? [y/N] ")).strip().lower() in ("y", "yes")
    reply = await runtime.press(args.email, SEND_BUTTON if send else DISCARD_BUTTON, label, args.programme)
    print(render_text(reply))
    return reply if send else Reply(text=reply.text, ok=False)
