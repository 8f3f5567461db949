"""Every setting, read from the environment once (CONTRACT §3 and §6), validated, and passed down explicitly.

``load_settings()`` is the only place the process reads its configuration; nothing else reads ``os.environ``.
A bad value is reported as one line naming the variable (never its value, which may be a secret). Every secret can
also be given as ``NAME_FILE``, the path of a file holding it (as container platforms mount them); setting both
``NAME`` and ``NAME_FILE`` is refused, so it is always clear which one is used.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./aftercare.db"
GLOBAL_SERVICE_URL = "https://smba.trafficmanager.net/teams"


class ConfigurationError(ValueError):
    """One or more settings are wrong; ``problems`` has one line for each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class FileSecrets(PydanticBaseSettingsSource):
    """``NAME_FILE`` for every secret: the file's contents (without a trailing newline) when ``NAME`` is not set."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # everything is done in __call__

    def __call__(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, field in self.settings_cls.model_fields.items():
            if not _from_file(self.settings_cls, name, field):
                continue
            variable = env_name(self.settings_cls, name)
            path = os.environ.get(f"{variable}_FILE")
            if not path:
                continue
            if os.environ.get(variable):
                raise ConfigurationError([f"Please set {variable} or {variable}_FILE, not both."])
            try:
                found[name] = Path(path).read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                raise ConfigurationError([f"{variable}_FILE names a file that cannot be read."]) from None
        return found


def _from_file(cls: type[BaseSettings], name: str, field: FieldInfo) -> bool:
    also: frozenset[str] = getattr(cls, "ALSO_FROM_FILE", frozenset())
    return name in also or "SecretStr" in str(field.annotation)


def env_name(cls: type[BaseSettings], name: str) -> str:
    """The variable behind a field (an alias such as AFTERCARE_DATABASE_URL is already the variable's name)."""
    return name if name.isupper() else f"{cls.model_config.get('env_prefix', '')}{name}".upper()


class EnvSettings(BaseSettings):
    """A group of settings with one prefix; ``NAME_FILE`` works for each of its secrets."""

    model_config = SettingsConfigDict(extra="ignore")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, FileSecrets(settings_cls)


class SlackSettings(EnvSettings):
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


class TeamsSettings(EnvSettings):
    """The bot's Entra app registration. Outbound tokens use the client secret or, instead, a certificate:
    TEAMS_CERTIFICATE_PATH (a PEM private key with TEAMS_CERTIFICATE_THUMBPRINT, or a .pfx/.p12 file, whose
    thumbprint is read from it) and TEAMS_CERTIFICATE_PASSWORD when the key is encrypted; or, on Azure, the host's
    user-assigned managed identity (TEAMS_MANAGED_IDENTITY=true)."""

    model_config = SettingsConfigDict(env_prefix="TEAMS_", extra="ignore")

    client_id: str | None = None
    client_secret: SecretStr | None = None
    tenant_id: str | None = None
    certificate_path: Path | None = None
    certificate_thumbprint: str | None = None
    certificate_password: SecretStr | None = None
    managed_identity: bool = False  # TEAMS_CLIENT_ID is then a user-assigned managed identity's client id
    openid_metadata_url: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    login_url: str = "https://login.microsoftonline.com"
    # TLS verification for outbound token requests (CONTRACT §3): the standard variables, as requests reads them.
    ca_bundle: str | None = Field(default=None, validation_alias=AliasChoices("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"))

    @property
    def enabled(self) -> bool:
        return self.client_id is not None

    @field_validator("certificate_thumbprint")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is None:
            return None
        cleaned = value.replace(":", "").replace(" ", "").upper()
        if len(cleaned) != 40 or any(c not in "0123456789ABCDEF" for c in cleaned):
            raise ValueError("should be the certificate's SHA-1 thumbprint: 40 hexadecimal digits")
        return cleaned


ALLOW_ALL_TENANTS = "dangerously-allow"


class TeamsOptions(EnvSettings):
    """AFTERCARE_TEAMS_*: TENANTS (comma-separated tenant ids allowed to use the bot; by default only
    TEAMS_TENANT_ID), ALLOW_ALL_TENANTS (exactly ``dangerously-allow`` lets every tenant where the app is installed
    reach the bot; logged loudly at start-up), SERVICE_URL (where to open a chat in a tenant not seen yet), and
    DANGEROUSLY_ALLOW_UNAUTHENTICATED (local development only)."""

    model_config = SettingsConfigDict(env_prefix="AFTERCARE_TEAMS_", extra="ignore")

    dangerously_allow_unauthenticated: bool = False
    tenants: str = ""
    allow_all_tenants: Literal["", "dangerously-allow"] = ""
    service_url: str = GLOBAL_SERVICE_URL

    def allowed_tenants(self, home_tenant: str | None) -> frozenset[str] | None:
        """The tenants allowed: TENANTS, else TEAMS_TENANT_ID; None (every tenant) only when ALLOW_ALL_TENANTS is
        exactly ``dangerously-allow``."""
        if self.allow_all_tenants == ALLOW_ALL_TENANTS:
            return None
        listed = frozenset(t.strip() for t in self.tenants.split(",") if t.strip())
        return listed or frozenset({home_tenant} if home_tenant else ())


class PaceSettings(EnvSettings):
    """AFTERCARE_*_PER_SECOND: the sending paces the outbox keeps to, summed over every replica (bot/rate_limits.py)."""

    model_config = SettingsConfigDict(env_prefix="AFTERCARE_", extra="ignore")

    slack_workspace_per_second: float = Field(default=2.0, gt=0, le=100)  # Slack publishes no number: 1–2/s
    slack_channel_per_second: float = Field(default=1.0, gt=0, le=100)
    teams_tenant_per_second: float = Field(default=30.0, gt=0, le=1000)
    teams_conversation_per_second: float = Field(default=7.0, gt=0, le=100)  # the 2 s, 30 s and 1 h windows apply
    pace_margin: float = Field(default=1.03, ge=1.0, le=2.0)  # sends are spaced this much wider than the pace allows


class Settings(EnvSettings):
    model_config = SettingsConfigDict(env_prefix="AFTERCARE_", extra="ignore")
    ALSO_FROM_FILE: ClassVar[frozenset[str]] = frozenset({"database_url"})  # it may hold a password

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL, validation_alias=AliasChoices("AFTERCARE_DATABASE_URL", "database_url")
    )
    timezone: str = "Europe/London"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    log_format: Literal["text", "json"] = "text"
    access_log: bool = False
    prompts_dir: Path | None = None
    reports_dir: Path = Path("aftercare-reports")
    anonymity_secret: SecretStr | None = None
    anonymity_key_path: Path | None = None
    slack: SlackSettings = Field(default_factory=SlackSettings)
    teams: TeamsSettings = Field(default_factory=TeamsSettings)
    teams_options: TeamsOptions = Field(default_factory=TeamsOptions)
    paces: PaceSettings = Field(default_factory=PaceSettings)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("should start sqlite:/// or postgresql://")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("should be a time zone name such as Europe/London") from None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("prompts_dir")
    @classmethod
    def _folder(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError("should be a folder holding the prompt library's .yaml files")
        return value


PARTS: dict[str, type[EnvSettings]] = {
    "slack": SlackSettings,
    "teams": TeamsSettings,
    "teams_options": TeamsOptions,
    "paces": PaceSettings,
}


def load_settings() -> Settings:
    """Read and check every setting; raise ConfigurationError with one line for each problem."""
    problems: list[str] = []
    parts: dict[str, Any] = {}
    for name, cls in PARTS.items():
        try:
            parts[name] = cls()
        except (ValidationError, ConfigurationError) as error:
            problems += describe(error, cls)
            parts[name] = cls.model_construct()
    try:
        settings = Settings(**parts)
    except (ValidationError, ConfigurationError) as error:
        raise ConfigurationError(problems + describe(error, Settings)) from None
    if problems:
        raise ConfigurationError(problems)
    return settings


def describe(error: ValidationError | ConfigurationError, cls: type[EnvSettings]) -> list[str]:
    """One line per problem, naming the environment variable and never repeating its value."""
    if isinstance(error, ConfigurationError):
        return error.problems
    lines = []
    for detail in error.errors():
        variable = env_name(cls, str(detail["loc"][0])) if detail["loc"] else cls.__name__
        message = str(detail["msg"]).removeprefix("Value error, ")
        lines.append(f"{variable} is not valid: {message[:1].lower()}{message[1:]}.")
    return lines
