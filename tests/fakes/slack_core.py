"""The request-handling core of the fake Slack Web API: authentication, throttling, dispatch and recording.

`SlackCore` answers what `tests.fakes.slack_http` hands it (Web API calls, uploads, response_url POSTs and the
OAuth consent redirect) under one lock, and records every call. `tests.fakes.slack_api.FakeSlackApi` adds the
knobs tests use to set it up and read it back.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.fakes.slack_limits import message_block_errors
from tests.fakes.slack_methods import METHODS
from tests.fakes.slack_throttle import Throttle
from tests.fakes.slack_world import (
    BOT_SCOPES,
    DEFAULT_BOT_TOKEN,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_TEAM_ID,
    DEFAULT_USER_ID,
    DEFAULT_USER_TOKEN,
    TOKEN_PREFIXES,
    OAuthCode,
    Request,
    SlackError,
    Token,
    World,
    seed_default,
)

logger = logging.getLogger(__name__)

Clock = Callable[[], float]


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake saw it. `error` is None when the answer was ok."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float
    status: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


@dataclass(frozen=True)
class ResponseUrlPost:
    url: str
    body: Any
    at: float
    status: int


class ManualClock:
    """A clock for the fake that only moves when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class SlackCore:
    """The fake's state and request handling, without the test knobs."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: bool = True,
        trigger_lifetime: float = 3.0,
        response_url_uses: int = 5,
        response_url_lifetime: float = 1800.0,
    ) -> None:
        self.clock: Clock = clock or time.monotonic
        self.root_url = "http://127.0.0.1:0"
        self.client_id, self.client_secret = DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
        self.trigger_lifetime = trigger_lifetime
        self.response_url_uses = response_url_uses
        self.response_url_lifetime = response_url_lifetime
        self.team_id, self.bot_token, self.user_token, self.user_id = (
            DEFAULT_TEAM_ID,
            DEFAULT_BOT_TOKEN,
            DEFAULT_USER_TOKEN,
            DEFAULT_USER_ID,
        )
        self._seed = seed
        self._lock = threading.RLock()
        self.reset()

    @property
    def base_url(self) -> str:
        """What to pass as `AsyncWebClient(base_url=...)`."""
        return f"{self.root_url}/api/"

    def reset(self) -> None:
        """Forget every call, rule, failure and change made since the start."""
        with self._lock:
            self._world = World()
            if self._seed:
                seed_default(self._world)
            self._throttle = Throttle()
            self._calls: list[Call] = []
            self._posts: list[ResponseUrlPost] = []

    def new_oauth_code(
        self,
        *,
        team_id: str = DEFAULT_TEAM_ID,
        user_id: str = DEFAULT_USER_ID,
        scopes: Iterable[str] = BOT_SCOPES,
        user_scopes: Iterable[str] = (),
        redirect_uri: str | None = None,
        token_rotation: bool = False,
    ) -> str:
        """A code for oauth.v2.access, as Slack puts on the redirect after the consent screen."""
        with self._lock:
            code = f"{team_id}.{secrets.token_hex(20)}"
            grant = OAuthCode(team_id, user_id, frozenset(scopes), frozenset(user_scopes), redirect_uri, token_rotation)
            self._world.oauth_codes[code] = grant
            return code

    # -- observation --------------------------------------------------------------------------------------------

    # -- HTTP entry points (called by tests.fakes.slack_http) ---------------------------------------------------

    def handle(
        self, method: str, params: dict[str, Any], token: str | None, credentials: tuple[str, str] | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            now = self.clock()
            try:
                status, body, headers = self._answer(method, params, token, credentials, now)
            except SlackError as refusal:
                status, body, headers = refusal.status, refusal.body, refusal.headers
            except Exception:
                logger.exception("The fake Slack API failed on %s", method)
                status, body, headers = 500, {"ok": False, "error": "fatal_error"}, {}
            error = None if body.get("ok") else str(body.get("error"))
            self._calls.append(Call(method, params, token, now, status, error))
            return status, body, headers

    def _answer(
        self, method: str, params: dict[str, Any], token: str | None, credentials: tuple[str, str] | None, now: float
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        failure = self._throttle.next_failure(method, now)
        if failure is not None:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            raise SlackError(failure.error, status=failure.status, headers=headers)
        spec = METHODS.get(method)
        if spec is None:
            raise SlackError("unknown_method")
        auth = self._authenticate(token, now) if spec.needs_token else None
        if auth is not None and spec.scope is not None and spec.scope not in auth.scopes:
            raise SlackError("missing_scope", extra={"needed": spec.scope, "provided": ",".join(sorted(auth.scopes))})
        if auth is not None:
            self._check_rate(method, auth, params, now)
        request = Request(
            self._world,
            auth,
            params,
            now,
            self.root_url,
            self.trigger_lifetime,
            credentials,
            client=(self.client_id, self.client_secret),
        )
        body = spec.handler(request)
        headers = {"x-oauth-scopes": ",".join(sorted(auth.scopes))} if auth is not None else {}
        return 200, body, headers

    def _authenticate(self, value: str | None, now: float) -> Token:
        if not value:
            raise SlackError("not_authed")
        token = self._world.tokens.get(value)
        if token is None or not value.startswith(TOKEN_PREFIXES):
            raise SlackError("invalid_auth")
        if token.revoked:
            raise SlackError("token_revoked")
        if token.expires_at is not None and now >= token.expires_at:
            raise SlackError("token_expired")
        workspace = self._world.workspaces.get(token.team_id)
        user = self._world.users.get(token.user_id)
        if workspace is None or not workspace.active or (user is not None and user.deleted):
            raise SlackError("account_inactive")
        return token

    def _check_rate(self, method: str, auth: Token, params: dict[str, Any], now: float) -> None:
        channel = params.get("channel")
        if channel and any(rule.method == method and rule.scope == "channel" for rule in self._throttle.rules):
            try:
                channel = self._world.channel(auth.team_id, channel).id
            except SlackError:
                channel = str(channel)
        retry_after = self._throttle.check(method, auth.team_id, channel, now)
        if retry_after is not None:
            raise SlackError("ratelimited", status=429, headers={"Retry-After": str(retry_after)})

    def handle_download(self, name: str, token: str | None) -> tuple[int, bytes]:
        """``GET /files-pri/<team>-<file>/download/<name>``: the file's bytes for a token of its workspace with
        files:read, as Slack serves url_private_download; anything else is refused."""
        with self._lock:
            team_id, _, file_id = name.partition("-")
            upload = self._world.uploads.get(file_id)
            try:
                auth = self._authenticate(token, self.clock())
            except SlackError:
                return 403, b"Forbidden"
            if upload is None or upload.data is None or upload.team_id != team_id or auth.team_id != team_id:
                return 404, b"Not Found"
            if "files:read" not in auth.scopes:
                return 403, b"Forbidden"
            self._calls.append(Call("files-pri", {"file": file_id}, token, self.clock(), 200, None))
            return 200, upload.data

    def handle_upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        with self._lock:
            upload = self._world.uploads.get(file_id)
            if upload is None or upload.data is not None:
                return 404, "Not Found"
            upload.data = data
            return 200, f"OK - {len(data)}"

    def handle_response_url(self, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        with self._lock:
            now = self.clock()
            status, answer, payload = self._response_url_answer(path, body, now)
            self._posts.append(ResponseUrlPost(f"{self.root_url}{path}", payload, now, status))
            return status, answer

    def _response_url_answer(self, path: str, body: bytes, now: float) -> tuple[int, dict[str, Any], Any]:
        target = self._world.response_urls.get(path)
        if target is None:
            return 404, {"ok": False, "error": "no_service"}, None
        try:
            payload = json.loads(body)
        except ValueError:
            return 400, {"ok": False, "error": "invalid_payload"}, None
        if now - target.issued_at > self.response_url_lifetime:
            return 404, {"ok": False, "error": "expired_url"}, payload
        if len(target.posts) >= self.response_url_uses:
            return 404, {"ok": False, "error": "used_url"}, payload
        if not isinstance(payload, dict) or not (
            payload.get("text") or payload.get("blocks") or "delete_original" in payload
        ):
            return 400, {"ok": False, "error": "no_text"}, payload
        errors = message_block_errors(payload["blocks"]) if "blocks" in payload else []
        if errors:
            return 400, {"ok": False, "error": "invalid_blocks", "response_metadata": {"messages": errors}}, payload
        target.posts.append(payload)
        return 200, {"ok": True}, payload

    def handle_authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """Slack's consent screen, approved at once: redirect with a fresh code and the caller's state."""
        if query.get("client_id") != self.client_id:
            return 400, "invalid_client_id"
        redirect_uri = query.get("redirect_uri")
        if not redirect_uri:
            return 400, "bad_redirect_uri"
        code = self.new_oauth_code(
            scopes=[s for s in query.get("scope", "").split(",") if s] or BOT_SCOPES,
            user_scopes=[s for s in query.get("user_scope", "").split(",") if s],
            redirect_uri=redirect_uri,
        )
        separator = "&" if "?" in redirect_uri else "?"
        return 302, f"{redirect_uri}{separator}{urlencode({'code': code, 'state': query.get('state', '')})}"
