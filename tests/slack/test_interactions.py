"""Buttons (block_actions) and modals (view_submission) through the real app, on messages and views the app made."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.slack import listeners
from handlers.action_views import ACTION_STATUS_BUTTON, status_buttons
from handlers.library import Library
from handlers.model import Status
from handlers.prompting import CONCERN_BUTTON, NOT_TODAY_BUTTON, REFLECT_BUTTON, prompt_reply
from handlers.reply import Block, Reply
from storage.anonymous_models import ReflectionRow
from storage.models import ActionUpdateRow
from tests.fakes.slack_limits import message_block_errors, view_errors
from tests.slack.conftest import OWNER_ID, WORKER_ID, Harness, eventually, post_to
from tests.slack.payloads import block_actions, sent_view, view_submission
from tests.slack.test_commands import action

CHECK_IN = Reply(
    text="How is A07 going?",
    blocks=(Block(kind="section", text="How is A07 going?"), status_buttons("A07")),
    ephemeral=False,
)


def modal_answer(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    if body.get("response_action") == "update":
        assert view_errors(body["view"], "modal") == []
    return body


async def test_a_status_button_changes_the_action_and_updates_the_message_in_place(harness: Harness):
    dm, message = await post_to(harness.slack, OWNER_ID, CHECK_IN)

    response = await harness.interact(block_actions(harness.slack, dm, message, ACTION_STATUS_BUTTON, "A07:on_track"))

    assert response.status_code == 200
    assert (await action(harness, "A07")).status is Status.ON_TRACK
    updated = await eventually(lambda: harness.slack.calls_to("chat.update"))
    assert updated[0].ok and updated[0].params["ts"] == message["ts"]
    now = harness.slack.messages(dm)[-1]
    assert message_block_errors(now["blocks"]) == []
    assert [b["type"] for b in now["blocks"]] == ["section", "context"]
    assert "A07 is now 'On track'" in now["blocks"][1]["elements"][0]["text"]


async def test_a_double_click_is_applied_once(harness: Harness):
    dm, message = await post_to(harness.slack, OWNER_ID, CHECK_IN)
    press = block_actions(harness.slack, dm, message, ACTION_STATUS_BUTTON, "A07:at_risk")

    first, second = await asyncio.gather(harness.interact(press), harness.interact(press))
    again = await harness.interact(press)

    assert {first.status_code, second.status_code, again.status_code} == {200}
    assert (await action(harness, "A07")).status is Status.AT_RISK
    assert await harness.count(ActionUpdateRow) == 1
    assert len(harness.slack.calls_to("chat.update")) == 1


async def test_someone_else_pressing_the_button_is_refused_privately(harness: Harness):
    dm, message = await post_to(harness.slack, OWNER_ID, CHECK_IN)
    press = block_actions(harness.slack, dm, message, ACTION_STATUS_BUTTON, "A07:complete", user=WORKER_ID)

    await harness.interact(press)

    posts = await eventually(lambda: harness.slack.response_url_posts(press["response_url"]))
    assert posts[0].body["response_type"] == "ephemeral"
    assert posts[0].body["replace_original"] is False
    assert (await action(harness, "A07")).status is Status.NOT_STARTED
    assert harness.slack.calls_to("chat.update") == []


async def test_reflect_on_a_prompt_opens_the_form_each_time_it_is_pressed(harness: Harness, library: Library):
    dm, message = await post_to(harness.slack, OWNER_ID, prompt_reply(library.prompts[0], "Review: Child Q"))

    for _ in range(2):
        press = block_actions(harness.slack, dm, message, REFLECT_BUTTON, library.prompts[0].id)
        await harness.interact(press)

    opened = harness.slack.calls_to("views.open")
    assert [call.ok for call in opened] == [True, True]
    assert sent_view(opened[0])["callback_id"] == "privacy.ack"
    assert harness.slack.calls_to("chat.update") == []


async def test_not_today_answers_in_place(harness: Harness, library: Library):
    dm, message = await post_to(harness.slack, OWNER_ID, prompt_reply(library.prompts[0], "Review: Child Q"))

    await harness.interact(block_actions(harness.slack, dm, message, NOT_TODAY_BUTTON, library.prompts[0].id))

    await eventually(lambda: harness.slack.calls_to("chat.update"))
    assert "No problem" in str(harness.slack.messages(dm)[-1]["blocks"])


async def _open_reflection(harness: Harness) -> dict[str, Any]:
    """/reflect, then the confidentiality statement acknowledged: the reflection form as the app shows it."""
    await harness.command("/reflect")
    statement = sent_view(harness.slack.calls_to("views.open")[0])
    answer = modal_answer(await harness.interact(view_submission(statement, {"read": "yes"})))
    assert answer["response_action"] == "update"
    form: dict[str, Any] = answer["view"]
    assert form["callback_id"] == "reflect"
    return form


async def test_a_reflection_is_stored_and_the_modal_shows_the_receipt(harness: Harness):
    form = await _open_reflection(harness)
    text = "Joint visits are easier to arrange since the new protocol."

    answer = modal_answer(
        await harness.interact(view_submission(form, {"text": text, "at_risk_now": "no"}, view_hash="2.b"))
    )

    assert answer["response_action"] == "update"
    assert "Anonymity receipt" in str(answer["view"]["blocks"])
    assert "submit" not in answer["view"]
    assert await harness.count(ReflectionRow) == 1


async def test_submitting_the_same_modal_twice_stores_one_reflection(harness: Harness):
    form = await _open_reflection(harness)
    submission = view_submission(form, {"text": "Supervision now covers drift.", "at_risk_now": "no"}, view_hash="3.c")

    first, second = await asyncio.gather(harness.interact(submission), harness.interact(submission))

    texts = {str(modal_answer(r)["view"]["blocks"]) for r in (first, second)}
    assert any("Anonymity receipt" in t for t in texts)
    assert any(listeners.ALREADY in t for t in texts)
    assert await harness.count(ReflectionRow) == 1


async def test_a_reflection_naming_someone_comes_back_to_edit_and_nothing_is_stored(harness: Harness):
    form = await _open_reflection(harness)
    text = "I spoke with Olu Owner about the case at 12 Acacia Avenue."

    answer = modal_answer(
        await harness.interact(view_submission(form, {"text": text, "at_risk_now": "no"}, view_hash="4.d"))
    )

    assert answer["response_action"] == "update"
    assert answer["view"]["callback_id"] == "reflect"
    assert "Nothing has been stored yet" in str(answer["view"]["blocks"])
    assert await harness.count(ReflectionRow) == 0


async def test_an_empty_reflection_gets_an_error_beside_the_field(harness: Harness):
    form = await _open_reflection(harness)

    answer = modal_answer(await harness.interact(view_submission(form, {"text": "  "}, view_hash="5.e")))

    assert answer == {
        "response_action": "errors",
        "errors": {"text": "The reflection was empty, so nothing was stored."},
    }


async def test_a_checkin_is_stored(harness: Harness):
    await harness.command("/checkin")
    statement = sent_view(harness.slack.calls_to("views.open")[0])
    form = modal_answer(await harness.interact(view_submission(statement, {"read": "yes"})))["view"]
    assert form["callback_id"] == "checkin"
    answers = {b["block_id"]: "4" for b in form["blocks"] if b["type"] == "input"}

    answer = modal_answer(await harness.interact(view_submission(form, answers, view_hash="6.f")))

    assert "Thank you. Saved 2 answers" in str(answer["view"]["blocks"])


async def test_the_safeguarding_routes_are_shown_privately_and_the_prompt_stays(harness: Harness, library: Library):
    dm, message = await post_to(harness.slack, OWNER_ID, prompt_reply(library.prompts[0], "Review: Child Q"))

    async def press_concern() -> dict[str, Any]:
        press = block_actions(harness.slack, dm, message, CONCERN_BUTTON, library.prompts[0].id)
        await harness.interact(press)
        posts = await eventually(lambda: harness.slack.response_url_posts(press["response_url"]))
        body: dict[str, Any] = posts[0].body
        return body

    first, second = await press_concern(), await press_concern()

    assert "999" in first["text"] and first["response_type"] == "ephemeral"
    assert second["text"] == first["text"]  # pressed again, answered again
    assert harness.slack.calls_to("chat.update") == []
