"""oauth.v2.access for the fake Slack Web API: code exchange and token-rotation refresh.

Client credentials come as HTTP Basic auth (what slack_sdk sends) or as client_id / client_secret arguments.
A code from `FakeSlackApi.new_oauth_code()` is single-use; exchanging it registers a new bot token (and a user
token when user scopes were granted) with the workspace, so the app can call the fake with it straight away.
The answers copy Slack's documented examples, like bolt-python's `MockHandler`.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from tests.fakes.slack_world import Request, SlackError, Token, Workspace

logger = logging.getLogger(__name__)

ROTATED_TOKEN_LIFETIME = 43_200


def oauth_v2_access(req: Request) -> dict[str, Any]:
    _check_client(req)
    grant = req.params.get("grant_type") or "authorization_code"
    if grant == "refresh_token":
        return _refresh(req)
    if grant != "authorization_code":
        raise SlackError("invalid_grant_type")
    code = req.world.oauth_codes.pop(str(req.params.get("code") or ""), None)
    if code is None:
        raise SlackError("invalid_code")
    if code.redirect_uri is not None and req.params.get("redirect_uri") != code.redirect_uri:
        raise SlackError("bad_redirect_uri")
    workspace = req.world.workspace(code.team_id)
    rotation = code.token_rotation
    bot = _new_token(req, "bot", code.team_id, workspace.bot_user_id, code.bot_scopes, workspace.bot_id, rotation)
    answer: dict[str, Any] = {
        "ok": True,
        **_token_fields(req, bot, rotation),
        "bot_user_id": workspace.bot_user_id,
        **_team_fields(workspace),
        "authed_user": {"id": code.user_id},
    }
    if code.user_scopes:
        user = _new_token(req, "user", code.team_id, code.user_id, code.user_scopes, None, rotation)
        answer["authed_user"].update(_token_fields(req, user, rotation))
    return answer


def _check_client(req: Request) -> None:
    client_id, client_secret = req.credentials or (req.params.get("client_id"), req.params.get("client_secret"))
    if client_id != req.client[0]:
        raise SlackError("invalid_client_id")
    if client_secret != req.client[1]:
        raise SlackError("bad_client_secret")


def _refresh(req: Request) -> dict[str, Any]:
    old = req.world.refresh_tokens.get(str(req.params.get("refresh_token") or ""))
    if old is None:
        raise SlackError("invalid_refresh_token")
    workspace = req.world.workspace(old.team_id)
    new = _new_token(req, old.kind, old.team_id, old.user_id, old.scopes, old.bot_id, rotation=True)
    answer: dict[str, Any] = {"ok": True, **_token_fields(req, new, True), **_team_fields(workspace)}
    if new.kind == "bot":
        answer["bot_user_id"] = workspace.bot_user_id
    return answer


def _new_token(
    req: Request,
    kind: str,
    team_id: str,
    user_id: str,
    scopes: frozenset[str],
    bot_id: str | None,
    rotation: bool,
) -> Token:
    prefix = ("xoxe." if rotation else "") + ("xoxb-" if kind == "bot" else "xoxp-")
    token = Token(
        value=f"{prefix}{team_id}-{secrets.token_hex(12)}",
        team_id=team_id,
        user_id=user_id,
        kind="bot" if kind == "bot" else "user",
        scopes=scopes,
        bot_id=bot_id,
        expires_at=req.now + ROTATED_TOKEN_LIFETIME if rotation else None,
    )
    req.world.add_token(token)
    if rotation:
        req.world.refresh_tokens[f"xoxe-1-{secrets.token_hex(16)}"] = token
    return token


def _token_fields(req: Request, token: Token, rotation: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "access_token": token.value,
        "token_type": token.kind,
        "scope": ",".join(sorted(token.scopes)),
    }
    if rotation:
        refresh = next(key for key, value in req.world.refresh_tokens.items() if value is token)
        fields.update(expires_in=ROTATED_TOKEN_LIFETIME, refresh_token=refresh)
    return fields


def _team_fields(workspace: Workspace) -> dict[str, Any]:
    enterprise = {"id": workspace.enterprise_id, "name": workspace.name} if workspace.enterprise_id else None
    return {
        "app_id": workspace.app_id,
        "team": {"name": workspace.name, "id": workspace.team_id},
        "enterprise": enterprise,
        "is_enterprise_install": False,
    }
