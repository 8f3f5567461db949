"""A faithful fake of the Bot Framework side of Microsoft Teams, for offline tests.

`running_connector()` starts it on 127.0.0.1 (ephemeral port, uvicorn in a background thread) and yields a
`FakeConnector`: point the Teams SDK's `service_url` and the activities' `serviceUrl` at `.service_url`, its
`cloud=with_overrides(PUBLIC, openid_metadata_url=...)` at `.openid_metadata_url`, and its `token=` at
`.token_provider`. The fake serves the OpenID metadata and keys, the `/v3/conversations` API, checks the bearer
token, records every activity, validates Adaptive Cards, throttles by Teams' published limits and injects the
documented failures. See docs in the helper report for the exact wiring.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.teams_activities import FAKE_BOT_APP_ID, FAKE_TENANT_ID
from tests.fakes.teams_card_rules import ADAPTIVE_CARD_CONTENT_TYPE, CardRules, Rejection, load_schema_validator
from tests.fakes.teams_connector_ops import ConnectorOps, Reply
from tests.fakes.teams_throttle import TEAMS_LIMITS, Limits, SlidingWindows, ThrottleViolation
from tests.fakes.teams_tokens import BOT_FRAMEWORK_ISSUER, mint_bot_access_token

logger = logging.getLogger(__name__)

__all__ = [
    "FakeConnector",
    "RecordedActivity",
    "RecordedRequest",
    "Reply",
    "running_connector",
]

FAILURES = {
    412: ("PreconditionFailed", "Precondition failed, please try again."),
    429: ("Throttled", "Too many requests."),
    500: ("ServiceError", "Internal server error."),
    502: ("ServiceError", "Service dependency issue."),
    503: ("ServiceUnavailable", "Service is unavailable."),
    504: ("GatewayTimeout", "Gateway Timeout."),
}
BLOCKED = Rejection(403, "ConversationBlockedByUser", "User blocked the conversation with the bot.")
NOT_IN_ROSTER = Rejection(403, "BotNotInConversationRoster", "The bot isn't part of the conversation roster.")
NOT_FOUND = Rejection(404, "ConversationNotFound", "Conversation not found.")


@dataclass(frozen=True)
class RecordedActivity:
    """An activity the fake accepted: `operation` is "create", "send", "reply", "update" or "delete"."""

    operation: str
    conversation_id: str
    activity_id: str
    body: dict[str, Any]
    tenant_id: str
    at: float
    reply_to_id: str | None = None

    @property
    def text(self) -> str | None:
        text = self.body.get("text")
        return text if isinstance(text, str) else None

    @property
    def cards(self) -> list[dict[str, Any]]:
        attachments = self.body.get("attachments") or []
        return [a["content"] for a in attachments if a.get("contentType") == ADAPTIVE_CARD_CONTENT_TYPE]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    status: int
    at: float


@dataclass
class _Injected:
    status: int
    code: str
    message: str
    retry_after: int


@dataclass
class FakeConnector:
    """State and knobs of one fake connector; every public method is thread-safe."""

    app_id: str = FAKE_BOT_APP_ID
    clock: Callable[[], float] = time.monotonic
    throttling: bool = True
    limits: Limits = TEAMS_LIMITS
    card_rules: CardRules = field(default_factory=CardRules)
    strict: bool = False
    """Strict: unknown conversations answer 404 and unknown users cannot be messaged."""
    base_url: str = ""
    bot_token: str = ""
    _lock: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def __post_init__(self) -> None:
        self.bot_token = self.bot_token or mint_bot_access_token(self.app_id)
        self._tokens = {self.bot_token}
        self.token_requests: list[tuple[Any, str | None]] = []
        self._windows = SlidingWindows(self.clock)
        self._ops = ConnectorOps(self)
        self._clear()

    def _clear(self) -> None:
        self._activities: list[RecordedActivity] = []
        self._requests: list[RecordedRequest] = []
        self._injected: dict[str, collections.deque[_Injected]] = {}
        self._conversation_errors: dict[str, Rejection] = {}
        self._windows.reset()
        self._ops.reset()

    # ----- wiring -----
    @property
    def service_url(self) -> str:
        return self.base_url

    @property
    def openid_metadata_url(self) -> str:
        return f"{self.base_url}/v1/.well-known/openidconfiguration"

    def openid_configuration(self) -> dict[str, Any]:
        return {
            "issuer": BOT_FRAMEWORK_ISSUER,
            "authorization_endpoint": "https://invalid.botframework.com",
            "jwks_uri": f"{self.base_url}/v1/.well-known/keys",
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        }

    def token_provider(self, scope: Any, tenant_id: str | None = None) -> str:
        """The SDK's `token=` callable `(scope, tenant_id) -> str`; hands out `bot_token`."""
        with self._lock:
            self.token_requests.append((scope, tenant_id))
        return self.bot_token

    def allow_token(self, token: str) -> None:
        with self._lock:
            self._tokens.add(token)

    def is_authorised(self, authorization: str | None) -> bool:
        if not authorization or not authorization.startswith("Bearer "):
            return False
        with self._lock:
            return authorization.removeprefix("Bearer ") in self._tokens

    # ----- what was recorded -----
    @property
    def activities(self) -> list[RecordedActivity]:
        with self._lock:
            return list(self._activities)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def violations(self) -> list[ThrottleViolation]:
        with self._lock:
            return list(self._windows.violations)

    def sent_to(self, conversation_id: str) -> list[RecordedActivity]:
        return [a for a in self.activities if a.conversation_id == conversation_id]

    def wait_for_activities(self, count: int, timeout: float = 2.0) -> list[RecordedActivity]:
        """Block until at least `count` activities were recorded; raises TimeoutError otherwise."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._activities) >= count, timeout):
                raise TimeoutError(f"expected {count} activities, got {len(self._activities)}")
            return list(self._activities)

    def reset(self) -> None:
        """Forget activities, requests, throttling, injected failures, users and conversations; keep tokens."""
        with self._lock:
            self._clear()

    # ----- knobs -----
    def add_user(self, aad_object_id: str, **fields: Any) -> dict[str, Any]:
        """Register a Teams user (tenant_id, name, given_name, surname, email, upn); returns its account JSON."""
        with self._lock:
            return self._ops.add_user(aad_object_id, **fields)

    def add_conversation(
        self, conversation_id: str, *, tenant_id: str = FAKE_TENANT_ID, members: list[str] | None = None
    ) -> None:
        """Make a conversation known (with member AAD object ids), as if the bot had been installed there."""
        with self._lock:
            self._ops.add_conversation(conversation_id, tenant_id, members or [])

    def personal_conversation_id(self, member_id: str, tenant_id: str = FAKE_TENANT_ID) -> str:
        """The id `POST /v3/conversations` returns for a 1:1 chat with this user (29: id or AAD object id)."""
        with self._lock:
            return self._ops.personal_conversation_id(member_id, tenant_id)

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        """The bot's messages now visible in a conversation, after updates and deletes."""
        with self._lock:
            return self._ops.visible_messages(conversation_id)

    def block(self, conversation_id: str) -> None:
        """The user blocked the bot: writes answer 403 ConversationBlockedByUser."""
        self._set_conversation_error(conversation_id, BLOCKED)

    def uninstall(self, conversation_id: str) -> None:
        """The app was removed: 403 BotNotInConversationRoster (and 403 on creating the 1:1 chat)."""
        self._set_conversation_error(conversation_id, NOT_IN_ROSTER)

    def delete_conversation(self, conversation_id: str) -> None:
        """The conversation no longer exists: 404 ConversationNotFound."""
        self._set_conversation_error(conversation_id, NOT_FOUND)

    def restore(self, conversation_id: str) -> None:
        with self._lock:
            self._conversation_errors.pop(conversation_id, None)

    def _set_conversation_error(self, conversation_id: str, rejection: Rejection) -> None:
        with self._lock:
            self._conversation_errors[conversation_id] = rejection

    def fail_next(
        self,
        conversation_id: str,
        status: int,
        times: int = 1,
        *,
        code: str | None = None,
        message: str | None = None,
        retry_after: int = 1,
    ) -> None:
        """The next `times` writes to the conversation answer `status` (412, 429, 500, 502, 503, 504, ...)."""
        default_code, default_message = FAILURES.get(status, ("ServiceError", "Injected failure."))
        failure = _Injected(status, code or default_code, message or default_message, retry_after)
        with self._lock:
            self._injected.setdefault(conversation_id, collections.deque()).extend([failure] * times)

    # ----- used by the HTTP layer (tests.fakes.teams_connector_app) -----
    def handle(self, operation: str, **params: Any) -> Reply:
        with self._lock:
            return self._ops.dispatch(operation, params)

    def log_request(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self._requests.append(RecordedRequest(method, path, status, self.clock()))

    def _record(self, activity: RecordedActivity) -> None:
        self._activities.append(activity)
        self._lock.notify_all()

    def _gate(self, conversation_id: str, tenant_id: str, path: str, *, write: bool) -> Reply | None:
        """Conversation state, throttling and injected failures, in that order; None lets the request through."""
        error = self._conversation_errors.get(conversation_id)
        if error is not None:
            return Reply(error.status, error.body())
        if self.throttling:
            per_conversation = self.limits.send_per_conversation if write else self.limits.read_per_conversation
            buckets = [
                (f"{'send' if write else 'read'}:{conversation_id}", per_conversation),
                (f"tenant:{tenant_id}", self.limits.per_tenant),
            ]
            retry_after = self._windows.admit(buckets, path)
            if retry_after is not None:
                return _throttled(retry_after)
        queue = self._injected.get(conversation_id) if write else None
        if queue:
            failure = queue.popleft()
            if failure.status == 429:
                self._windows.not_before[f"send:{conversation_id}"] = self.clock() + failure.retry_after
                return _throttled(failure.retry_after)
            return Reply(failure.status, Rejection(failure.status, failure.code, failure.message).body())
        return None


def _throttled(retry_after: int) -> Reply:
    body = Rejection(429, "Throttled", "Too many requests.").body()
    return Reply(429, body, {"Retry-After": str(retry_after)})


@contextlib.contextmanager
def running_connector(
    *,
    app_id: str = FAKE_BOT_APP_ID,
    clock: Callable[[], float] = time.monotonic,
    throttling: bool = True,
    limits: Limits = TEAMS_LIMITS,
    validate_schema: bool = False,
    strict: bool = False,
) -> Iterator[FakeConnector]:
    """Run a fake connector on 127.0.0.1 for the duration of the `with` block."""
    from tests.fakes.teams_connector_app import serve_in_thread

    rules = CardRules(schema_validator=load_schema_validator() if validate_schema else None)
    fake = FakeConnector(
        app_id=app_id, clock=clock, throttling=throttling, limits=limits, card_rules=rules, strict=strict
    )
    with serve_in_thread(fake) as base_url:
        fake.base_url = base_url
        yield fake
