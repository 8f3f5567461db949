"""The promises of docs/anonymity.md, checked after a full run: no path from a person to what they said."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import inspect, select, text

from bot.runtime import Runtime
from storage.anonymous_models import CycleKeyRow, IndicatorResponseRow, ReflectionRow, SafeguardingFlagRow
from storage.models import ActionRow, ParticipantRow
from storage.retention import erase_participant, purge
from storage.schema import metadata
from tests.factories import FACILITATOR, OWNER, PRACTITIONER

WORDS = [
    "Our team meetings rarely leave room to question decisions made by other agencies about adolescents.",
    "Joint visits with the school nurse helped me see what a normal day looks like for the young person.",
    "I worry that escalation still depends on who you know rather than the procedure itself.",
]
SCORES = {"IND-01": "4", "IND-02": "2"}
ANONYMOUS_TABLES = ("reflections", "indicator_responses", "participation_counts", "cycle_keys")


async def full_run(runtime: Runtime) -> None:
    for email, words in zip((PRACTITIONER, OWNER, FACILITATOR), WORDS, strict=True):
        assert (await runtime.say(email, "/aftercare privacy accept")).ok
        opened = await runtime.say(email, "/reflect")
        assert opened.form is not None
        assert (
            await runtime.submit_form(
                email, opened.form, {"text": words, "tags": "escalation_challenge", "at_risk_now": "no"}
            )
        ).ok
        checkin = await runtime.say(email, "/checkin")
        assert checkin.form is not None
        assert (await runtime.submit_form(email, checkin.form, SCORES)).ok
    await runtime.say(OWNER, "/actions A07 on track Weekly huddles started")


async def test_no_reflection_text_or_answer_reaches_the_logs(runtime: Runtime, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # even with SQL logging switched on
    try:
        await full_run(runtime)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert "COMMIT" in logged and "action A07" in logged  # the run was logged, so an empty log cannot pass
    assert "reflection stored" not in logged  # a log line's own time would date the reflection
    for words in WORDS:
        for fragment in (words[:30], words[-30:]):
            assert fragment not in logged


async def test_schema_has_no_path_from_a_participant_to_what_they_said(runtime: Runtime):
    await full_run(runtime)
    for name in ANONYMOUS_TABLES:
        table = metadata.tables[name]
        linked = {fk.column.table.name for fk in table.foreign_keys}
        assert linked <= {"programmes"}, f"{name} links to {linked}"
        for column in table.columns:
            assert column.name not in {"participant_id", "email", "user_id", "message_ts", "created_at", "at"}
            assert "DATETIME" not in str(column.type).upper() and "TIMESTAMP" not in str(column.type).upper()
    async with runtime.sessions() as session:
        people = (await session.execute(select(ParticipantRow.id, ParticipantRow.email, ParticipantRow.name))).all()
        values: set[str] = set()
        for name in ANONYMOUS_TABLES:
            for row in (await session.execute(select(metadata.tables[name]))).all():
                values.update(str(v) for v in row)
        reflections = (await session.execute(select(ReflectionRow))).scalars().all()
        scores = (await session.execute(select(IndicatorResponseRow))).scalars().all()
    assert len(reflections) == 3
    assert len(scores) == 6
    for person_id, email, name in people:
        assert email not in values
        assert name not in values
        assert str(person_id) not in {v for v in values if len(v) < 6} - {
            "1",
            "3",
            "2",
            "4",
            "5",
        }  # small ints are scores
    assert all(r.stored_on.weekday() == 0 for r in reflections)
    assert len({r.contributor for r in reflections}) == 3


async def test_sqlite_keeps_no_hidden_insertion_order(sqlite_runtime: Runtime):
    await full_run(sqlite_runtime)
    async with sqlite_runtime.sessions() as session:
        with pytest.raises(Exception, match="rowid"):
            await session.execute(text("SELECT rowid FROM reflections"))


async def test_purge_deletes_text_after_retention_and_destroys_closed_keys(runtime: Runtime, clock):
    await full_run(runtime)
    async with runtime.sessions() as session, session.begin():
        done = await purge(session, clock.now().date())
    assert done.texts_deleted == 0
    later = clock.now().date() + dt.timedelta(days=100)
    async with runtime.sessions() as session, session.begin():
        done = await purge(session, later)
    assert done.texts_deleted == 3
    async with runtime.sessions() as session:
        assert (await session.execute(select(ReflectionRow.text))).scalars().all() == [None, None, None]
        assert (await session.execute(select(CycleKeyRow))).scalars().all() == []  # CI-0 closed when CI-3 began


async def test_erase_removes_a_persons_data(runtime: Runtime):
    await full_run(runtime)
    async with runtime.sessions() as session, session.begin():
        assert await erase_participant(session, OWNER) == 1
    async with runtime.sessions() as session:
        emails = set((await session.execute(select(ParticipantRow.email))).scalars())
        owners = set((await session.execute(select(ActionRow.owner_email))).scalars())
        values = []
        for table in metadata.sorted_tables:
            values += [str(v) for row in (await session.execute(select(table))).all() for v in row]
        dump = " ".join(values)
    assert OWNER not in emails
    assert OWNER not in owners
    assert OWNER not in dump
    assert "Olu Owner" not in dump


async def test_live_risk_flag_holds_no_words(runtime: Runtime):
    assert (await runtime.say(PRACTITIONER, "/aftercare privacy accept")).ok
    opened = await runtime.say(PRACTITIONER, "/reflect")
    assert opened.form is not None
    words = "He told me today that his dad is still hitting him and he is scared to go home tonight."
    await runtime.submit_form(PRACTITIONER, opened.form, {"text": words, "tags": "", "at_risk_now": "no"})
    async with runtime.sessions() as session:
        flag = (await session.execute(select(SafeguardingFlagRow))).scalar_one()
        columns = {c.key for c in inspect(SafeguardingFlagRow).columns}
    assert "text" not in columns
    assert words not in str([getattr(flag, c) for c in columns])
