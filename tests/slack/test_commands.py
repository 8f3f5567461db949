"""Signed slash commands through the real app: the right database changes, ephemeral answers, modals by trigger id."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.slack import listeners
from handlers.broadcast_views import SEND_BUTTON
from handlers.model import Action, Status
from storage.delivery_models import DeliveryRow
from storage.models import ActionUpdateRow, PlatformIdentityRow
from tests.fakes.slack_api import ManualClock
from tests.fakes.slack_limits import message_block_errors
from tests.slack.conftest import (
    FACILITATOR_ID,
    OTHER_TEAM,
    OWNER_ID,
    SPOOF_ID,
    STRANGER_ID,
    TEAM,
    WORKER_ID,
    Harness,
    eventually,
)
from tests.slack.payloads import block_actions


async def action(harness: Harness, code: str) -> Action:
    async with harness.runtime.unit() as deps:
        programme = (await deps.programmes.all())[0]
        found = await deps.actions.get(programme.id, code)
    assert found is not None
    return found


async def identities(harness: Harness) -> set[tuple[str, str]]:
    async with harness.runtime.sessions() as session:
        rows = (
            await session.execute(select(PlatformIdentityRow).where(PlatformIdentityRow.platform == "slack"))
        ).scalars()
        return {(row.workspace, row.user_id) for row in rows}


def answer(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert message_block_errors(body.get("blocks", [])) == []
    return body


async def test_owner_updates_an_action_and_is_answered_ephemerally(any_db_harness: Harness):
    harness = any_db_harness

    body = answer(await harness.command("/actions A07 on track Weekly huddles started"))

    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("A07 is now 'On track'. Note saved: Weekly huddles started")
    assert (await action(harness, "A07")).status is Status.ON_TRACK
    async with harness.runtime.sessions() as session:
        notes = list((await session.execute(select(ActionUpdateRow.note))).scalars())
    assert notes == ["Weekly huddles started"]


async def test_a_note_cannot_mention_everyone_or_hide_a_link(harness: Harness):
    """Words a person typed stay words: the renderer writes mrkdwn marks of its own, and escapes every string."""
    hostile = "<!channel> see <https://evil.example|the guide>"
    slack_escaped = hostile.replace("<", "&lt;").replace(">", "&gt;")  # as Slack sends a slash command's text

    saved = answer(await harness.command(f"/actions A07 on track {slack_escaped}"))
    card = answer(await harness.command("/actions A07"))

    for shown in (json.dumps(saved), json.dumps(card)):
        assert "&lt;!channel&gt; see &lt;https://evil.example|the guide&gt;" in shown
        assert "<!channel>" not in shown
        assert "<https://evil" not in shown


async def test_someone_who_does_not_own_the_action_is_refused_and_nothing_changes(harness: Harness):
    body = answer(await harness.command("/actions A07 on track", user=WORKER_ID))

    assert body["response_type"] == "ephemeral"
    assert "A07" in body["text"]
    assert (await action(harness, "A07")).status is Status.NOT_STARTED
    assert (TEAM, WORKER_ID) in await identities(harness)  # matched by email, and remembered
    assert [call.params["user"] for call in harness.slack.calls_to("users.info")] == [WORKER_ID]


async def test_a_typing_slip_gets_a_suggestion(harness: Harness):
    body = answer(await harness.command("/actions A70"))

    assert "There is no action A70" in body["text"]
    assert "A07" in body["text"]


async def test_user_text_is_unescaped_once_and_escaped_again_on_the_way_out(harness: Harness):
    body = answer(await harness.command("/actions A07 on track Police &amp; health &lt;!channel&gt; met"))

    assert "Police & health <!channel> met" not in str(body["blocks"])
    assert "&lt;!channel&gt;" in body["blocks"][0]["text"]["text"]
    async with harness.runtime.sessions() as session:
        notes = list((await session.execute(select(ActionUpdateRow.note))).scalars())
    assert notes == ["Police & health <!channel> met"]


async def test_reflect_opens_a_modal_with_the_trigger_id_statement_first(harness: Harness):
    command = harness.command_body("/reflect Something I noticed")
    response = await harness.post(_form(command), "application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert response.content == b""
    opened = harness.slack.calls_to("views.open")
    assert len(opened) == 1 and opened[0].ok
    assert opened[0].params["trigger_id"] == command["trigger_id"]
    view = sent_view(opened[0].params)
    assert view["callback_id"] == "privacy.ack"
    assert len(view["title"]["text"]) <= 24


async def test_checkin_opens_a_modal(harness: Harness):
    response = await harness.command("/checkin")

    assert response.status_code == 200
    assert [call.ok for call in harness.slack.calls_to("views.open")] == [True]


async def test_a_trigger_id_that_expired_leaves_a_kind_message_instead(harness: Harness):
    harness.slack.clock = clock = ManualClock()
    command = harness.command_body("/reflect")
    clock.advance(3.5)

    response = await harness.post(_form(command), "application/x-www-form-urlencoded")

    assert [call.error for call in harness.slack.calls_to("views.open")] == ["expired_trigger_id"]
    body = answer(response)
    assert (body["text"], body["response_type"]) == (listeners.NO_FORM, "ephemeral")


def preview_press(harness: Harness, body: dict[str, Any], action_id: str, user: str) -> dict[str, Any]:
    """A press of a button on the ephemeral preview the slash command answered with."""
    blocks = [{"block_id": f"b{n}", **block} for n, block in enumerate(body["blocks"])]  # as Slack gives them ids
    message = {"ts": "1765000000.000100", "blocks": blocks, "text": body["text"]}
    press = block_actions(harness.slack, "C0LEARN", message, action_id, "B1", user=user)
    press["container"]["is_ephemeral"] = True
    return press


async def test_broadcast_by_a_facilitator_is_previewed_then_sent_with_the_button(harness: Harness):
    body = answer(await harness.command('/broadcast all "Please read the revised protocol"', user=FACILITATOR_ID))

    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("Preview of B1: nothing has been sent yet")
    assert "By agency: KBC 7, KPOL 2" in body["text"]
    assert "Please read the revised protocol" in str(body["blocks"])
    assert await harness.count(DeliveryRow) == 0
    # Someone else pressing Send on a preview they were shown (say, a forwarded payload) is refused.
    await harness.interact(preview_press(harness, body, SEND_BUTTON, OWNER_ID))
    refused = await eventually(lambda: harness.slack.response_url_posts())
    assert refused[-1].body["text"] == "Only facilitators can confirm broadcasts."
    assert await harness.count(DeliveryRow) == 0

    press = preview_press(harness, body, SEND_BUTTON, FACILITATOR_ID)
    await harness.interact(press)

    posts = await eventually(lambda: harness.slack.response_url_posts(press["response_url"]))
    assert posts[0].body["text"].startswith("Confirmed: B1 will go to 9 recipients now")
    assert posts[0].body["replace_original"] is True  # the preview becomes the answer
    async with harness.runtime.sessions() as session:
        rows = list((await session.execute(select(DeliveryRow))).scalars())
    assert len(rows) == 9
    assert f"{TEAM}:{OWNER_ID}" in {row.address for row in rows if row.platform == "slack"}


async def test_broadcast_by_anyone_else_is_refused(harness: Harness):
    body = answer(await harness.command('/broadcast all "hello"'))

    assert body["text"] == "Only facilitators can send broadcasts."
    assert await harness.count(DeliveryRow) == 0


async def test_someone_in_the_workspace_but_not_the_programme_is_told_so(harness: Harness):
    body = answer(await harness.command("/actions", user=STRANGER_ID))

    assert body["text"] == "You're not in an Aftercare programme yet; please ask your facilitator to add you."


async def test_another_workspace_never_reaches_this_programme_even_with_the_same_email(harness: Harness):
    body = answer(await harness.command("/actions A07 on track", user=SPOOF_ID, team=OTHER_TEAM))

    assert body["text"].startswith("You're not in an Aftercare programme yet")
    assert (await action(harness, "A07")).status is Status.NOT_STARTED
    assert (OTHER_TEAM, SPOOF_ID) not in await identities(harness)


async def test_the_owners_slack_id_with_another_workspace_is_a_stranger(harness: Harness):
    harness.slack.add_workspace("T0THIRD01")
    body = answer(await harness.command("/actions A07 on track", user=OWNER_ID, team="T0THIRD01"))

    assert body["text"].startswith("You're not in an Aftercare programme yet")
    assert (await action(harness, "A07")).status is Status.NOT_STARTED


async def test_a_slow_reply_follows_through_the_response_url(harness: Harness, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(listeners, "ACK_DEADLINE", 0.0)
    command = harness.command_body("/actions A07 on track")

    response = await harness.post(_form(command), "application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert response.content == b""
    posts = await eventually(lambda: harness.slack.response_url_posts(command["response_url"]))
    assert posts[0].body["text"].startswith("A07 is now 'On track'")
    assert posts[0].body["response_type"] == "ephemeral"


async def test_help_fits_in_one_message(harness: Harness):
    body = answer(await harness.command("/aftercare help", user=FACILITATOR_ID))

    assert "/broadcast" in str(body["blocks"])
    assert len(body["blocks"]) <= 50


def _form(body: dict[str, str]) -> bytes:
    return urlencode(body).encode()


def sent_view(params: dict[str, Any]) -> dict[str, Any]:
    view = params["view"]
    loaded: dict[str, Any] = json.loads(view) if isinstance(view, str) else view
    return loaded


async def test_an_unexpected_failure_is_logged_once_and_answered_with_an_apology(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    async def broken(self: Any, body: Any, client: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(listeners.Listeners, "_command", broken)
    command = harness.command_body("/actions")

    response = await harness.post(_form(command), "application/x-www-form-urlencoded")

    assert response.status_code == 500
    posts = await eventually(lambda: harness.slack.response_url_posts(command["response_url"]))
    assert posts[0].body["text"] == listeners.APOLOGY
    assert [r.levelname for r in caplog.records if r.name == "bot.slack.wiring"] == ["ERROR"]
