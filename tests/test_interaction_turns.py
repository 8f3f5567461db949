"""Requests from chat that may write take turns on SQLite; reads, and everything on PostgreSQL, run side by side."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from bot.runtime import LOCKED_ATTEMPTS, Runtime, again_if_locked
from handlers.dispatch import reads_only
from storage.db import is_sqlite


async def overlapping(runtime: Runtime, first_writes: bool, second_writes: bool) -> bool:
    """Whether the second interaction got its session while the first still held its own."""
    inside = asyncio.Event()
    release = asyncio.Event()
    seen: list[bool] = []

    async def first() -> None:
        async with runtime.interaction(writes=first_writes):
            inside.set()
            await release.wait()

    async def second() -> None:
        await inside.wait()
        async with runtime.interaction(writes=second_writes):
            seen.append(not release.is_set())

    holder = asyncio.ensure_future(first())
    waiter = asyncio.ensure_future(second())
    await asyncio.sleep(0.05)
    release.set()
    await asyncio.gather(holder, waiter)
    return seen == [True]


async def test_writers_take_turns_on_sqlite_and_not_on_postgresql(runtime: Runtime):
    assert await overlapping(runtime, True, True) is not is_sqlite(runtime.database_url)


async def test_readers_never_wait_for_a_writer(runtime: Runtime):
    assert await overlapping(runtime, True, False)
    assert await overlapping(runtime, False, True)


async def test_a_locked_refusal_is_run_again_and_then_given_up():
    tries = 0

    async def refused() -> str:
        nonlocal tries
        tries += 1
        raise OperationalError("UPDATE …", {}, sqlite3.OperationalError("database is locked"))

    with pytest.raises(OperationalError):
        await again_if_locked(refused)
    assert tries == LOCKED_ATTEMPTS

    async def once_refused() -> str:
        nonlocal tries
        tries += 1
        if tries == 1:
            raise OperationalError("UPDATE …", {}, sqlite3.OperationalError("database is locked"))
        return "done"

    tries = 0
    assert await again_if_locked(once_refused) == "done"
    assert tries == 2


async def test_other_database_errors_are_raised_at_once():
    tries = 0

    async def broken() -> None:
        nonlocal tries
        tries += 1
        raise OperationalError("SELECT …", {}, sqlite3.OperationalError("no such table: actions"))

    with pytest.raises(OperationalError):
        await again_if_locked(broken)
    assert tries == 1


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("actions", "", True),
        ("actions", "all page 2", True),
        ("actions", "A07", True),
        ("aftercare", "whoami", True),
        ("aftercare", "help", True),
        ("actions", "A07 on track huddles started", False),
        ("actions", "A07 impact fewer repeat referrals", False),
        ("aftercare", "away until 2026-12-31", False),
        ("reflect", "", False),
        ("checkin", "", False),
        ("broadcast", 'agency:KBC "How is it going?"', False),
        ("broadcast", "cancel 3", False),
        ("actions", "A07 sideways", True),  # does not parse: refused, nothing written
    ],
)
def test_which_typed_commands_only_read(command: str, text: str, expected: bool):
    assert reads_only(command, text) is expected
