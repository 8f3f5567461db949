"""The state behind the fake Slack Web API: workspaces, tokens, users, channels, messages, views and one-time ids.

Everything here is plain data plus small lookups that raise `SlackError` with Slack's own error names. The fake
(`tests.fakes.slack_api`) holds one `World` under a lock; the method handlers (`tests.fakes.slack_methods`) read
and change it.
"""

from __future__ import annotations

import itertools
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Literal

logger = logging.getLogger(__name__)

DEFAULT_TEAM_ID = "T0FAKE0001"
DEFAULT_BOT_TOKEN = "xoxb-0001-fake-bot-token"
DEFAULT_USER_TOKEN = "xoxp-0001-fake-user-token"
DEFAULT_USER_ID = "U0FAKEUSR1"
DEFAULT_CLIENT_ID = "1111.2222"
DEFAULT_CLIENT_SECRET = "fake-client-secret"
BOT_SCOPES = frozenset(
    {
        "app_mentions:read",
        "channels:read",
        "chat:write",
        "commands",
        "files:read",
        "files:write",
        "groups:read",
        "im:history",
        "im:write",
        "team:read",
        "users:read",
        "users:read.email",
    }
)
USER_SCOPES = frozenset({"chat:write", "users:read"})
TOKEN_PREFIXES = ("xoxb-", "xoxp-", "xoxe.xoxb-", "xoxe.xoxp-")


class SlackError(Exception):
    """An `{"ok": false, "error": ...}` answer, with optional HTTP status, headers and extra fields."""

    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        messages: list[str] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.body: dict[str, Any] = {"ok": False, "error": error, **(extra or {})}
        if messages:
            self.body["response_metadata"] = {"messages": messages}
        self.headers = headers or {}


@dataclass
class Workspace:
    team_id: str
    name: str
    domain: str
    bot_user_id: str
    bot_id: str
    app_id: str = "A0FAKEAPP1"
    enterprise_id: str | None = None
    active: bool = True


@dataclass
class Token:
    value: str
    team_id: str
    user_id: str
    kind: Literal["bot", "user"]
    scopes: frozenset[str]
    bot_id: str | None = None
    revoked: bool = False
    expires_at: float | None = None


@dataclass
class User:
    id: str
    team_id: str
    name: str
    real_name: str
    email: str | None = None
    tz: str = "Europe/London"
    tz_label: str | None = None  # None: the zone's abbreviation now, e.g. "BST"
    tz_offset: int | None = None  # None: the zone's offset from UTC now, in seconds, as Slack reports it
    deleted: bool = False
    is_bot: bool = False
    is_admin: bool = False


@dataclass
class Channel:
    id: str
    team_id: str
    name: str
    is_im: bool = False
    user: str | None = None
    is_archived: bool = False
    bot_is_member: bool = True
    members: set[str] | None = None  # None: every user of the workspace is a member


@dataclass
class Trigger:
    team_id: str
    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseUrl:
    team_id: str
    issued_at: float
    posts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class View:
    id: str
    team_id: str
    user_id: str
    body: dict[str, Any]


@dataclass
class OAuthCode:
    team_id: str
    user_id: str
    bot_scopes: frozenset[str]
    user_scopes: frozenset[str]
    redirect_uri: str | None
    token_rotation: bool


@dataclass
class Upload:
    team_id: str
    filename: str
    length: int
    data: bytes | None = None
    user_id: str | None = None  # a file a person shared (in a direct message with the bot), not the bot's upload
    channel_id: str | None = None


@dataclass
class World:
    """All the fake's data. Not thread-safe on its own: `FakeSlackApi` holds the lock."""

    workspaces: dict[str, Workspace] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    refresh_tokens: dict[str, Token] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    triggers: dict[str, Trigger] = field(default_factory=dict)
    response_urls: dict[str, ResponseUrl] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    modal_stacks: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    home_views: dict[tuple[str, str], str] = field(default_factory=dict)
    oauth_codes: dict[str, OAuthCode] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _epoch: int = field(default_factory=lambda: int(time.time()))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}0F{next(self._ids):07d}"

    def new_ts(self) -> str:
        """A unique message timestamp that looks like Slack's ("1503435956.000247")."""
        serial = next(self._ids)
        return f"{self._epoch + serial // 1_000_000}.{serial % 1_000_000:06d}"

    def new_hash(self) -> str:
        return f"{self._epoch}.{secrets.token_hex(4)}"

    def add_token(self, token: Token) -> Token:
        if not token.value.startswith(TOKEN_PREFIXES):
            raise ValueError("Slack tokens start with xoxb- or xoxp-")
        self.tokens[token.value] = token
        return token

    def workspace(self, team_id: str) -> Workspace:
        found = self.workspaces.get(team_id)
        if found is None:
            raise SlackError("team_not_found")
        return found

    def user(self, team_id: str, user_id: object) -> User:
        found = self.users.get(str(user_id))
        if found is None or found.team_id != team_id:
            raise SlackError("user_not_found")
        return found

    def channel(self, team_id: str, ref: object) -> Channel:
        """Find a conversation by ID or name, or the bot's DM when `ref` is a user ID (as chat.postMessage does)."""
        text = str(ref or "").lstrip("#")
        found = self.channels.get(text)
        if found is not None and found.team_id == team_id:
            return found
        user = self.users.get(text)
        if user is not None and user.team_id == team_id:
            return self.open_dm(user)
        for candidate in self.channels.values():
            if candidate.team_id == team_id and candidate.name == text and not candidate.is_im:
                return candidate
        raise SlackError("channel_not_found")

    def open_dm(self, user: User) -> Channel:
        for candidate in self.channels.values():
            if candidate.is_im and candidate.user == user.id:
                return candidate
        dm = Channel(id=self.new_id("D"), team_id=user.team_id, name=user.id, is_im=True, user=user.id)
        self.channels[dm.id] = dm
        return dm

    def is_member(self, channel: Channel, user_id: str) -> bool:
        if channel.is_im:
            return channel.user == user_id
        if channel.members is None:
            found = self.users.get(user_id)
            return found is not None and found.team_id == channel.team_id
        return user_id in channel.members

    def take_trigger(self, value: object, now: float, lifetime: float) -> Trigger:
        """Exchange a trigger_id once, within `lifetime` seconds of its issue."""
        trigger = self.triggers.get(str(value or ""))
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if now - trigger.issued_at > lifetime:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger


def seed_default(world: World) -> None:
    """One workspace with a bot token, an installing user with a user token, and a #general channel."""
    world.workspaces[DEFAULT_TEAM_ID] = Workspace(
        team_id=DEFAULT_TEAM_ID,
        name="Aftercare Test",
        domain="aftercare-test",
        bot_user_id="U0FAKEBOT1",
        bot_id="B0FAKEBOT1",
    )
    world.users["U0FAKEBOT1"] = User(
        id="U0FAKEBOT1", team_id=DEFAULT_TEAM_ID, name="aftercare", real_name="Aftercare", is_bot=True
    )
    world.users[DEFAULT_USER_ID] = User(
        id=DEFAULT_USER_ID,
        team_id=DEFAULT_TEAM_ID,
        name="alex",
        real_name="Alex Example",
        email="alex@example.org",
        is_admin=True,
    )
    world.add_token(Token(DEFAULT_BOT_TOKEN, DEFAULT_TEAM_ID, "U0FAKEBOT1", "bot", BOT_SCOPES, bot_id="B0FAKEBOT1"))
    world.add_token(Token(DEFAULT_USER_TOKEN, DEFAULT_TEAM_ID, DEFAULT_USER_ID, "user", USER_SCOPES))
    world.channels["C0FAKEGEN1"] = Channel(id="C0FAKEGEN1", team_id=DEFAULT_TEAM_ID, name="general")


@dataclass
class Request:
    """One authenticated Web API call as the method handlers see it."""

    world: World
    token: Token | None
    params: dict[str, Any]
    now: float
    base_url: str
    trigger_lifetime: float = 3.0
    credentials: tuple[str, str] | None = None
    client: tuple[str, str] = (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)

    @property
    def auth(self) -> Token:
        if self.token is None:
            raise SlackError("not_authed")
        return self.token

    @property
    def workspace(self) -> Workspace:
        return self.world.workspace(self.auth.team_id)

    def text(self, name: str, *, missing: str = "invalid_arguments") -> str:
        value = self.params.get(name)
        if value is None or value == "":
            raise SlackError(missing, messages=[f"[ERROR] missing required field: {name}"])
        return str(value)

    def flag(self, name: str) -> bool:
        return str(self.params.get(name, "")).lower() in {"1", "true"}

    def json(self, name: str, *, error: str = "invalid_arguments") -> Any:
        """A structured argument: already decoded in a JSON body, a JSON string in a form body."""
        value = self.params.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise SlackError(error, messages=[f"[ERROR] {name} must be valid JSON"]) from None
