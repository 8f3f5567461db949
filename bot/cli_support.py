"""What every `aftercare` sub-command shares: the registry, migrations on the embedded default, the event loop."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from bot.runtime import Runtime
from bot.settings import Settings
from storage.db import is_sqlite
from storage.migrate import upgrade

Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Command] = {}


class CliMisuse(Exception):
    """Bad flags or an unknown participant: exit 2."""


def command(name: str) -> Callable[[Command], Command]:
    """Register a sub-command under its words, e.g. "db upgrade" or "say"."""

    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


def prepare(settings: Settings) -> None:
    """Every command that needs the schema migrates the embedded default itself."""
    if is_sqlite(settings.database_url):
        upgrade(settings.database_url)


def run(coro_fn: Callable[[Runtime], Coroutine[Any, Any, int]], settings: Settings) -> int:
    async def go() -> int:
        from bot.compose import build_runtime  # every feature: outbox, broadcasts, reports and the plan as a file

        runtime: Runtime = build_runtime(settings)
        try:
            return await coro_fn(runtime)
        finally:
            await runtime.close()

    return asyncio.run(go())
