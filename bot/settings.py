"""Configuration from the environment (CONTRACT §3), loaded once and passed down explicitly."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.rate_limits import PaceSettings

DEFAULT_DATABASE_URL = "sqlite:///./aftercare.db"


class SlackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SLACK_", extra="ignore")

    signing_secret: SecretStr | None = None
    bot_token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    scopes: str = ""
    app_token: SecretStr | None = None
    api_url: str = "https://slack.com/api/"

    @property
    def enabled(self) -> bool:
        return self.signing_secret is not None


class TeamsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TEAMS_", extra="ignore")

    client_id: str | None = None
    client_secret: SecretStr | None = None
    tenant_id: str | None = None
    openid_metadata_url: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    login_url: str = "https://login.microsoftonline.com"

    @property
    def enabled(self) -> bool:
        return self.client_id is not None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AFTERCARE_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL, validation_alias=AliasChoices("AFTERCARE_DATABASE_URL", "database_url")
    )
    timezone: str = "Europe/London"
    slack: SlackSettings = Field(default_factory=SlackSettings)
    teams: TeamsSettings = Field(default_factory=TeamsSettings)
    paces: PaceSettings = Field(default_factory=PaceSettings)  # AFTERCARE_*_PER_SECOND (bot/rate_limits.py)
