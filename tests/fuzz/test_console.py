"""Hostile input at the console (the same pipeline `aftercare say` and `aftercare console` use): commands, button
presses and form submissions with changed or wrongly typed values. Every answer is a reply, never an exception; a
refusal changes nothing."""

from __future__ import annotations

import logging

import pytest

from bot.clock import SimulatedClock
from handlers.library import Library
from handlers.reply import Form, Reply
from tests.delivery.conftest import loaded_delivery_runtime
from tests.factories import FACILITATOR, LEAD, MANAGER, OWNER, PRACTITIONER
from tests.fuzz.conftest import assert_no_errors, check_stored, counts
from tests.fuzz.hostile import Hostile

# Minutes of wall time on a busy machine: the default 300 s per test is too tight.
pytestmark = [pytest.mark.fuzz, pytest.mark.slow, pytest.mark.timeout(1200)]


PEOPLE = [OWNER, MANAGER, PRACTITIONER, FACILITATOR, LEAD]
CONSOLE_PAYLOADS = 5000


def kind_answer(reply: Reply) -> None:
    assert reply.text.strip(), "an empty answer"
    if not reply.ok:
        assert "Traceback" not in reply.text and "Error" not in reply.text.split(":")[0]
        assert len(reply.text) < 1500


async def test_the_console_never_breaks(
    shm_url: str, clock: SimulatedClock, library: Library, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    runtime = await loaded_delivery_runtime(shm_url, clock, library)
    ids = {}
    async with runtime.unit() as deps:
        for email in PEOPLE:
            ids[email] = (await deps.participants.by_email_anywhere(email))[0].id
    hostile = Hostile(1)
    try:
        for _ in range(hostile.count(CONSOLE_PAYLOADS)):
            email = hostile.choice(PEOPLE)
            before = await counts(runtime)
            roll = hostile.rng.random()
            if roll < 0.05:
                reply = await runtime.as_email(email, None, hostile.home_opened())
                kind_answer(reply)
                assert await counts(runtime) == before, "opening Home wrote something"
                continue
            if roll < 0.6:
                word, text = hostile.line()
                reply = await runtime.say(email, f"/{word} {text}")
            elif roll < 0.8:
                reply = await runtime.press(email, *hostile.action())
            else:
                form_id, state, values = hostile.form()
                if hostile.rng.random() < 0.5:  # a state the server really sealed, for this person and form
                    state = runtime.forms.seal(ids[email], form_id, state)
                reply = await runtime.submit_form(email, Form(form_id=form_id, title="x", state=state), values)
            kind_answer(reply)
            if reply.discard:
                assert await counts(runtime) == before, "a refused request changed something"
        await check_stored(runtime)
    finally:
        await runtime.close()
    assert_no_errors(caplog)
