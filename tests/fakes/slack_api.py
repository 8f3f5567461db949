"""A faithful fake of the Slack Web API on loopback, for offline tests (shared/docs/tech-stack.md §8.3).

Use it through `running_slack_api()`::

    with running_slack_api() as slack:
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.base_url)
        await client.chat_postMessage(channel="C0FAKEGEN1", text="Hello")
        assert slack.calls_to("chat.postMessage")[0].params["text"] == "Hello"

It starts with one workspace (`DEFAULT_TEAM_ID`) holding a bot token, an installing user with a user token and a
#general channel; tests add users, channels, tokens, rate rules and failures with the methods below. Every call is
recorded with its arguments, token, status and the time of the injectable `clock`. `reset()` goes back to the
starting state. All public methods are thread-safe: the server runs in its own thread.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from tests.fakes import slack_http
from tests.fakes.slack_core import Call, Clock, ManualClock, ResponseUrlPost, SlackCore
from tests.fakes.slack_throttle import Failure, RateRule, Violation
from tests.fakes.slack_world import (
    BOT_SCOPES,
    DEFAULT_TEAM_ID,
    DEFAULT_USER_ID,
    Channel,
    ResponseUrl,
    Token,
    Trigger,
    Upload,
    User,
    Workspace,
)

__all__ = [
    "Call",
    "Clock",
    "FakeSlackApi",
    "ManualClock",
    "RateRule",
    "ResponseUrlPost",
    "Violation",
    "running_slack_api",
]

logger = logging.getLogger(__name__)

FAILURE_ERRORS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}


class FakeSlackApi(SlackCore):
    """The fake Slack Web API with the knobs tests use; `running_slack_api()` puts it behind HTTP."""

    def add_workspace(
        self, team_id: str, *, name: str | None = None, bot_token: str | None = None, scopes: Iterable[str] = BOT_SCOPES
    ) -> Workspace:
        """A workspace with its bot user and a bot token (`xoxb-<team_id>-fake` unless given)."""
        with self._lock:
            bot_user_id, bot_id = f"U{team_id[1:]}BOT", f"B{team_id[1:]}BOT"
            workspace = Workspace(team_id, name or f"Workspace {team_id}", team_id.lower(), bot_user_id, bot_id)
            self._world.workspaces[team_id] = workspace
            self._world.users[bot_user_id] = User(bot_user_id, team_id, "aftercare", "Aftercare", is_bot=True)
            token = bot_token or f"xoxb-{team_id}-fake"
            self._world.add_token(Token(token, team_id, bot_user_id, "bot", frozenset(scopes), bot_id=bot_id))
            return workspace

    def add_token(
        self,
        token: str,
        *,
        team_id: str = DEFAULT_TEAM_ID,
        user_id: str | None = None,
        scopes: Iterable[str] = BOT_SCOPES,
    ) -> None:
        """Another valid token: a bot token (`xoxb-`) acts as the bot, a user token (`xoxp-`) as `user_id`."""
        with self._lock:
            workspace = self._world.workspace(team_id)
            if token.startswith("xoxb-"):
                record = Token(token, team_id, workspace.bot_user_id, "bot", frozenset(scopes), workspace.bot_id)
            else:
                record = Token(token, team_id, user_id or DEFAULT_USER_ID, "user", frozenset(scopes))
            self._world.add_token(record)

    def add_user(self, user_id: str, *, team_id: str = DEFAULT_TEAM_ID, **fields: Any) -> User:
        """A person: fields as in `slack_world.User` (name, real_name, email, tz, tz_label, tz_offset, is_admin …)."""
        with self._lock:
            self._world.workspace(team_id)
            name = fields.pop("name", user_id.lower())
            user = User(user_id, team_id, name, fields.pop("real_name", name.title()), **fields)
            self._world.users[user_id] = user
            return user

    def add_channel(
        self,
        channel_id: str,
        *,
        team_id: str = DEFAULT_TEAM_ID,
        name: str | None = None,
        bot_is_member: bool = True,
        members: Iterable[str] | None = None,
    ) -> Channel:
        """A conversation; `members=None` means everyone in the workspace is a member."""
        with self._lock:
            self._world.workspace(team_id)
            channel = Channel(channel_id, team_id, name or channel_id.lower(), bot_is_member=bot_is_member)
            channel.members = set(members) if members is not None else None
            self._world.channels[channel_id] = channel
            return channel

    def deactivate_user(self, user_id: str) -> None:
        """users.info then says deleted, conversations.open says user_disabled, and the user's tokens stop working."""
        with self._lock:
            self._world.users[user_id].deleted = True

    def archive_channel(self, channel_id: str) -> None:
        with self._lock:
            self._world.channels[channel_id].is_archived = True

    def revoke_token(self, token: str) -> None:
        """Calls with this token then answer token_revoked (as after app uninstall or tokens_revoked)."""
        with self._lock:
            self._world.tokens[token].revoked = True

    def deactivate_workspace(self, team_id: str) -> None:
        """Calls with this workspace's tokens then answer account_inactive."""
        with self._lock:
            self._world.workspace(team_id).active = False

    def add_rate_rule(self, rule: RateRule) -> None:
        with self._lock:
            self._throttle.rules.append(rule)

    def limit_messages(
        self, *, per_channel_per_second: float = 1.0, burst: int = 3, per_team_per_minute: int | None = None
    ) -> None:
        """Slack's chat.postMessage limits: about 1 a second per channel with short bursts, plus a workspace cap."""
        with self._lock:
            rule = RateRule("chat.postMessage", "channel", 1, 1.0 / per_channel_per_second, burst=burst)
            self._throttle.rules.append(rule)
            if per_team_per_minute is not None:
                self._throttle.rules.append(RateRule("chat.postMessage", "team", per_team_per_minute, 60.0))

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 500,
        error: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """The next `times` calls of `method` ("*" for any) answer `status` with `error`.

        status 200 with error gives an ordinary `{"ok": false}` answer; 429 adds `Retry-After` (default 1).
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        failure = Failure(status, error or FAILURE_ERRORS.get(status, "fatal_error"), retry_after)
        with self._lock:
            self._throttle.add_failures(method, failure, times)

    def new_trigger_id(self, *, user_id: str = DEFAULT_USER_ID, team_id: str = DEFAULT_TEAM_ID) -> str:
        """A trigger_id to put in an interaction payload: one use, within `trigger_lifetime` seconds from now."""
        with self._lock:
            value = f"{int(time.time() * 1000)}.{team_id}.{secrets.token_hex(16)}"
            self._world.triggers[value] = Trigger(team_id, user_id, self.clock())
            return value

    def new_response_url(self, *, team_id: str = DEFAULT_TEAM_ID) -> str:
        """An absolute response_url on the fake: `response_url_uses` POSTs within `response_url_lifetime` s."""
        with self._lock:
            path = f"/actions/{team_id}/{len(self._world.response_urls) + 1}/{secrets.token_hex(12)}"
            self._world.response_urls[path] = ResponseUrl(team_id, self.clock())
            return f"{self.root_url}{path}"

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if call.method == method]

    @property
    def violations(self) -> list[Violation]:
        """Calls that came before the Retry-After of an earlier 429 for the same key had elapsed."""
        with self._lock:
            return list(self._throttle.violations)

    def response_url_posts(self, url: str | None = None) -> list[ResponseUrlPost]:
        with self._lock:
            return [post for post in self._posts if url is None or post.url == url]

    def messages(self, channel_id: str) -> list[dict[str, Any]]:
        """The messages currently in a conversation (posted and not deleted), oldest first."""
        with self._lock:
            return [m for (channel, _), m in sorted(self._world.messages.items()) if channel == channel_id]

    def view(self, view_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._world.views[view_id].body)

    def share_file(self, user_id: str, filename: str, data: bytes) -> tuple[str, str]:
        """A person sends the bot a file in their direct message with it: returns (file id, DM channel id)."""
        with self._lock:
            user = self._world.users[user_id]
            dm = self._world.open_dm(user)
            file_id = self._world.new_id("F")
            self._world.uploads[file_id] = Upload(user.team_id, filename, len(data), data, user_id, dm.id)
            return file_id, dm.id

    def uploaded(self, file_id: str) -> bytes | None:
        with self._lock:
            return self._world.uploads[file_id].data


@contextmanager
def running_slack_api(**options: Any) -> Iterator[FakeSlackApi]:
    """Start the fake on 127.0.0.1 (ephemeral port) for the duration of the block. Options go to `FakeSlackApi`."""
    fake = FakeSlackApi(**options)
    with slack_http.serve(slack_http.build_app(fake)) as root_url:
        fake.root_url = root_url
        yield fake
