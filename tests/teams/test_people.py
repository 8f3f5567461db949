"""Running a Teams request as the person speaking: SQLite's busy refusals are run again, other errors are not."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from bot.runtime import Runtime
from bot.teams.edge import Door
from bot.teams.inbound import Turn
from bot.teams.listeners import People
from handlers.reply import Reply

TURN = Turn("tenant-a", "aad-worker", "29:worker", "a:chat", "personal", "http://127.0.0.1:9/", None, None)


async def no_emails(_turn: Turn) -> list[str]:
    return []


async def test_a_transaction_refused_by_a_busy_sqlite_is_run_again(teams_runtime: Runtime):
    tries: list[str] = []

    async def work(actor, deps, session):
        tries.append(actor.email)
        if len(tries) == 1:
            raise OperationalError("UPDATE actions …", {}, sqlite3.OperationalError("database is locked"))
        return Reply(text="done")

    reply = await People(teams_runtime, no_emails, Door(frozenset({"tenant-a"}))).run(TURN, work)

    assert reply == Reply(text="done")
    assert tries == ["worker@council.example"] * 2


async def test_other_database_errors_are_not_run_again(teams_runtime: Runtime):
    tries = 0

    async def work(actor, deps, session):
        nonlocal tries
        tries += 1
        raise OperationalError("SELECT …", {}, sqlite3.OperationalError("no such table: actions"))

    with pytest.raises(OperationalError):
        await People(teams_runtime, no_emails, Door(frozenset({"tenant-a"}))).run(TURN, work)
    assert tries == 1
