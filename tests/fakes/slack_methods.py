"""Web API method handlers of the fake Slack: auth, chat, conversations, users, team and files.

Each handler takes a `Request` and returns the success body, or raises `SlackError` with the error name Slack
documents for that method. `METHODS` maps a method name to its handler and the bot scope it needs. Views are in
`tests.fakes.slack_views`, OAuth in `tests.fakes.slack_oauth`.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakes import slack_limits, slack_oauth, slack_views
from tests.fakes.slack_world import Channel, Request, SlackError, Upload, User

logger = logging.getLogger(__name__)

Handler = Callable[[Request], dict[str, Any]]


@dataclass(frozen=True)
class MethodSpec:
    handler: Handler
    scope: str | None = None
    needs_token: bool = True


def auth_test(req: Request) -> dict[str, Any]:
    token, workspace = req.auth, req.workspace
    user = req.world.users.get(token.user_id)
    answer: dict[str, Any] = {
        "ok": True,
        "url": f"https://{workspace.domain}.slack.com/",
        "team": workspace.name,
        "user": user.name if user else token.user_id,
        "team_id": workspace.team_id,
        "user_id": token.user_id,
        "is_enterprise_install": False,
    }
    if token.bot_id is not None:
        answer["bot_id"] = token.bot_id
    if workspace.enterprise_id is not None:
        answer["enterprise_id"] = workspace.enterprise_id
    return answer


def chat_post_message(req: Request) -> dict[str, Any]:
    channel = _postable(req, req.world.channel(req.auth.team_id, req.params.get("channel")))
    text, blocks = _content(req)
    ts = req.world.new_ts()
    message = _message(req, text, blocks, ts)
    req.world.messages[(channel.id, ts)] = message
    return {"ok": True, "channel": channel.id, "ts": ts, "message": message}


def chat_post_ephemeral(req: Request) -> dict[str, Any]:
    channel = _postable(req, req.world.channel(req.auth.team_id, req.params.get("channel")))
    user = req.world.user(req.auth.team_id, req.text("user", missing="user_not_found"))
    if not req.world.is_member(channel, user.id):
        raise SlackError("user_not_in_channel")
    _content(req)
    return {"ok": True, "message_ts": req.world.new_ts()}


def chat_update(req: Request) -> dict[str, Any]:
    channel = _postable(req, req.world.channel(req.auth.team_id, req.params.get("channel")))
    ts = req.text("ts", missing="message_not_found")
    old = req.world.messages.get((channel.id, ts))
    if old is None:
        raise SlackError("message_not_found")
    if old.get("user") != req.auth.user_id:
        raise SlackError("cant_update_message")
    text, blocks = _content(req)
    message = {**_message(req, text, blocks, ts), "edited": {"user": req.auth.user_id, "ts": req.world.new_ts()}}
    req.world.messages[(channel.id, ts)] = message
    return {"ok": True, "channel": channel.id, "ts": ts, "text": text, "message": message}


def chat_delete(req: Request) -> dict[str, Any]:
    channel = req.world.channel(req.auth.team_id, req.params.get("channel"))
    ts = req.text("ts", missing="message_not_found")
    old = req.world.messages.get((channel.id, ts))
    if old is None:
        raise SlackError("message_not_found")
    if old.get("user") != req.auth.user_id:
        raise SlackError("cant_delete_message")
    del req.world.messages[(channel.id, ts)]
    return {"ok": True, "channel": channel.id, "ts": ts}


def conversations_open(req: Request) -> dict[str, Any]:
    if req.params.get("channel"):
        return {"ok": True, "channel": {"id": req.world.channel(req.auth.team_id, req.params["channel"]).id}}
    ids = [part.strip() for part in str(req.params.get("users") or "").split(",") if part.strip()]
    if not ids:
        raise SlackError("users_list_not_supplied")
    if len(ids) > 8:
        raise SlackError("too_many_users")
    users = [req.world.user(req.auth.team_id, user_id) for user_id in ids]
    if any(user.deleted for user in users):
        raise SlackError("user_disabled")
    if len(users) > 1:
        members = {user.id for user in users} | {req.auth.user_id}
        mpim = Channel(req.world.new_id("C"), req.auth.team_id, "mpdm-" + "--".join(sorted(members)), members=members)
        req.world.channels[mpim.id] = mpim
        return {"ok": True, "channel": {"id": mpim.id}}
    existed = any(c.is_im and c.user == users[0].id for c in req.world.channels.values())
    dm = req.world.open_dm(users[0])
    answer: dict[str, Any] = {"ok": True, "channel": {"id": dm.id}}
    if existed:
        answer.update(no_op=True, already_open=True)
    if req.flag("return_im"):
        answer["channel"] = _conversation(dm)
    return answer


def conversations_info(req: Request) -> dict[str, Any]:
    return {"ok": True, "channel": _conversation(req.world.channel(req.auth.team_id, req.params.get("channel")))}


def users_info(req: Request) -> dict[str, Any]:
    user = req.world.user(req.auth.team_id, req.text("user", missing="user_not_found"))
    return {"ok": True, "user": _user(req, user)}


def users_lookup_by_email(req: Request) -> dict[str, Any]:
    email = req.text("email", missing="users_not_found").lower()
    for user in req.world.users.values():
        if user.team_id == req.auth.team_id and (user.email or "").lower() == email:
            return {"ok": True, "user": _user(req, user)}
    raise SlackError("users_not_found")


def team_info(req: Request) -> dict[str, Any]:
    workspace = req.world.workspace(str(req.params.get("team") or req.auth.team_id))
    team: dict[str, Any] = {
        "id": workspace.team_id,
        "name": workspace.name,
        "domain": workspace.domain,
        "email_domain": "example.org",
        "icon": {"image_default": True, "image_34": "https://a.slack-edge.com/dfc0/img/avatars-teams/ava_0001-34.png"},
        "url": f"https://{workspace.domain}.slack.com/",
    }
    if workspace.enterprise_id is not None:
        team.update(enterprise_id=workspace.enterprise_id, enterprise_name=workspace.name)
    return {"ok": True, "team": team}


def files_get_upload_url_external(req: Request) -> dict[str, Any]:
    filename = req.text("filename")
    length = req.text("length")
    if not length.isdigit():
        raise SlackError("invalid_arguments", messages=["[ERROR] length must be an integer"])
    file_id = req.world.new_id("F")
    req.world.uploads[file_id] = Upload(req.auth.team_id, filename, int(length))
    return {"ok": True, "upload_url": f"{req.base_url}/upload/v1/{file_id}", "file_id": file_id}


def files_complete_upload_external(req: Request) -> dict[str, Any]:
    items = req.json("files")
    if not isinstance(items, list) or not items:
        raise SlackError("invalid_arguments", messages=["[ERROR] files must be a non-empty array"])
    if req.params.get("channel_id"):
        _postable(req, req.world.channel(req.auth.team_id, req.params["channel_id"]))
    files = []
    for item in items:
        upload = req.world.uploads.get(str(item.get("id")) if isinstance(item, dict) else "")
        if upload is None or upload.data is None or upload.team_id != req.auth.team_id:
            raise SlackError("file_not_found")
        files.append(_file(req, str(item["id"]), upload, str(item.get("title") or upload.filename)))
    return {"ok": True, "files": files}


def files_info(req: Request) -> dict[str, Any]:
    """A file the token's workspace can see: one shared in a conversation the bot is in (here, a direct message)."""
    file_id = req.text("file")
    upload = req.world.uploads.get(file_id)
    if upload is None or upload.data is None or upload.team_id != req.auth.team_id:
        raise SlackError("file_not_found")
    channel = req.world.channels.get(upload.channel_id or "")
    if channel is None or not (channel.is_im or channel.bot_is_member):
        raise SlackError("file_not_found")
    found = _file(req, file_id, upload, upload.filename)
    found.update(user=upload.user_id, channels=[], ims=[channel.id] if channel.is_im else [])
    found["url_private_download"] = f"{req.base_url}/files-pri/{upload.team_id}-{file_id}/download/{upload.filename}"
    return {"ok": True, "file": found}


def _file(req: Request, file_id: str, upload: Upload, title: str) -> dict[str, Any]:
    channel_id = req.params.get("channel_id")
    return {
        "id": file_id,
        "created": int(time.time()),
        "name": upload.filename,
        "title": title,
        "mimetype": mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
        "user": req.auth.user_id,
        "user_team": req.auth.team_id,
        "size": len(upload.data or b""),
        "url_private": f"https://files.slack.com/files-pri/{upload.team_id}-{file_id}/{upload.filename}",
        "channels": [channel_id] if channel_id else [],
    }


def _postable(req: Request, channel: Channel) -> Channel:
    if channel.is_archived:
        raise SlackError("is_archived")
    if not channel.is_im and not channel.bot_is_member and req.auth.kind == "bot":
        raise SlackError("not_in_channel")
    return channel


def _content(req: Request) -> tuple[str, list[Any] | None]:
    """The message text and blocks, checked against Slack's limits."""
    text = str(req.params.get("text") or "")
    blocks = req.json("blocks", error="invalid_blocks_format")
    attachments = req.json("attachments", error="invalid_attachments")
    if not text and not blocks and not attachments:
        raise SlackError("no_text")
    if len(text) > slack_limits.MESSAGE_TEXT:
        raise SlackError("msg_too_long")
    if isinstance(attachments, list) and len(attachments) > slack_limits.ATTACHMENTS:
        raise SlackError("too_many_attachments")
    if blocks is not None:
        errors = slack_limits.message_block_errors(blocks)
        if errors:
            raise SlackError("invalid_blocks", messages=errors)
    return text, blocks


def _message(req: Request, text: str, blocks: list[Any] | None, ts: str) -> dict[str, Any]:
    token, workspace = req.auth, req.workspace
    message: dict[str, Any] = {"user": token.user_id, "type": "message", "ts": ts, "text": text, "team": token.team_id}
    if token.bot_id is not None:
        message.update(bot_id=token.bot_id, app_id=workspace.app_id)
        message["bot_profile"] = {"id": token.bot_id, "app_id": workspace.app_id, "team_id": token.team_id}
    if blocks:
        message["blocks"] = slack_views.with_block_ids(blocks)
    if req.params.get("thread_ts"):
        message["thread_ts"] = str(req.params["thread_ts"])
    return message


def _conversation(channel: Channel) -> dict[str, Any]:
    if channel.is_im:
        return {"id": channel.id, "is_im": True, "user": channel.user, "is_open": True, "is_archived": False}
    return {
        "id": channel.id,
        "name": channel.name,
        "is_channel": True,
        "is_im": False,
        "is_archived": channel.is_archived,
        "is_member": channel.bot_is_member,
    }


def _user(req: Request, user: User) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "real_name": user.real_name,
        "display_name": user.name,
        "real_name_normalized": user.real_name,
        "display_name_normalized": user.name,
        "team": user.team_id,
    }
    if user.email and "users:read.email" in req.auth.scopes:
        profile["email"] = user.email
    local = dt.datetime.now(ZoneInfo(user.tz))
    offset = local.utcoffset() or dt.timedelta()
    return {
        "id": user.id,
        "team_id": user.team_id,
        "name": user.name,
        "deleted": user.deleted,
        "real_name": user.real_name,
        "tz": user.tz,
        "tz_label": user.tz_label or local.tzname(),
        "tz_offset": user.tz_offset if user.tz_offset is not None else int(offset.total_seconds()),
        "profile": profile,
        "is_admin": user.is_admin,
        "is_owner": False,
        "is_bot": user.is_bot,
        "is_app_user": False,
        "updated": 1_700_000_000,
    }


METHODS: dict[str, MethodSpec] = {
    "auth.test": MethodSpec(auth_test),
    "chat.postMessage": MethodSpec(chat_post_message, "chat:write"),
    "chat.postEphemeral": MethodSpec(chat_post_ephemeral, "chat:write"),
    "chat.update": MethodSpec(chat_update, "chat:write"),
    "chat.delete": MethodSpec(chat_delete, "chat:write"),
    "conversations.open": MethodSpec(conversations_open, "im:write"),
    "conversations.info": MethodSpec(conversations_info, "channels:read"),
    "users.info": MethodSpec(users_info, "users:read"),
    "users.lookupByEmail": MethodSpec(users_lookup_by_email, "users:read.email"),
    "team.info": MethodSpec(team_info, "team:read"),
    "files.getUploadURLExternal": MethodSpec(files_get_upload_url_external, "files:write"),
    "files.info": MethodSpec(files_info, "files:read"),
    "files.completeUploadExternal": MethodSpec(files_complete_upload_external, "files:write"),
    "views.open": MethodSpec(slack_views.views_open),
    "views.push": MethodSpec(slack_views.views_push),
    "views.update": MethodSpec(slack_views.views_update),
    "views.publish": MethodSpec(slack_views.views_publish),
    "oauth.v2.access": MethodSpec(slack_oauth.oauth_v2_access, needs_token=False),
}
