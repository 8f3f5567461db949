"""`aftercare serve`: the HTTP server (Slack, Teams, health checks) with the worker in-process unless --no-worker."""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn

from bot.cli_support import command, prepare
from bot.plan_poster import PlanRuntime
from bot.server import create_app
from bot.settings import Settings


def add_parsers(sub: Any) -> None:
    serve = sub.add_parser("serve", help="the production server (HTTP, scheduler and delivery worker)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-worker", action="store_true", help="serve HTTP only (run `aftercare worker` elsewhere)")


@command("serve")
def serve(args: argparse.Namespace, settings: Settings) -> int:
    prepare(settings)
    app = create_app(settings, PlanRuntime(settings.database_url), with_worker=not args.no_worker)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0
