"""Slack payloads → what the handlers need: who, the command word and text, a form submission, a button press.

Pure functions over the request bodies Bolt has already verified and parsed. Also the idempotency keys: an event
by its event_id, a press by the message it was on (so a double click is one press, while a later press on the
updated message is another), a submission by the view, its hash and the values submitted.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.slack.forms import submitted_values
from bot.slack.render import base_action_id, unpack_state


@dataclass(frozen=True)
class Who:
    """A Slack account as the payload names it. Only this workspace is ever searched for the person behind it."""

    team_id: str
    user_id: str
    enterprise_id: str | None = None


@dataclass(frozen=True)
class Submission:
    form_id: str
    state: str
    values: dict[str, str]
    view_id: str
    title: str
    first_input: str | None  # where an error message can be shown
    key: str


@dataclass(frozen=True)
class Press:
    action_id: str
    value: str
    block_id: str
    trigger_id: str
    container: str  # "message", "view" or "home"
    channel_id: str = ""
    message_ts: str = ""
    ephemeral: bool = False
    message_blocks: tuple[dict[str, Any], ...] = ()
    view_id: str = ""
    key: str = ""


def _id(value: object) -> str:
    if isinstance(value, Mapping):
        return str(value.get("id") or "")
    return str(value or "")


def who_of(body: Mapping[str, Any]) -> Who:
    """Commands and events carry team_id and user_id; interactions carry team and user objects."""
    enterprise = _id(body.get("enterprise")) or str(body.get("enterprise_id") or "") or None
    if "command" in body:
        return Who(str(body["team_id"]), str(body["user_id"]), enterprise)
    if "event" in body:
        event = body["event"]
        return Who(str(body.get("team_id") or ""), str(event.get("user") or ""), enterprise)
    user = body.get("user") or {}
    team = _id(body.get("team")) or str(user.get("team_id") or "")
    return Who(team, str(user.get("id") or ""), enterprise)


def command_of(body: Mapping[str, Any]) -> tuple[str, str]:
    """("actions", "A07 on track Weekly huddles started") from "/actions" and its text; Slack sends &, <, > escaped."""
    word = str(body.get("command") or "").lstrip("/").lower()
    return word, html.unescape(str(body.get("text") or "")).strip()


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def submission_of(body: Mapping[str, Any]) -> Submission:
    view = body.get("view") or {}
    state = view.get("state") or {}
    values = submitted_values(state)
    inputs = [b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input" and b.get("block_id")]
    first = str(inputs[0]) if inputs else next(iter(state.get("values") or {}), None)
    metadata = str(view.get("private_metadata") or "")
    key = "view:" + _digest(view.get("id"), view.get("hash"), view.get("callback_id"), metadata, values)
    title = (view.get("title") or {}).get("text") or "Aftercare"
    return Submission(
        form_id=str(view.get("callback_id") or ""),
        state=unpack_state(metadata),
        values=values,
        view_id=str(view.get("id") or ""),
        title=str(title),
        first_input=first,
        key=key,
    )


def press_of(body: Mapping[str, Any]) -> Press | None:
    """The first action of a block_actions payload (Slack sends one per press)."""
    actions = body.get("actions") or []
    if not actions:
        return None
    action = actions[0]
    container = body.get("container") or {}
    view = body.get("view") or {}
    message = body.get("message") or {}
    kind = "message" if container.get("type") == "message" or message else "view"
    if kind == "view" and view.get("type") == "home":
        kind = "home"
    who = who_of(body)
    channel = str(container.get("channel_id") or _id(body.get("channel")))
    ts = str(container.get("message_ts") or message.get("ts") or "")
    blocks = tuple(message.get("blocks") or ())
    key_parts = (who.team_id, who.user_id, channel, ts, view.get("id"), view.get("hash"), action.get("action_id"))
    return Press(
        action_id=base_action_id(str(action.get("action_id") or "")),
        value=str(action.get("value") or (action.get("selected_option") or {}).get("value") or ""),
        block_id=str(action.get("block_id") or ""),
        trigger_id=str(body.get("trigger_id") or ""),
        container=kind,
        channel_id=channel,
        message_ts=ts,
        ephemeral=bool(container.get("is_ephemeral")),
        message_blocks=blocks,
        view_id=str(view.get("id") or ""),
        key="press:" + _digest(*key_parts, action.get("value"), blocks),
    )


def event_key(body: Mapping[str, Any]) -> str:
    return f"event:{body.get('event_id') or _digest(body.get('event'))}"
