"""Hostile requests at POST /slack/events through the real app: slash commands with hostile text, our own buttons and
modals with changed or wrongly typed values, unknown ids, malformed, unsigned and stale bodies. Never a 5xx, never
an error in the log, nothing half-written."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from urllib.parse import urlencode

import pytest

from bot.clock import SimulatedClock
from bot.slack.wiring import SLASH_COMMANDS
from handlers.library import Library
from tests.fakes.slack_api import FakeSlackApi
from tests.fuzz.conftest import assert_no_errors, check_stored
from tests.fuzz.hostile import Hostile
from tests.slack.conftest import (
    FACILITATOR_ID,
    MANAGER_ID,
    OTHER_TEAM,
    OWNER_ID,
    SECRET,
    SPOOF_ID,
    STRANGER_ID,
    TEAM,
    WORKER_ID,
    Harness,
    fixture,
    running_harness,
)

# Minutes of wall time on a busy machine: the default 300 s per test is too tight.
pytestmark = [pytest.mark.fuzz, pytest.mark.slow, pytest.mark.timeout(1200)]


SLACK_PAYLOADS = 3000
USERS = [(OWNER_ID, TEAM), (MANAGER_ID, TEAM), (WORKER_ID, TEAM), (FACILITATOR_ID, TEAM), (STRANGER_ID, TEAM),
         (SPOOF_ID, OTHER_TEAM), ("", ""), ("U0NOBODY1", "T0NOWHERE")]  # fmt: skip
FORM = "application/x-www-form-urlencoded"


def command(hostile: Hostile, user: str, team: str) -> tuple[bytes, str]:
    body = fixture("slash_command")
    word = hostile.choice([*SLASH_COMMANDS, "/nonsense"])
    body.update(command=word, text=hostile.text(), user_id=user, team_id=team, trigger_id="1.2.bad")
    body.update(response_url=hostile.fake.new_response_url(team_id=TEAM))
    return urlencode(body).encode(), FORM


def press(hostile: Hostile, user: str, team: str) -> tuple[bytes, str]:
    payload = fixture("block_actions")
    payload["user"].update(id=user, team_id=team)
    payload["team"]["id"] = team
    payload["response_url"] = hostile.fake.new_response_url(team_id=TEAM)
    action_id, value = hostile.action()
    action = payload["actions"][0]
    action.update(action_id=action_id, value=hostile.choice([value, hostile.value()]))
    if hostile.rng.random() < 0.2:
        payload["container"] = hostile.choice([{"type": "view", "view_id": "V1"}, {}, {"type": hostile.text()}])
        payload["view"] = {"id": "V1", "type": hostile.choice(["home", "modal", hostile.value()])}
    if hostile.rng.random() < 0.1:
        payload["actions"] = hostile.choice([[], [{}], None, "x"])
    return urlencode({"payload": json.dumps(payload)}).encode(), FORM


def submission(hostile: Hostile, user: str, team: str) -> tuple[bytes, str]:
    payload = fixture("view_submission")
    payload["user"].update(id=user, team_id=team)
    payload["team"]["id"] = team
    form_id, state, values = hostile.form()
    blocks = {key: {key: {"type": "plain_text_input", "value": value}} for key, value in values.items()}
    if hostile.rng.random() < 0.3:
        blocks = {hostile.text(): {"a": hostile.value()}, "b": hostile.value()}
    payload["view"].update(callback_id=form_id, private_metadata=state, state={"values": blocks})
    return urlencode({"payload": json.dumps(payload)}).encode(), FORM


def home_opened(hostile: Hostile, user: str, team: str) -> tuple[bytes, str]:
    """The App Home opened (an event), with hostile users, tabs and event ids; then its buttons, with hostile pages."""
    body = fixture("app_home_opened")
    body["team_id"] = team
    body["event"]["user"] = hostile.choice([user, user, hostile.value()])
    body["event"]["tab"] = hostile.choice(["home", "home", "messages", hostile.value()])
    body["event_id"] = hostile.choice([f"Ev{hostile.rng.getrandbits(40)}", hostile.text(), hostile.value()])
    if hostile.rng.random() < 0.5:
        return json.dumps(body).encode(), "application/json"
    payload = fixture("block_actions")
    payload["user"].update(id=user, team_id=team)
    payload["team"]["id"] = team
    payload["container"] = {"type": "view", "view_id": "V0HOME0001"}
    payload["view"] = {"id": "V0HOME0001", "type": "home", "blocks": []}
    for key in ("channel", "message", "response_url"):
        payload.pop(key, None)
    action = payload["actions"][0]
    action.update(action_id=hostile.choice(["home.page", "home.refresh"]), value=hostile.page())
    return urlencode({"payload": json.dumps(payload)}).encode(), FORM


def malformed(hostile: Hostile, user: str, team: str) -> tuple[bytes, str]:
    chosen: tuple[bytes, str] = hostile.choice(
        [
            (hostile.text().encode("utf-8", "surrogatepass"), FORM),
            (b"payload=" + hostile.text().encode(), FORM),
            (b"payload=%5B1%2C2%5D", FORM),
            (json.dumps(hostile.value()).encode(), "application/json"),
            (json.dumps({"type": "event_callback", "event": hostile.value(), "team_id": team}).encode(),
             "application/json"),
            (json.dumps({"type": "event_callback", "team_id": team, "event_id": hostile.text(),
                         "event": {"type": "app_home_opened", "user": user, "tab": "home"}}).encode(),
             "application/json"),
            (bytes(hostile.rng.getrandbits(8) for _ in range(hostile.rng.randint(0, 300))), "application/json"),
        ]
    )  # fmt: skip
    return chosen


def signed(body: bytes, content_type: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 signature over any bytes (the SDK's helper only signs text)."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"content-type": content_type, "x-slack-request-timestamp": stamp, "x-slack-signature": "v0=" + digest}


async def send(harness: Harness, hostile: Hostile) -> int:
    user, team = hostile.choice(USERS)
    build = hostile.choice([command, command, press, submission, home_opened, malformed])
    body, content_type = build(hostile, user, team)
    headers = signed(body, content_type)
    roll = hostile.rng.random()
    if roll < 0.05:
        headers["x-slack-signature"] = "v0=" + "0" * 64
    elif roll < 0.08:
        headers = signed(body, content_type, int(time.time()) - 600)
    elif roll < 0.1:
        headers = {"content-type": content_type}
    response = await harness.client.post("/slack/events", content=body, headers=headers)
    return response.status_code


async def test_slack_never_breaks(
    shm_url: str,
    slack: FakeSlackApi,
    clock: SimulatedClock,
    library: Library,
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.INFO)
    hostile = Hostile(2)
    statuses: dict[int, int] = {}
    hostile.fake = slack
    async for harness in running_harness(shm_url, slack, clock, library):
        for _ in range(hostile.count(SLACK_PAYLOADS)):
            status = await send(harness, hostile)
            statuses[status] = statuses.get(status, 0) + 1
            assert status < 500, status
        await asyncio.sleep(0.2)  # follow-ups after the acknowledgement finish
        await check_stored(harness.runtime)
    assert statuses.get(401, 0) > 0 and statuses.get(200, 0) > 0, statuses
    assert_no_errors(caplog)
