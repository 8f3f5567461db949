"""Reflections (handlers/reflections.py) against the in-memory ports: the confidentiality statement first, then the
screen's gate decides what reaches the store: hold (a flag, nothing stored), ask (nothing stored until answered),
or store, without the author's id."""

from __future__ import annotations

from handlers.dispatch import run_text, submit_form
from handlers.ports import Deps
from handlers.reply import Reply
from tests.factories import PRACTITIONER
from tests.handlers.conftest import person
from tests.handlers.memory import World

QUIET_CONCERN = "Her mum's new boyfriend collects her from school and she goes quiet when she sees his car."
HELD = "The boy told me today that his stepdad is still hitting him and he is scared to go home tonight."
PLAIN = "Joint visits with the police helped us hear the young person's account."


async def opened(world: World, deps: Deps) -> Reply:
    actor = person(world, PRACTITIONER)
    first = await run_text("/reflect", "", actor, deps)
    assert first.form is not None and first.form.form_id == "privacy.ack" and not first.ok
    reply = await submit_form(first.form.form_id, first.form.state, {"read": "yes"}, actor, deps)
    assert reply.form is not None and reply.form.form_id == "reflect"
    return reply


async def submit(world: World, deps: Deps, reply: Reply, values: dict[str, str]) -> Reply:
    assert reply.form is not None
    return await submit_form(reply.form.form_id, reply.form.state, values, person(world, PRACTITIONER), deps)


async def test_nothing_is_asked_for_before_the_statement_is_acknowledged(world: World, deps: Deps):
    first = await run_text("/reflect", "", person(world, PRACTITIONER), deps)
    assert first.form is not None and first.form.form_id == "privacy.ack"
    assert world.statements_acknowledged == set()
    await opened(world, deps)
    assert len(world.statements_acknowledged) == 1


async def test_a_plain_reflection_is_stored_with_its_tags_and_no_author(world: World, deps: Deps):
    form = await opened(world, deps)
    reply = await submit(world, deps, form, {"text": PLAIN, "tags": "information_sharing", "at_risk_now": "no"})
    assert "Anonymity receipt" in reply.text
    ((stored, token),) = world.reflections
    assert (stored.text, stored.tags, stored.in_themes) == (PLAIN, ("information_sharing",), True)
    assert str(person(world, PRACTITIONER).id) not in token and PRACTITIONER not in repr(stored)


async def test_the_at_risk_question_must_be_answered_before_anything_is_stored(world: World, deps: Deps):
    reply = await submit(world, deps, await opened(world, deps), {"text": PLAIN})
    assert reply.form is not None and reply.form.form_id == "reflect"
    assert reply.form.fields[0].initial == PLAIN and world.reflections == []


async def test_a_held_text_raises_a_flag_and_stores_nothing(world: World, deps: Deps):
    reply = await submit(world, deps, await opened(world, deps), {"text": HELD, "at_risk_now": "no"})
    assert reply.form is not None and reply.form.form_id == "safeguarding.choice"
    assert world.reflections == [] and len(world.flags) == 1
    assert [e.verb for _, e in world.audit] == ["safeguarding.flag"]


async def test_the_authors_yes_holds_even_a_plain_text(world: World, deps: Deps):
    reply = await submit(world, deps, await opened(world, deps), {"text": PLAIN, "at_risk_now": "yes"})
    assert reply.form is not None and reply.form.form_id == "safeguarding.choice"
    assert world.reflections == [] and len(world.flags) == 1


async def test_ask_stores_nothing_until_answered_and_no_stores_exactly_the_text(world: World, deps: Deps):
    asked = await submit(world, deps, await opened(world, deps), {"text": QUIET_CONCERN, "at_risk_now": "no"})
    assert asked.form is not None and asked.form.form_id == "reflect.ask"
    unanswered = await submit(world, deps, asked, {})
    assert not unanswered.ok and world.reflections == []
    stored = await submit(world, deps, asked, {"child_at_risk_now": "no"})
    assert "Anonymity receipt" in stored.text
    assert [r.text for r, _ in world.reflections] == [QUIET_CONCERN] and world.flags == {}


async def test_ask_answered_yes_raises_a_flag_and_stores_nothing(world: World, deps: Deps):
    asked = await submit(world, deps, await opened(world, deps), {"text": QUIET_CONCERN, "at_risk_now": "no"})
    answered = await submit(world, deps, asked, {"child_at_risk_now": "yes"})
    assert not answered.ok and "not a referral route" in answered.text
    assert world.reflections == [] and len(world.flags) == 1


async def test_identifiers_come_back_to_the_author_and_are_not_stored(world: World, deps: Deps):
    text = "We met the family at 14 Acacia Avenue, KT1 2AB, and the NHS number was 943 476 5919."
    reply = await submit(world, deps, await opened(world, deps), {"text": text, "at_risk_now": "no"})
    assert reply.form is not None and reply.form.form_id == "reflect"
    assert "KT1 2AB" not in (reply.form.fields[0].initial or "") and world.reflections == []
