"""Attacks on "who took part": the acknowledgement table, and what a receipt tells whoever can speak as a person."""

from __future__ import annotations

from sqlalchemy import Date, DateTime

from bot.runtime import Runtime
from storage.schema import metadata
from tests.anonymity.conftest import PEOPLE, check_in, scripted_programme, table_rows
from tests.factories import PRACTITIONER


async def test_the_acknowledgement_table_does_not_list_people(runtime: Runtime):
    """Attack: people without an acknowledgement row certainly never reflected or checked in."""
    await scripted_programme(runtime)
    table = metadata.tables["acknowledgements"]
    assert {fk.column.table.name for fk in table.foreign_keys} <= {"programmes"}
    assert not [c.name for c in table.columns if isinstance(c.type, Date | DateTime)]
    async with runtime.unit() as deps:
        people = await deps.participants.in_programme((await deps.programmes.all())[0].id)
    values = {str(v) for row in await table_rows(runtime, "acknowledgements") for v in row.values()}
    assert len(people) >= len(PEOPLE)
    for person in people:
        assert person.email not in values
        assert str(person.id) not in values


async def test_the_statement_is_still_asked_for_and_remembered(runtime: Runtime):
    first = await runtime.say(PRACTITIONER, "/reflect")
    assert first.form is not None and first.form.form_id == "privacy.ack"
    assert (await runtime.say(PRACTITIONER, "/aftercare privacy accept")).ok
    again = await runtime.say(PRACTITIONER, "/reflect")
    assert again.form is not None and again.form.form_id == "reflect"


async def test_a_check_in_receipt_does_not_tell_a_first_answer_from_a_later_one(runtime: Runtime):
    """Attack: someone who can speak as a person (an unlocked laptop) checks in twice and reads the receipt."""
    await runtime.say(PRACTITIONER, "/aftercare privacy accept")
    first = await check_in(runtime, PRACTITIONER)
    second = await check_in(runtime, PRACTITIONER)
    assert first.ok and second.ok
    assert first.text == second.text
