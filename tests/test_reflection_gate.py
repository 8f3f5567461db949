"""The safety gate end to end (issue 13): the author's answer is required, 'ask' stores nothing until answered, a
held text the author calls historic comes back to edit, and the form reads well after redaction."""

from __future__ import annotations

from sqlalchemy import select

from bot.console import ask_form
from bot.runtime import Runtime
from handlers.reply import Reply, plain_text
from handlers.screen import Outcome, screen
from storage.anonymous_models import ReflectionRow, SafeguardingFlagRow
from tests.factories import PRACTITIONER
from tests.test_reflections import acknowledged, count

# No harm word the rules know: the rules alone store it; the classifier makes it a question.
QUIET_CONCERN = "Her mum's new boyfriend collects her from school and she goes quiet when she sees his car."
HELD = "The boy told me today that his stepdad is still hitting him and he is scared to go home tonight."


async def submit(runtime: Runtime, values: dict[str, str]) -> Reply:
    opened = await runtime.say(PRACTITIONER, "/reflect")
    assert opened.form is not None
    return await runtime.submit_form(PRACTITIONER, opened.form, values)


def test_the_quiet_concern_is_asked_about_and_the_rules_alone_would_have_stored_it():
    from handlers.screen_risk import assess_risk

    assert not assess_risk(QUIET_CONCERN).live_risk
    assert screen(QUIET_CONCERN).outcome is Outcome.ASK


async def test_the_at_risk_question_is_required_and_the_words_are_kept(runtime: Runtime):
    await acknowledged(runtime)
    reply = await submit(runtime, {"text": "Joint visits helped.", "tags": "information_sharing"})
    assert reply.form is not None
    assert reply.form.form_id == "reflect"
    assert "we ask everyone, every time" in plain_text(reply.form.intro[0].text)
    assert reply.form.fields[0].initial == "Joint visits helped."
    assert next(f for f in reply.form.fields if f.key == "at_risk_now").required
    assert await count(runtime, ReflectionRow) == 0


async def test_ask_shows_the_routes_and_yes_stores_nothing(runtime: Runtime):
    await acknowledged(runtime)
    asked = await submit(runtime, {"text": QUIET_CONCERN, "at_risk_now": "no"})
    assert asked.form is not None
    assert asked.form.form_id == "reflect.ask"
    assert "Where to go" in plain_text(asked.form.intro[1].text)
    assert asked.form.fields[0].label == "Is a child at risk now?"
    assert await count(runtime, ReflectionRow) == 0
    answered = await runtime.submit_form(PRACTITIONER, asked.form, {"child_at_risk_now": "yes"})
    assert not answered.ok
    assert "not a referral route" in answered.text
    assert await count(runtime, ReflectionRow) == 0
    assert await count(runtime, SafeguardingFlagRow) == 1


async def test_ask_answered_no_is_stored_and_an_unanswered_ask_stores_nothing(runtime: Runtime):
    await acknowledged(runtime)
    asked = await submit(runtime, {"text": QUIET_CONCERN, "tags": "information_sharing", "at_risk_now": "no"})
    assert asked.form is not None
    unanswered = await runtime.submit_form(PRACTITIONER, asked.form, {})
    assert not unanswered.ok
    assert await count(runtime, ReflectionRow) == 0
    stored = await runtime.submit_form(PRACTITIONER, asked.form, {"child_at_risk_now": "no"})
    assert "Anonymity receipt" in stored.text
    async with runtime.sessions() as session:
        row = (await session.execute(select(ReflectionRow))).scalar_one()
    assert (row.text, row.tags) == (QUIET_CONCERN, ["information_sharing"])


async def test_a_held_text_the_author_calls_historic_comes_back_to_edit(runtime: Runtime):
    await acknowledged(runtime)
    held = await submit(runtime, {"text": HELD, "tags": "information_sharing", "at_risk_now": "no"})
    assert held.form is not None
    assert held.form.form_id == "safeguarding.choice"
    back = await runtime.submit_form(PRACTITIONER, held.form, {"choice": "historic"})
    assert back.form is not None
    assert back.form.form_id == "reflect"
    assert back.form.fields[0].initial == HELD
    assert "about the past" in plain_text(back.form.intro[0].text)
    assert [f.key for f in back.form.fields] == ["text", "at_risk_now"]  # themes kept, not asked again
    assert await count(runtime, ReflectionRow) == 0
    rewritten = "The learning for me from an old case: when a child tells you something once, ask again, early."
    stored = await runtime.submit_form(PRACTITIONER, back.form, {"text": rewritten, "at_risk_now": "no"})
    assert "Anonymity receipt" in stored.text


async def test_after_redaction_themes_are_kept_and_the_receipt_names_them(runtime: Runtime):
    await acknowledged(runtime)
    # An ordinary reflection with identifiers (the gate's question is tested above; this is about redaction).
    text = "Supervision with Jayden Carter at 14 Mill Lane helped me plan the next review."
    screened = await submit(runtime, {"text": text, "tags": "information_sharing", "at_risk_now": "no"})
    assert screened.form is not None
    assert [f.key for f in screened.form.fields] == ["text", "at_risk_now"]
    redacted = screened.form.fields[0].initial
    assert "Jayden" not in redacted
    stored = await runtime.submit_form(PRACTITIONER, screened.form, {"text": redacted, "at_risk_now": "no"})
    assert "Anonymity receipt" in stored.text
    assert "information_sharing" not in stored.text
    label = runtime_tag_label(runtime, "information_sharing")
    assert f"themes: {label}" in stored.text


def runtime_tag_label(runtime: Runtime, tag_id: str) -> str:
    tag = runtime.library.tag(tag_id)
    assert tag is not None
    return tag.label


async def test_the_console_shows_the_redacted_text_and_says_up_to_three(runtime: Runtime):
    await acknowledged(runtime)
    opened = await runtime.say(PRACTITIONER, "/reflect")
    assert opened.form is not None
    said: list[str] = []
    answers = iter(["Joint visits helped.", "1,2,3,4", "1,2", "1"])
    ask_form(opened.form, lambda _prompt: next(answers), said.append)
    assert any("up to 3" in line for line in said)
    text = "I kept thinking about Jayden Carter and whether we asked enough."
    screened = await runtime.submit_form(PRACTITIONER, opened.form, {"text": text, "at_risk_now": "no"})
    assert screened.form is not None
    said.clear()
    got = ask_form(screened.form, lambda prompt: "1" if prompt.startswith("Is any of this") else "", said.append)
    assert any("as it stands:\nI kept thinking about [name] and whether" in line for line in said)
    assert got is not None
    assert got["text"] == screened.form.fields[0].initial
    assert "tags" not in got


async def test_slack_and_teams_show_the_question_as_required_with_the_reason(runtime: Runtime):
    from bot.slack.forms import form_inputs
    from bot.teams.dialogs import form_card

    await acknowledged(runtime)
    opened = await runtime.say(PRACTITIONER, "/reflect")
    assert opened.form is not None
    [slack] = [b for b in form_inputs(opened.form.fields) if b["block_id"] == "at_risk_now"]
    assert slack["optional"] is False
    assert "we ask everyone, every time" in slack["hint"]["text"]
    card = str(form_card(opened.form))
    assert "'isRequired': True" in card
    assert "we ask everyone, every time" in card
