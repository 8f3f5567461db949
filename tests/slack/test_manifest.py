"""manifest.yaml against Slack's published schema, and against what the app registers: both ways."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.slack.oauth import BOT_SCOPES, REDIRECT_PATH
from bot.slack.wiring import EVENTS, EVENTS_PATH, SLASH_COMMANDS, action_pattern
from handlers.dispatch import BUTTON_HANDLERS, FORM_HANDLERS
from tests.slack.conftest import Harness, fixture

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "slack-app-manifest.schema.json"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    return loaded


def test_the_manifest_is_valid_against_slacks_schema(manifest: dict[str, Any]):
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)

    assert [error.message for error in validator.iter_errors(manifest)] == []


def test_commands_events_and_scopes_match_the_code_both_ways(manifest: dict[str, Any]):
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]

    assert sorted(commands) == sorted(SLASH_COMMANDS)
    assert sorted(manifest["settings"]["event_subscriptions"]["bot_events"]) == sorted(EVENTS)
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_every_url_is_the_one_request_url(manifest: dict[str, Any]):
    urls = [c["url"] for c in manifest["features"]["slash_commands"]]
    urls += [
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    ]

    assert set(urls) == {f"https://YOUR-HOST{EVENTS_PATH}"}
    assert manifest["oauth_config"]["redirect_urls"] == [f"https://YOUR-HOST{REDIRECT_PATH}"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_every_button_the_handlers_define_is_listened_for():
    pattern = action_pattern()

    assert all(pattern.match(action_id) for action_id in BUTTON_HANDLERS)
    assert all(pattern.match(f"{action_id}~3") for action_id in BUTTON_HANDLERS)
    assert not pattern.match("prompt.reflectx")


async def test_every_declared_command_reaches_a_listener(harness: Harness, manifest: dict[str, Any]):
    for command in manifest["features"]["slash_commands"]:
        response = await harness.command(command["command"])
        assert response.status_code == 200, command["command"]

    assert (await harness.command("/unknown")).status_code == 404


async def test_every_declared_event_reaches_a_listener(harness: Harness, manifest: dict[str, Any]):
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        body = fixture(event)
        assert (await harness.event(body)).status_code == 200, event

    undeclared = fixture("app_uninstalled")
    undeclared["event"]["type"] = "member_joined_channel"
    assert (await harness.event(undeclared)).status_code == 404


async def test_every_form_is_a_modal_the_app_listens_for(harness: Harness):
    for form_id in FORM_HANDLERS:
        body = fixture("view_submission")
        body["view"]["callback_id"] = form_id
        assert (await harness.interact(body)).status_code == 200, form_id

    body["view"]["callback_id"] = "no.such.form"
    assert (await harness.interact(body)).status_code == 404
