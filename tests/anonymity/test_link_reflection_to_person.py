"""Attacks that try to name the author of one reflection from what is stored with it, or from what happened near it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.runtime import Runtime
from handlers.cycles import cohort_of
from handlers.model import Participant
from tests.anonymity.conftest import LEAD_PROMPT, reflect, scripted_programme, table_rows, words
from tests.factories import LEAD, PRACTITIONER


async def roster(runtime: Runtime) -> list[Participant]:
    async with runtime.unit() as deps:
        programme = (await deps.programmes.all())[0]
        return await deps.participants.in_programme(programme.id)


async def test_no_stored_attribute_narrows_a_reflection_below_k(runtime: Runtime):
    """Attack: 'lead prompt PR-07, cohort KBC' is the one lead of KBC. Each reflection must leave at least k people."""
    await scripted_programme(runtime)
    people = await roster(runtime)
    k = (await runtime.programmes())[0].governance.k
    sizes = {p.agency: sum(1 for q in people if q.agency == p.agency) for p in people}
    label = {p.id: cohort_of(p, sizes, k) for p in people}  # the rule is public: the intruder applies it too
    reflections = await table_rows(runtime, "reflections")
    assert len(reflections) == 6
    for row in reflections:
        cohort = str(row["cohort"])
        candidates = [p for p in people if label[p.id] == cohort]
        prompt = runtime.library.prompt(str(row["prompt_id"])) if row["prompt_id"] else None
        if prompt is not None:
            candidates = [p for p in candidates if prompt.suits(p.roles)]
        assert len(candidates) >= k, f"a reflection's cohort and prompt fit only {len(candidates)} people"


async def test_the_lead_still_hears_what_was_kept(runtime: Runtime):
    """The receipt is honest about the prompt: it says it was not stored, rather than silently dropping it."""
    assert (await runtime.say(LEAD, "/aftercare privacy accept")).ok
    receipt = await reflect(runtime, LEAD, words(1), prompt=LEAD_PROMPT)
    assert receipt.ok
    assert LEAD_PROMPT not in receipt.text
    assert "prompt" in receipt.text and "not stored" in receipt.text


@pytest.mark.postgres
async def test_no_identity_bearing_row_is_written_next_to_a_reflection(runtime: Runtime):
    """Attack (PostgreSQL): read every row's xmin; the identity-bearing row written just before or with a
    reflection names its author (on today's code, the acknowledgement written on the way to the form)."""
    if not runtime.database_url.startswith("postgresql"):
        pytest.skip("transaction ids are a PostgreSQL system column")
    opened = await runtime.say(PRACTITIONER, "/reflect")  # the statement first: acknowledged on the way
    assert opened.form is not None
    form = await runtime.submit_form(PRACTITIONER, opened.form, {"read": "yes"})
    assert form.form is not None
    assert (await runtime.submit_form(PRACTITIONER, form.form, {"text": words(3), "tags": ""})).ok
    async with runtime.sessions() as session:
        written = (await session.execute(text("SELECT xmin::text::bigint FROM reflections"))).scalar_one()
        author = await session.execute(text("SELECT id FROM participants WHERE email = :e"), {"e": PRACTITIONER})
        author_id = author.scalar_one()
        columns = await session.execute(
            text("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                 "AND (column_name = 'participant_id' OR column_name LIKE '%email%') AND table_name <> 'participants'")
        )  # fmt: skip
        named: list[str] = []
        for table, column in columns.all():
            found = await session.execute(
                text(f'SELECT count(*) FROM "{table}" WHERE xmin::text::bigint BETWEEN :a AND :b '
                     f'AND lower("{column}"::text) IN (:id, :email)'),
                {"a": written - 1, "b": written, "id": str(author_id), "email": PRACTITIONER},
            )  # fmt: skip
            if found.scalar_one():
                named.append(f"{table}.{column}")
    assert named == [], "rows written with or just before the reflection name its author"
