"""Check-ins (handlers/checkins.py) against the in-memory ports: the current cycle's statements, answers stored
for the author's cohort without their id, a second answer replacing the first, and nothing half-stored."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.cycles import COMBINED
from handlers.dispatch import run_text, submit_form
from handlers.ports import Deps
from handlers.reply import Reply, plain_text
from tests.factories import PRACTITIONER
from tests.handlers.conftest import person
from tests.handlers.memory import FixedClock, World

IN_CI_3 = dt.datetime(2026, 9, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _cycle_open(clock: FixedClock) -> None:
    clock.at = IN_CI_3


async def opened(world: World, deps: Deps) -> Reply:
    actor = person(world, PRACTITIONER)
    first = await run_text("/checkin", "", actor, deps)
    assert first.form is not None and first.form.form_id == "privacy.ack"
    reply = await submit_form(first.form.form_id, first.form.state, {"read": "yes"}, actor, deps)
    assert reply.form is not None and reply.form.form_id == "checkin", reply.text
    return reply


async def answer(world: World, deps: Deps, form: Reply, values: dict[str, str]) -> Reply:
    assert form.form is not None
    return await submit_form(form.form.form_id, form.form.state, values, person(world, PRACTITIONER), deps)


async def test_the_form_asks_the_current_cycles_statements(world: World, deps: Deps):
    form = (await opened(world, deps)).form
    assert form is not None and [f.key for f in form.fields] == ["IND-01", "IND-06"]
    assert "groups of 5 or more" in plain_text(form.intro[0].text)


async def test_answers_are_stored_for_the_cohort_and_a_second_answer_replaces_the_first(world: World, deps: Deps):
    form = await opened(world, deps)
    first = await answer(world, deps, form, {"IND-01": "4", "IND-06": "skip"})
    second = await answer(world, deps, form, {"IND-01": "2", "IND-06": "5"})
    assert "Saved 1 answers" in first.text and "Saved 2 answers" in second.text
    assert "a combined group of smaller agencies" in second.text  # KPOL alone would be fewer than 5
    assert first.text.replace("1 answers", "n") == second.text.replace("2 answers", "n")  # no tell of an earlier one
    ((key, (cohort, answers)),) = world.answers.items()
    assert key[:2] == (1, "CI-3") and cohort == COMBINED and answers == {"IND-01": 2, "IND-06": 5}
    assert str(person(world, PRACTITIONER).id) not in key[2]


async def test_a_value_out_of_range_stores_nothing(world: World, deps: Deps):
    reply = await answer(world, deps, await opened(world, deps), {"IND-01": "9", "IND-06": "3"})
    assert not reply.ok and "nothing was stored" in reply.text and world.answers == {}


async def test_a_form_from_a_closed_cycle_stores_nothing(world: World, deps: Deps, clock: FixedClock):
    form = await opened(world, deps)
    clock.at = dt.datetime(2027, 9, 2, 10, 0, tzinfo=dt.UTC)
    world.programmes[1] = world.programmes[1].model_copy(
        update={"checkins": (*world.programmes[1].checkins, world.programmes[1].checkins[1].model_copy(
            update={"code": "CI-12", "date": dt.date(2027, 9, 1)}))}
    )  # fmt: skip
    reply = await answer(world, deps, form, {"IND-01": "4", "IND-06": "3"})
    assert not reply.ok and "has closed" in reply.text and world.answers == {}
