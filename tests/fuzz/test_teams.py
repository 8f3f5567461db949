"""Hostile activities at POST /api/messages through the real Teams SDK with real tokens: typed commands with hostile
text, our own buttons and dialogs with changed or wrongly typed values, unknown verbs, file consents, other tenants
and channels, malformed and unauthenticated bodies. Never a 5xx, never an error in the log, nothing half-written."""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import pytest

from bot.clock import SimulatedClock
from tests.fakes.teams_connector import FakeConnector
from tests.fakes.teams_tokens import (
    FAKE_TENANT_ID,
    conversation_update_activity,
    installation_update_activity,
    invoke_adaptive_card_action,
    message_activity,
    task_fetch,
    task_submit,
)
from tests.fuzz.conftest import assert_no_errors, check_stored
from tests.fuzz.hostile import Hostile
from tests.teams.conftest import (
    FACILITATOR_AAD,
    MANAGER_AAD,
    OWNER_AAD,
    STRANGER_AAD,
    WORKER_AAD,
    Harness,
    chat_of,
    harness,
    loaded_runtime,
)

# Minutes of wall time on a busy machine: the default 300 s per test is too tight.
pytestmark = [pytest.mark.fuzz, pytest.mark.slow, pytest.mark.timeout(1200)]


TEAMS_PAYLOADS = 2000
PEOPLE = [OWNER_AAD, MANAGER_AAD, WORKER_AAD, FACILITATOR_AAD, STRANGER_AAD]
KINDS = ["personal", "personal", "groupChat", "channel"]


def ids(fake: FakeConnector, aad: str) -> tuple[str, str, str, str]:
    return aad, FAKE_TENANT_ID, chat_of(fake, aad), fake.service_url


def hostile_data(hostile: Hostile) -> Any:
    form_id, state, values = hostile.form()
    action_id, _value = hostile.action()
    return hostile.choice(
        [
            {"aftercare": "submit", "form_id": form_id, "state": state, **{f"field.{k}": v for k, v in values.items()}},
            {"aftercare": "submit", "form_id": hostile.value(), "state": hostile.value(),
             "field.text": hostile.value()},
            {"aftercare": "button", "action_id": action_id, "value": hostile.value()},
            {"aftercare": "command", "line": hostile.choice([hostile.text(), hostile.value()])},
            {"aftercare": "form", "form": hostile.choice([hostile.value(), {"form_id": form_id, "title": "x",
                                                                            "state": state}])},
            {"aftercare": hostile.value()},
            hostile.value(),
        ]
    )  # fmt: skip


def activity(hostile: Hostile, fake: FakeConnector) -> dict[str, Any]:
    where = ids(fake, hostile.choice(PEOPLE))
    kind = hostile.rng.random()
    if kind < 0.45:
        word, text = hostile.line()
        built = message_activity(f"{word} {text}", *where)
    elif kind < 0.6:
        verb, value = hostile.action()
        built = invoke_adaptive_card_action(verb, {"value": hostile.choice([value, hostile.value()])}, *where)
    elif kind < 0.75:
        built = task_fetch(hostile_data(hostile), *where)
    elif kind < 0.87:
        built = task_submit(hostile_data(hostile), *where)
    elif kind < 0.95:
        built = home(hostile, where)
    else:
        built = invoke_adaptive_card_action("x", {}, *where)
        built["name"] = "fileConsent/invoke"
        built["value"] = {"type": "fileUpload", "action": hostile.choice(["accept", "decline", hostile.value()]),
                          "context": hostile.choice([{"offer": hostile.text()}, {"path": "/etc/passwd"},
                                                     hostile.value()]),
                          "uploadInfo": hostile.choice([{"uploadUrl": "https://evil.example/x", "name": "x"},
                                                        hostile.value()])}  # fmt: skip
    return tamper(hostile, built)


def home(hostile: Hostile, where: tuple[str, str, str, str]) -> dict[str, Any]:
    """Home: typed, the app installed or the chat started (personal or not), or its buttons with hostile pages."""
    roll = hostile.rng.random()
    if roll < 0.3:
        return message_activity(hostile.choice(["home", "hi", "", "HOME", "menu", "home " + hostile.text()]), *where)
    if roll < 0.5:
        action = hostile.choice(["add", "remove", "add-upgrade", "remove-upgrade"])
        return installation_update_activity(*where, action=action, conversation_type=hostile.choice(KINDS))
    if roll < 0.7:
        added = hostile.choice([None, [{"id": "28:someone-else"}], [], [{"id": hostile.text()}]])
        return conversation_update_activity(*where, members_added=added, conversation_type=hostile.choice(KINDS))
    verb = hostile.choice(["home.page", "home.refresh"])
    return invoke_adaptive_card_action(verb, {"value": hostile.page()}, *where, reply_to_id=hostile.choice([None, "1"]))


def tamper(hostile: Hostile, built: dict[str, Any]) -> dict[str, Any]:
    roll = hostile.rng.random()
    if roll < 0.05:
        built["channelId"] = hostile.choice(["webchat", "slack", hostile.value()])
    elif roll < 0.1:
        built["channelData"] = {"tenant": {"id": hostile.choice(["tenant-b", hostile.value()])}}
    elif roll < 0.15:
        built.pop(hostile.choice(sorted(built)), None)
    elif roll < 0.2:
        built[hostile.choice(sorted(built))] = hostile.value()
    elif roll < 0.22:
        built["type"] = hostile.choice(["nonsense", "invoke", "event", hostile.value()])
    return built


async def send(teams: Harness, hostile: Hostile) -> int:
    body = activity(hostile, teams.fake)
    roll = hostile.rng.random()
    if roll < 0.03:
        response = await teams.post(body, anonymous=True)
    elif roll < 0.05:
        response = await teams.post(body, token=teams.token(aud="someone-else"))
    elif roll < 0.08:
        raw = hostile.choice([b"", b"{", b"[]", b"null", json.dumps(hostile.value()).encode()])
        headers = {"Authorization": f"Bearer {teams.token()}", "content-type": "application/json"}
        response = await teams.client.post("/api/messages", content=raw, headers=headers)
    else:
        response = await teams.post(copy.deepcopy(body))
    return response.status_code


async def test_teams_never_breaks(
    shm_url: str, fake: FakeConnector, clock: SimulatedClock, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    hostile = Hostile(3)
    statuses: dict[int, int] = {}
    runtime = await loaded_runtime(shm_url, clock)
    try:
        async with harness(fake, runtime) as teams:
            for _ in range(hostile.count(TEAMS_PAYLOADS)):
                status = await send(teams, hostile)
                statuses[status] = statuses.get(status, 0) + 1
                assert status < 500, status
        await check_stored(runtime)
    finally:
        await runtime.close()
    assert statuses.get(401, 0) > 0 and statuses.get(200, 0) > 0, statuses
    assert_no_errors(caplog)
