"""views.open / views.push / views.update / views.publish for the fake Slack Web API.

Success answers echo the view the way Slack's documented example does (id, team_id, hash, root_view_id,
previous_view_id, app_id, bot_id, state …). Views are checked against `tests.fakes.slack_limits`; a trigger_id
is single-use and expires `Request.trigger_lifetime` seconds after the fake issued it; a modal stack holds at
most three views (`push_limit_reached`).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from tests.fakes.slack_limits import Surface, view_errors
from tests.fakes.slack_world import Request, SlackError, View

logger = logging.getLogger(__name__)

MODAL_STACK = 3


def views_open(req: Request) -> dict[str, Any]:
    body = _checked_view(req, "modal")
    _refuse_taken_external_id(req, body, None)
    trigger = req.world.take_trigger(req.params.get("trigger_id"), req.now, req.trigger_lifetime)
    view = _store(req, trigger.user_id, body, root=None, previous=None)
    req.world.modal_stacks[(trigger.team_id, trigger.user_id)] = [view.id]
    return {"ok": True, "view": view.body}


def views_push(req: Request) -> dict[str, Any]:
    body = _checked_view(req, "modal")
    trigger = req.world.take_trigger(req.params.get("trigger_id"), req.now, req.trigger_lifetime)
    stack = req.world.modal_stacks.get((trigger.team_id, trigger.user_id))
    if not stack:
        raise SlackError("invalid_arguments", messages=["[ERROR] there is no open modal to push onto"])
    if len(stack) >= MODAL_STACK:
        raise SlackError("push_limit_reached")
    view = _store(req, trigger.user_id, body, root=stack[0], previous=stack[-1])
    stack.append(view.id)
    return {"ok": True, "view": view.body}


def views_update(req: Request) -> dict[str, Any]:
    view = _find(req)
    expected = req.params.get("hash")
    if expected and expected != view.body["hash"]:
        raise SlackError("hash_conflict")
    body = _checked_view(req, view.body["type"])
    _refuse_taken_external_id(req, body, view.id)
    root, previous = view.body["root_view_id"], view.body["previous_view_id"]
    view.body = _echo(req, view.id, body, root=root, previous=previous)
    return {"ok": True, "view": view.body}


def views_publish(req: Request) -> dict[str, Any]:
    user = req.world.user(req.auth.team_id, req.text("user_id"))
    body = _checked_view(req, "home")
    key = (req.auth.team_id, user.id)
    view_id = req.world.home_views.get(key)
    current = req.world.views.get(view_id) if view_id else None
    expected = req.params.get("hash")
    if current is not None and expected and expected != current.body["hash"]:
        raise SlackError("hash_conflict")
    _refuse_taken_external_id(req, body, view_id)
    if current is None:
        current = _store(req, user.id, body, root=None, previous=None)
        req.world.home_views[key] = current.id
    else:
        current.body = _echo(req, current.id, body, root=None, previous=None)
    return {"ok": True, "view": current.body}


def _checked_view(req: Request, surface: Surface) -> dict[str, Any]:
    body = req.json("view")
    if body is None:
        raise SlackError("invalid_arguments", messages=["[ERROR] missing required field: view"])
    errors = view_errors(body, surface)
    if errors:
        raise SlackError("invalid_arguments", messages=errors)
    assert isinstance(body, dict)  # view_errors refuses anything else
    return body


def _find(req: Request) -> View:
    view_id, external_id = req.params.get("view_id"), req.params.get("external_id")
    if not view_id and not external_id:
        raise SlackError("invalid_arguments", messages=["[ERROR] view_id or external_id is required"])
    for view in req.world.views.values():
        if view.team_id != req.auth.team_id:
            continue
        if view.id == view_id or (external_id and view.body.get("external_id") == external_id):
            return view
    raise SlackError("not_found")


def _refuse_taken_external_id(req: Request, body: dict[str, Any], own_id: str | None) -> None:
    external_id = body.get("external_id")
    if not external_id:
        return
    for view in req.world.views.values():
        if view.id != own_id and view.team_id == req.auth.team_id and view.body.get("external_id") == external_id:
            raise SlackError("duplicate_external_id")


def _store(req: Request, user_id: str, body: dict[str, Any], *, root: str | None, previous: str | None) -> View:
    view_id = req.world.new_id("V")
    view = View(view_id, req.auth.team_id, user_id, _echo(req, view_id, body, root=root or view_id, previous=previous))
    req.world.views[view_id] = view
    return view


def _echo(
    req: Request, view_id: str, body: dict[str, Any], *, root: str | None, previous: str | None
) -> dict[str, Any]:
    workspace = req.workspace
    echoed: dict[str, Any] = {
        "id": view_id,
        "team_id": workspace.team_id,
        "type": body["type"],
        "blocks": with_block_ids(body.get("blocks") or []),
        "private_metadata": body.get("private_metadata", ""),
        "callback_id": body.get("callback_id", ""),
        "state": {"values": {}},
        "hash": req.world.new_hash(),
        "clear_on_close": bool(body.get("clear_on_close", False)),
        "notify_on_close": bool(body.get("notify_on_close", False)),
        "close": body.get("close"),
        "submit": body.get("submit"),
        "previous_view_id": previous,
        "root_view_id": root,
        "app_id": workspace.app_id,
        "external_id": body.get("external_id", ""),
        "app_installed_team_id": workspace.team_id,
        "bot_id": workspace.bot_id,
    }
    if body["type"] == "modal":
        echoed["title"] = body.get("title")
    return echoed


def with_block_ids(blocks: list[Any]) -> list[Any]:
    """Copy the blocks, giving each one without a block_id a random one, as Slack does in its echo."""
    return [
        {**block, "block_id": block.get("block_id") or secrets.token_urlsafe(3)} if isinstance(block, dict) else block
        for block in blocks
    ]
