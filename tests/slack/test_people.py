"""Running an interaction as the person behind a Slack account: SQLite's busy refusals are retried."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from bot.slack.inbound import Who
from bot.slack.listeners import SlackPeople
from handlers.reply import Reply
from tests.slack.conftest import OWNER_ID, TEAM, Harness


def people(harness: Harness) -> SlackPeople:
    found: SlackPeople = harness.app.state.slack.people
    return found


async def test_a_transaction_refused_by_a_busy_sqlite_is_run_again(harness: Harness):
    tries: list[str] = []

    async def work(actor, deps, session):
        tries.append(actor.email)
        if len(tries) == 1:
            raise OperationalError("UPDATE actions …", {}, sqlite3.OperationalError("database is locked"))
        return Reply(text="done")

    reply = await people(harness).run(Who(TEAM, OWNER_ID), harness.app.state.slack.bolt.client, work)

    assert reply == Reply(text="done")
    assert len(tries) == 2


async def test_other_database_errors_are_not_retried(harness: Harness):
    tries = 0

    async def work(actor, deps, session):
        nonlocal tries
        tries += 1
        raise OperationalError("SELECT …", {}, sqlite3.OperationalError("no such table: actions"))

    with pytest.raises(OperationalError):
        await people(harness).run(Who(TEAM, OWNER_ID), harness.app.state.slack.bolt.client, work)
    assert tries == 1
