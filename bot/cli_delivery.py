"""`aftercare worker` and `aftercare broadcast` (CONTRACT §2).

``aftercare worker`` runs the delivery dispatcher (every replica) and the scheduler (the replica holding the leader
lock) until Ctrl-C or SIGTERM; ``--drain`` sends what is due now and exits. ``aftercare broadcast --as EMAIL ...``
is the ``/broadcast`` chat command at a terminal, with the same words: ``all "text" [at YYYY-MM-DD HH:MM]``,
``list``, ``status B3``, ``cancel B3``. A broadcast that needs confirmation is asked about at a terminal, or
confirmed with ``--yes``.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import signal
import sys
from typing import Any

from bot.cli_support import CliMisuse, command, prepare
from bot.console import render_text
from bot.delivery import Dispatcher
from bot.delivery_runtime import DeliveryRuntime
from bot.holiday_calendar import HolidaysCalendar
from bot.runtime import UnknownParticipant
from bot.settings import Settings
from bot.worker import build_channels, rate_limiter, run_worker
from handlers.broadcast_views import CANCEL, CONFIRM_FIELD, CONFIRM_FORM, SEND
from handlers.reply import Form, Reply


def add_parsers(sub: Any) -> None:
    worker = sub.add_parser("worker", help="the scheduler and delivery worker only (more replicas on PostgreSQL)")
    worker.add_argument("--heartbeat", type=float, default=5.0, help="leader heartbeat in seconds (default 5)")
    worker.add_argument("--drain", action="store_true", help="send what is due now, then exit")
    broadcast = sub.add_parser("broadcast", help="the /broadcast chat command, for facilitators at a terminal")
    broadcast.add_argument("--as", dest="email", required=True, help="the facilitator's email")
    broadcast.add_argument("--programme", help="programme code, when the person is in several")
    broadcast.add_argument("--yes", action="store_true", help="confirm a large broadcast without asking")
    broadcast.add_argument(
        "words", nargs="+", help='e.g. all "Please read the brief" at 2026-12-01 10:00, or list, status B3, cancel B3'
    )


@command("worker")
def worker(args: argparse.Namespace, settings: Settings) -> int:
    prepare(settings)

    async def go() -> int:
        runtime = DeliveryRuntime(settings.database_url)
        try:
            if args.drain:
                channels = build_channels(settings, runtime)
                limiter = rate_limiter(runtime, settings)
                dispatcher = Dispatcher(
                    runtime.sessions, channels, calendar=HolidaysCalendar(), clock=runtime.clock, limiter=limiter
                )
                sent = await dispatcher.drain()
                await limiter.close()
                for channel in channels.values():
                    await channel.close()
                print(f"Sent {sent} message{'s' if sent != 1 else ''}.")
                return 0
            stop = asyncio.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                asyncio.get_running_loop().add_signal_handler(signum, stop.set)
            print("Aftercare worker running; Ctrl-C to stop.", file=sys.stderr)
            await run_worker(runtime, settings, stop, heartbeat=args.heartbeat)
            return 0
        finally:
            await runtime.close()

    return asyncio.run(go())


@command("broadcast")
def broadcast(args: argparse.Namespace, settings: Settings) -> int:
    prepare(settings)
    line = args.words[0] if len(args.words) == 1 else shlex.join(args.words)

    async def go() -> int:
        runtime = DeliveryRuntime(settings.database_url)
        try:
            reply = await runtime.say(args.email, f"/broadcast {line}", args.programme)
            print(render_text(reply))
            if reply.form is not None and reply.form.form_id == CONFIRM_FORM:
                reply = await _confirm(runtime, args, reply.form)
            return 0 if reply.ok else 1
        except UnknownParticipant as error:
            raise CliMisuse(str(error)) from None
        finally:
            await runtime.close()

    return asyncio.run(go())


async def _confirm(runtime: DeliveryRuntime, args: argparse.Namespace, form: Form) -> Reply:
    if not args.yes and not sys.stdin.isatty():
        print("Nothing was sent: add --yes to confirm a broadcast this large.", file=sys.stderr)
        return Reply(text="", ok=False)
    send = args.yes or (await asyncio.to_thread(input, "Send it? [y/N] ")).strip().lower() in ("y", "yes")
    answer = {CONFIRM_FIELD: SEND if send else CANCEL}
    reply = await runtime.submit_form(args.email, form, answer, args.programme)
    print(render_text(reply))
    return reply if send else Reply(text=reply.text, ok=False)
