"""`aftercare serve`: the HTTP server (Slack, Teams, health checks, metrics) with the worker in-process unless
--no-worker.

Start-up refuses a database whose schema is not the one this code expects, with the one line that says what to do.
SIGTERM (or Ctrl-C) stops it gracefully: uvicorn stops taking connections and finishes the requests under way, then
the worker hands back the messages it had not started and finishes those it had (bot/delivery.py), and the Slack
and Teams connections, Socket Mode included, are closed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

import uvicorn

from bot.cli_support import command, prepare
from bot.compose import build_runtime
from bot.preload import freeze, preload
from bot.server import create_app
from bot.settings import Settings
from storage.db import create_engine
from storage.migrate import schema_problem

GRACE_SECONDS = 30  # longest wait for requests under way when stopping


def add_parsers(sub: Any) -> None:
    serve = sub.add_parser("serve", help="the production server (HTTP, scheduler and delivery worker)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-worker", action="store_true", help="serve HTTP only (run `aftercare worker` elsewhere)")


def schema_refusal(settings: Settings) -> str | None:
    """One line when the database is not at this code's schema (the embedded default is migrated first)."""
    prepare(settings)

    async def check() -> str | None:
        engine = create_engine(settings.database_url, pooled=False)
        try:
            return await schema_problem(engine)
        finally:
            await engine.dispose()

    return asyncio.run(check())


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Logging stays ours (bot/logs.py): uvicorn's loggers pass through the same handler and format."""
    return {"log_config": None, "access_log": settings.access_log, "timeout_graceful_shutdown": GRACE_SECONDS}


@command("serve")
def serve(args: argparse.Namespace, settings: Settings) -> int:
    problem = schema_refusal(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    preload()  # the report builders and the screen's classifier, before the first request (bot/preload.py)
    app = create_app(settings, build_runtime(settings), with_worker=not args.no_worker, started=freeze)
    uvicorn.run(app, host=args.host, port=args.port, **uvicorn_options(settings))
    return 0
