"""Interaction payloads shaped like Slack's documented examples (tests/fixtures/slack), filled in from what the app
really sent to the fake: a modal it opened becomes a view_submission, a message it posted a block_actions."""

from __future__ import annotations

import json
import secrets
from typing import Any

from tests.fakes.slack_api import Call, FakeSlackApi
from tests.slack.conftest import OWNER_ID, TEAM, fixture


def sent_view(call: Call) -> dict[str, Any]:
    view = call.params["view"]
    loaded: dict[str, Any] = json.loads(view) if isinstance(view, str) else view
    return loaded


def state_values(view: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """``view.state`` as Slack sends it for these answers, one entry per input block."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element, answer = block["element"], answers.get(block["block_id"], "")
        kind = element["type"]
        if kind == "plain_text_input":
            entry: dict[str, Any] = {"type": kind, "value": answer or None}
        elif kind == "multi_static_select":
            chosen = set(answer.split(","))
            entry = {"type": kind, "selected_options": [o for o in element["options"] if o["value"] in chosen]}
        else:
            entry = {
                "type": kind,
                "selected_option": next((o for o in element["options"] if o["value"] == answer), None),
            }
        values[block["block_id"]] = {element["action_id"]: entry}
    return {"values": values}


def view_submission(
    view: dict[str, Any],
    answers: dict[str, str],
    *,
    user: str = OWNER_ID,
    team: str = TEAM,
    view_id: str = "V0TESTVIEW1",
    view_hash: str = "1700000000.aaaa1111",
) -> dict[str, Any]:
    payload = fixture("view_submission")
    payload["user"].update(id=user, team_id=team)
    payload["team"]["id"] = team
    payload["view"].update(
        id=view_id,
        hash=view_hash,
        team_id=team,
        callback_id=view["callback_id"],
        private_metadata=view.get("private_metadata", ""),
        blocks=view["blocks"],
        title=view["title"],
        state=state_values(view, answers),
    )
    return payload


def block_actions(
    slack: FakeSlackApi,
    channel: str,
    message: dict[str, Any],
    action_id: str,
    value: str,
    *,
    user: str = OWNER_ID,
    team: str = TEAM,
) -> dict[str, Any]:
    """A press of the button with this action id and value on a message the bot posted."""
    block, button = next(
        (b, e)
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].split("~")[0] == action_id and e.get("value", "") == value
    )
    payload = fixture("block_actions")
    payload["user"].update(id=user, team_id=team)
    payload["team"]["id"] = team
    payload["container"].update(message_ts=message["ts"], channel_id=channel)
    payload["channel"]["id"] = channel
    payload["message"] = message
    payload["trigger_id"] = slack.new_trigger_id(user_id=user, team_id=team)
    payload["response_url"] = slack.new_response_url(team_id=team)
    payload["actions"] = [
        {
            "action_id": button["action_id"],
            "block_id": block["block_id"],
            "text": button["text"],
            "value": button.get("value", ""),
            "type": "button",
            "action_ts": f"1548426417.{secrets.randbelow(999999):06d}",
        }
    ]
    return payload


def home_press(
    slack: FakeSlackApi, view: dict[str, Any], action_id: str, value: str = "", **who: str
) -> dict[str, Any]:
    """A press on the App Home: a view container and no response_url."""
    payload = fixture("block_actions")
    user, team = who.get("user", OWNER_ID), who.get("team", TEAM)
    payload["user"].update(id=user, team_id=team)
    payload["team"]["id"] = team
    payload["container"] = {"type": "view", "view_id": view["id"]}
    for key in ("channel", "message", "response_url"):
        payload.pop(key)
    payload["view"] = view
    payload["trigger_id"] = slack.new_trigger_id(user_id=user, team_id=team)
    payload["actions"] = [{"action_id": action_id, "block_id": "home", "value": value, "type": "button",
                           "action_ts": "1548426417.840180"}]  # fmt: skip
    return payload
