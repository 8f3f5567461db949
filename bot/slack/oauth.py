"""Which bot token speaks for which workspace: one token (single-workspace mode) or OAuth installations.

Single-workspace mode (``SLACK_BOT_TOKEN``): the token's own workspace, learnt once from auth.test, is the only
one served, and the operator's configuration makes it trusted for matching people by email. Multi-workspace mode
(``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET``): slack_sdk's SQLAlchemy installation and OAuth-state stores in our
own database (tables from migration 0005), Bolt serving /slack/install and /slack/oauth_redirect, and the Web API
reached at ``SLACK_API_URL`` for the token exchange as for everything else. An installation alone never makes a
workspace trusted: anyone may install a distributed app.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.compose import Database
from bot.settings import SlackSettings

logger = logging.getLogger(__name__)

# The least the product needs; manifest.yaml declares the same list (tests/slack/test_manifest.py checks it).
BOT_SCOPES = ("chat:write", "commands", "files:read", "files:write", "im:write", "users:read", "users:read.email")
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600


class BotTokens(Protocol):
    async def token_for(self, team_id: str, enterprise_id: str | None = None) -> str | None:
        """The bot token installed in this workspace, or None when the app is not installed there."""
        ...

    async def is_home(self, team_id: str) -> bool:
        """True for the workspace the operator configured (single-workspace mode)."""
        ...


def is_oauth(slack: SlackSettings) -> bool:
    return bool(slack.client_id and slack.client_secret)


def scopes(slack: SlackSettings) -> list[str]:
    chosen = [s.strip() for s in slack.scopes.split(",") if s.strip()]
    return chosen or list(BOT_SCOPES)


def authorization_url(api_url: str) -> str:
    """Slack's consent page beside the Web API: https://slack.com/api/ → https://slack.com/oauth/v2/authorize."""
    root = api_url.rstrip("/")
    root = root.removesuffix("/api")
    return f"{root}/oauth/v2/authorize"


def installation_store(client_id: str, engine: Database) -> AsyncSQLAlchemyInstallationStore:
    return AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine, logger=logging.getLogger(__name__))


def oauth_settings(slack: SlackSettings, engine: Database) -> AsyncOAuthSettings:
    if not (slack.client_id and slack.client_secret):
        raise ValueError("OAuth needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.")
    return AsyncOAuthSettings(
        client_id=slack.client_id,
        client_secret=slack.client_secret.get_secret_value(),
        scopes=scopes(slack),
        user_scopes=[],
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,  # /slack/install redirects straight to Slack's consent page
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(slack.api_url),
        installation_store=installation_store(slack.client_id, engine),
        installation_store_bot_only=True,
        state_store=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS, engine=engine, logger=logging.getLogger(__name__)
        ),
        state_expiration_seconds=STATE_SECONDS,
        logger=logging.getLogger(__name__),
    )


class SingleWorkspace:
    """One bot token; its workspace comes from auth.test, asked once."""

    def __init__(self, token: str, client: AsyncWebClient) -> None:
        self._token = token
        self._client = client
        self._team: str | None = None
        self._lock = asyncio.Lock()

    async def home_team(self) -> str:
        async with self._lock:
            if self._team is None:
                answer = await self._client.auth_test(token=self._token)
                self._team = str(answer["team_id"])
            return self._team

    async def token_for(self, team_id: str, enterprise_id: str | None = None) -> str | None:
        return self._token if team_id == await self.home_team() else None

    async def is_home(self, team_id: str) -> bool:
        return team_id == await self.home_team()


class Installations:
    """Bot tokens from the OAuth installation store."""

    def __init__(self, store: AsyncInstallationStore) -> None:
        self.store = store

    async def token_for(self, team_id: str, enterprise_id: str | None = None) -> str | None:
        bot = await self.store.async_find_bot(enterprise_id=enterprise_id, team_id=team_id)
        return bot.bot_token if bot is not None else None

    async def is_home(self, team_id: str) -> bool:
        return False


def bot_tokens(slack: SlackSettings, engine: Database | None, client: AsyncWebClient) -> BotTokens:
    """Installations when OAuth is configured (they live in the database ``engine`` reaches), else the one token."""
    if slack.client_id and slack.client_secret:
        if engine is None:
            raise ValueError("OAuth installations need the database.")
        return Installations(installation_store(slack.client_id, engine))
    if slack.bot_token is None:
        raise ValueError("Slack needs SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth.")
    return SingleWorkspace(slack.bot_token.get_secret_value(), client)
