"""A programme read with the person at the door is held for that transaction only (storage/repositories/held.py):
never served to a later transaction, and dropped within one the moment its row changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, update

from bot.runtime import Runtime
from storage.models import ProgrammeRow
from tests.factories import OWNER


@contextmanager
def statements(runtime: Runtime) -> Iterator[list[str]]:
    sent: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", seen)


async def test_the_programme_found_with_the_person_needs_no_second_query(runtime: Runtime):
    async with runtime.unit() as deps:
        (person,) = await deps.participants.by_email_anywhere(OWNER)
        with statements(runtime) as sent:
            programme = await deps.programmes.get(person.programme_id)
    assert programme.id == person.programme_id
    assert sent == []


async def test_a_change_committed_elsewhere_is_seen_by_the_next_transaction(runtime: Runtime):
    async with runtime.sessions() as session:
        deps = runtime.deps(session)  # one session over two transactions, as a long-lived worker might hold
        async with session.begin():
            (person,) = await deps.participants.by_email_anywhere(OWNER)
            assert (await deps.programmes.get(person.programme_id)).name != "Renamed"
        async with runtime.sessions() as other, other.begin():  # another process or replica
            await other.execute(update(ProgrammeRow).values(name="Renamed"))
        async with session.begin():
            assert (await deps.programmes.get(person.programme_id)).name == "Renamed"


async def test_a_change_within_the_transaction_is_seen_at_once(runtime: Runtime):
    moved = dt.date(2026, 9, 8)
    async with runtime.sessions() as session, session.begin():
        deps = runtime.deps(session)
        (person,) = await deps.participants.by_email_anywhere(OWNER)
        pid = person.programme_id
        assert (await deps.programmes.get(pid)).checkins[1].date != moved
        await deps.programmes.move_checkin(pid, "CI-3", moved)  # changes the loaded row
        assert (await deps.programmes.get(pid)).checkins[1].date == moved
        await session.execute(update(ProgrammeRow).where(ProgrammeRow.id == pid).values(name="Renamed"))
        assert (await deps.programmes.get(pid)).name == "Renamed"
