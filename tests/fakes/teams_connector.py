"""A faithful fake of the Bot Framework side of Microsoft Teams, for offline tests.

`running_connector()` starts it on 127.0.0.1 (ephemeral port, uvicorn in a background thread) and yields a
`FakeConnector`. Wire the real Teams SDK to it like this:

    App(
        client_id=fake.app_id,
        token=fake.token_provider,  # no client_secret: with one the SDK ignores token=
        cloud=with_overrides(PUBLIC, openid_metadata_url=fake.openid_metadata_url),
        service_url=fake.service_url,
        http_server_adapter=FastAPIAdapter(app=fastapi_app),
    )

and give inbound activities `serviceUrl=fake.service_url` and a token from
`mint_token(aud=fake.app_id, serviceurl=fake.service_url)`.

The fake serves the OpenID metadata and signing keys, the `/v3/conversations` API, insists on the bearer token
that `token_provider` handed out, records every activity, validates Adaptive Cards, throttles by Teams' published
limits (429 + Retry-After, with violations recorded) and injects the documented failures.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tests.fakes.teams_activities import FAKE_BOT_APP_ID, FAKE_TENANT_ID
from tests.fakes.teams_card_rules import CardRules, Rejection, load_schema_validator
from tests.fakes.teams_connector_state import (
    BLOCKED,
    FAILURES,
    NOT_FOUND,
    NOT_IN_ROSTER,
    ConnectorState,
    Conversation,
    Injected,
    RecordedActivity,
    Reply,
)
from tests.fakes.teams_throttle import TEAMS_LIMITS, Limits, ThrottleViolation
from tests.fakes.teams_tokens import BOT_FRAMEWORK_ISSUER, mint_bot_access_token

logger = logging.getLogger(__name__)

__all__ = ["FakeConnector", "RecordedActivity", "RecordedRequest", "Reply", "running_connector"]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    status: int
    at: float


class FakeConnector:
    """One fake Bot Connector: wiring, what it recorded, and knobs. Every public method is thread-safe."""

    def __init__(
        self,
        *,
        app_id: str = FAKE_BOT_APP_ID,
        clock: Callable[[], float] = time.monotonic,
        throttling: bool = True,
        limits: Limits = TEAMS_LIMITS,
        card_rules: CardRules | None = None,
        strict: bool = False,
    ) -> None:
        self.app_id = app_id
        self.base_url = ""
        self.bot_token = mint_bot_access_token(app_id)
        self.token_requests: list[tuple[Any, str | None]] = []
        self._tokens = {self.bot_token}
        self._lock = threading.Condition()
        self._requests: list[RecordedRequest] = []
        self._clock = clock
        rules = card_rules or CardRules()
        self._state = ConnectorState(app_id=app_id, clock=clock, limits=limits, card_rules=rules, strict=strict)
        self._state.throttling = throttling
        self._state.on_record = self._lock.notify_all
        self._shared: dict[str, bytes] = {}  # files people send the bot, by the secret in their download URL
        self.downloads: list[str] = []

    # ----- files people send the bot -----
    def share_file(self, name: str, data: bytes) -> dict[str, Any]:
        """The attachment Teams puts on a message when a person sends the bot a file in their 1:1 chat: a
        pre-authenticated download URL (no token needed), as Teams gives for OneDrive/SharePoint files."""
        with self._lock:
            secret = secrets.token_urlsafe(16)
            self._shared[secret] = data
        return {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "contentUrl": f"{self.base_url}/personal/{name}",
            "name": name,
            "content": {
                "downloadUrl": f"{self.base_url}/files/{secret}",
                "uniqueId": secret,
                "fileType": name.rsplit(".", 1)[-1],
            },
        }

    def download(self, secret: str) -> bytes | None:
        with self._lock:
            data = self._shared.get(secret)
            if data is not None:
                self.downloads.append(secret)
            return data

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
            return list(self._state.activities)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def violations(self) -> list[ThrottleViolation]:
        with self._lock:
            return list(self._state.windows.violations)

    def sent_to(self, conversation_id: str) -> list[RecordedActivity]:
        return [a for a in self.activities if a.conversation_id == conversation_id]

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        """The bot's messages now visible in a conversation, after updates and deletes (each with its `id`)."""
        with self._lock:
            return self._state.visible_messages(conversation_id)

    def wait_for_activities(self, count: int, timeout: float = 2.0) -> list[RecordedActivity]:
        """Block until at least `count` activities were recorded; raises TimeoutError otherwise."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._state.activities) >= count, timeout):
                raise TimeoutError(f"expected {count} activities, got {len(self._state.activities)}")
            return list(self._state.activities)

    def reset(self) -> None:
        """Forget activities, requests, throttling, failures, users and conversations; keep the tokens."""
        with self._lock:
            self._requests.clear()
            self._state.reset()

    # ----- people and conversations -----
    def add_user(self, aad_object_id: str, *, tenant_id: str = FAKE_TENANT_ID, **fields: Any) -> dict[str, Any]:
        """Register a user (optional: user_id, name, given_name, surname, email, upn); returns the account JSON."""
        with self._lock:
            account: dict[str, Any] = self._state.add_user(aad_object_id, tenant_id=tenant_id, **fields)
            return account

    def add_conversation(
        self, conversation_id: str, *, tenant_id: str = FAKE_TENANT_ID, members: list[str] | None = None
    ) -> None:
        """Make a conversation known, with the AAD object ids of its (registered) members."""
        with self._lock:
            self._state.conversations[conversation_id] = Conversation(tenant_id, list(members or []))

    def personal_conversation_id(self, member_id: str, tenant_id: str = FAKE_TENANT_ID) -> str:
        """The id `POST /v3/conversations` gives a 1:1 chat with this user (29: id or AAD object id)."""
        with self._lock:
            return self._state.personal_conversation_id(member_id, tenant_id)

    # ----- failures -----
    def block(self, conversation_id: str) -> None:
        """The user blocked the bot: calls on the conversation answer 403 ConversationBlockedByUser."""
        self._set_error(conversation_id, BLOCKED)

    def uninstall(self, conversation_id: str) -> None:
        """The app was removed: 403 BotNotInConversationRoster; creating the 1:1 chat is 403 as well."""
        self._set_error(conversation_id, NOT_IN_ROSTER)

    def delete_conversation(self, conversation_id: str) -> None:
        """The conversation no longer exists: 404 ConversationNotFound."""
        self._set_error(conversation_id, NOT_FOUND)

    def restore(self, conversation_id: str) -> None:
        with self._lock:
            self._state.conversation_errors.pop(conversation_id, None)

    def _set_error(self, conversation_id: str, rejection: Rejection) -> None:
        with self._lock:
            self._state.conversation_errors[conversation_id] = rejection

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
        """The next `times` writes to the conversation answer `status` (412, 429, 500, 502, 503, 504 …)."""
        default_code, default_message = FAILURES.get(status, ("ServiceError", "Injected failure."))
        failure = Injected(status, code or default_code, message or default_message, retry_after)
        with self._lock:
            self._state.injected.setdefault(conversation_id, collections.deque()).extend([failure] * times)

    # ----- used by the HTTP layer (tests.fakes.teams_connector_app) -----
    def handle(self, operation: str, *args: Any) -> Reply:
        """Run `ConnectorState.op_<operation>(*args)` under the lock."""
        with self._lock:
            reply: Reply = getattr(self._state, f"op_{operation}")(*args)
            return reply

    def log_request(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self._requests.append(RecordedRequest(method, path, status, self._clock()))


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
    """Run a fake connector on 127.0.0.1 for the duration of the `with` block.

    `validate_schema=True` also checks every card against the Adaptive Card 1.5 schema (needs `jsonschema`).
    `throttling=False` turns the rate limits off (benchmarks). `strict=True` answers 404 for conversations the
    fake does not know and refuses 1:1 chats with unregistered users.
    """
    from tests.fakes.teams_connector_app import serve_in_thread

    rules = CardRules(schema_validator=load_schema_validator() if validate_schema else None)
    fake = FakeConnector(
        app_id=app_id, clock=clock, throttling=throttling, limits=limits, card_rules=rules, strict=strict
    )
    with serve_in_thread(fake) as base_url:
        fake.base_url = base_url
        yield fake
