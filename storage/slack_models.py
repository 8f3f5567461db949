"""Slack platform state: installations and OAuth states (slack_sdk's SQLAlchemy stores), and interactions seen.

The three ``slack_*`` store tables are declared here, column for column as slack_sdk 3.47 builds them
(``build_installations_table`` / ``build_bots_table`` / ``build_oauth_states_table``), so that Alembic owns them;
tests/slack/test_oauth.py checks the two definitions still agree. storage/ must not import slack_sdk, so they are
written out rather than built. Their timestamps are naive UTC, as slack_sdk writes them (tech-stack §1.4).
Bot and user tokens are stored in plain text: restrict access to the database (docs/slack.md).

``slack_seen`` remembers hashed keys of events, button presses and modal submissions already applied, so that a
retry or a double click changes nothing twice. A key is a SHA-256 digest and the date; nothing in it says who.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Column, Date, DateTime, Index, Integer, String, Table, func
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"


def _bot_columns() -> list[Column[object]]:
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
    ]


slack_installations = Table(
    INSTALLATIONS,
    Base.metadata,
    *_bot_columns(),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index(f"{INSTALLATIONS}_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

slack_bots = Table(
    BOTS,
    Base.metadata,
    *_bot_columns(),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index(f"{BOTS}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    OAUTH_STATES,
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)


class SlackSeenRow(Base):
    """An event, press or submission already applied: a hashed key and the day, nothing else."""

    __tablename__ = "slack_seen"
    __table_args__ = (Index("ix_slack_seen_day", "seen_on"), {"sqlite_with_rowid": False})

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_on: Mapped[dt.date] = mapped_column(Date)
