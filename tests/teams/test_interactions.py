"""Buttons and dialogs: status buttons update the card in place; forms open as dialogs and never post answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.teams.inbound import COMMAND_BUTTON
from storage.anonymous_models import ReflectionRow
from storage.models import ActionRow
from tests.teams.conftest import OWNER_AAD, WORKER_AAD, Harness, chat_of

REFLECTION = "We should ask to see a feed on first visits."


async def status_of(runtime: Runtime, code: str) -> str:
    async with runtime.sessions() as session:
        return str((await session.execute(select(ActionRow.status).where(ActionRow.code == code))).scalar_one())


async def reflections(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(ReflectionRow))).scalar_one())


def actions_of(card: dict[str, Any]) -> list[dict[str, Any]]:
    in_body: list[dict[str, Any]] = [a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]]
    return in_body + list(card.get("actions", []))


def dialog_card(response: dict[str, Any]) -> dict[str, Any]:
    task = response["task"]
    assert task["type"] == "continue", task
    return dict(task["value"]["card"]["content"])


def submit_data(card: dict[str, Any], **answers: str) -> dict[str, Any]:
    [submit] = card["actions"]
    return {**submit["data"], **{f"field.{key}": value for key, value in answers.items()}}


async def home_card(teams: Harness, aad: str) -> tuple[str, dict[str, Any]]:
    await teams.say(aad, "home")
    sent = teams.fake.sent_to(chat_of(teams.fake, aad))[-1]
    return sent.activity_id, sent.cards[0]


async def test_a_status_button_changes_the_action_and_updates_the_card_in_place(teams: Harness):
    message_id, _card = await home_card(teams, OWNER_AAD)
    answer = await teams.press(OWNER_AAD, "actions.set_status", "A07:on_track", reply_to_id=message_id)
    assert await status_of(teams.runtime, "A07") == "on_track"
    chat = chat_of(teams.fake, OWNER_AAD)
    [update] = [a for a in teams.fake.sent_to(chat) if a.operation == "update"]
    assert update.activity_id == message_id
    assert "A07 is now 'On track'." in str(update.cards[0])
    [shown] = teams.fake.messages(chat)
    assert shown["attachments"][0]["content"] == update.cards[0]
    assert answer["statusCode"] == 200
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert answer["value"] == update.cards[0]


async def test_a_refused_press_leaves_the_card_and_says_why(teams: Harness):
    message_id, card = await home_card(teams, WORKER_AAD)
    answer = await teams.press(WORKER_AAD, "actions.set_status", "A07:on_track", reply_to_id=message_id)
    assert await status_of(teams.runtime, "A07") == "not_started"
    assert answer["type"] == "application/vnd.microsoft.activity.message"
    assert "A07" in answer["value"]
    chat = chat_of(teams.fake, WORKER_AAD)
    assert [a.operation for a in teams.fake.sent_to(chat)] == ["send"]
    assert teams.fake.messages(chat)[0]["attachments"][0]["content"] == card


async def test_a_form_opens_as_a_dialog_and_its_answers_never_reach_the_chat(teams: Harness):
    await teams.say(WORKER_AAD, "reflect")
    chat = chat_of(teams.fake, WORKER_AAD)
    [launcher] = teams.fake.sent_to(chat)
    [opener] = actions_of(launcher.cards[0])
    assert opener["data"]["msteams"] == {"type": "task/fetch"}

    acknowledgement = dialog_card(await teams.fetch(WORKER_AAD, opener["data"]))
    reflect_form = dialog_card(await teams.submit(WORKER_AAD, submit_data(acknowledgement, read="yes")))
    inputs = [e["id"] for e in reflect_form["body"] if e["type"].startswith("Input.")]
    assert inputs[:2] == ["field.text", "field.tags"]
    assert submit_data(reflect_form)["form_id"] == "reflect"
    receipt = await teams.submit(WORKER_AAD, submit_data(reflect_form, text=REFLECTION, tags="", at_risk_now="no"))

    assert REFLECTION in str(dialog_card(receipt))  # the anonymity receipt, shown in the dialog only
    assert await reflections(teams.runtime) == 1
    assert len(teams.fake.sent_to(chat)) == 1
    assert REFLECTION not in str(teams.fake.activities)


async def test_a_refused_submission_shows_the_form_again_with_the_answers_kept(teams: Harness):
    await teams.say(WORKER_AAD, "aftercare privacy accept")
    opened = dialog_card(await teams.fetch(WORKER_AAD, {"aftercare": "command", "line": "reflect"}))
    again = dialog_card(
        await teams.submit(WORKER_AAD, submit_data(opened, text=REFLECTION, tags="no-such-theme", at_risk_now="no"))
    )
    assert "'no-such-theme' is not one of the programme's themes" in again["body"][0]["text"]
    [text_input] = [e for e in again["body"] if e.get("id") == "field.text"]
    assert text_input["value"] == REFLECTION
    assert await reflections(teams.runtime) == 0


async def test_a_prompts_reflect_button_opens_the_reflection_dialog(teams: Harness):
    await teams.say(WORKER_AAD, "aftercare privacy accept")
    prompt_id = teams.runtime.library.prompts[0].id
    opened = dialog_card(
        await teams.fetch(WORKER_AAD, {"aftercare": "button", "action_id": "prompt.reflect", "value": prompt_id})
    )
    assert teams.runtime.library.prompts[0].text[:40] in str(opened["body"])
    assert submit_data(opened)["form_id"] == "reflect"


async def test_the_personal_views_check_in_button_opens_a_dialog(teams: Harness):
    first = dialog_card(await teams.fetch(WORKER_AAD, {"aftercare": "command", "line": "checkin"}))
    assert submit_data(first)["form_id"] == "privacy.ack"  # the statement comes first, once
    await teams.say(WORKER_AAD, "aftercare privacy accept")
    checkin = dialog_card(await teams.fetch(WORKER_AAD, {"aftercare": "command", "line": "checkin"}))
    assert submit_data(checkin)["form_id"] == "checkin"
    assert [e["id"] for e in checkin["body"] if e["type"] == "Input.ChoiceSet"] == ["field.IND-01", "field.IND-02"]


async def test_a_command_button_posts_its_answer_below(teams: Harness):
    answer = await teams.press(OWNER_AAD, COMMAND_BUTTON, "actions all")
    assert answer["type"] == "application/vnd.microsoft.activity.message"
    [posted] = teams.fake.sent_to(chat_of(teams.fake, OWNER_AAD))
    assert "A01" in str(posted.cards[0])


async def test_stale_buttons_and_dialogs_get_a_kind_answer(teams: Harness):
    assert (await teams.press(OWNER_AAD, "no.such_button", "x"))["value"].startswith("That button is no longer")
    assert (await teams.fetch(OWNER_AAD, {"something": "else"}))["task"]["type"] == "message"
    assert (await teams.submit(OWNER_AAD, {"aftercare": "submit", "form_id": "gone"}))["task"] == {
        "type": "message",
        "value": "That form has expired; please start again.",
    }
