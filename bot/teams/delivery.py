"""What bot/worker.py builds when Teams is on: the TeamsChannel, with its own Bot Connector client and database pool.

It serves no HTTP and needs no `App.initialize()`: only the SDK's API client (with our msal token callable) and the
stored conversation references are used.
"""

from __future__ import annotations

from fastapi import FastAPI

from bot.clock import SystemClock
from bot.compose import anonymity_key, own_conversation_refs
from bot.form_seal import FormSeal
from bot.settings import Settings
from bot.teams.channel import TeamsChannel
from bot.teams.edge import Connector
from bot.teams.files import FileOffers
from bot.teams.wiring import build_app, token_provider


def make_channel(settings: Settings) -> TeamsChannel:
    options = settings.teams_options
    app = build_app(settings.teams, FastAPI(), token_provider(settings.teams), service_url=options.service_url)
    refs, release = own_conversation_refs(settings.database_url)
    connector = Connector(app.api, app.id or "")
    offers = FileOffers(FormSeal(anonymity_key(settings), SystemClock()))
    return TeamsChannel(
        connector,
        refs,
        fallback_service_url=options.service_url,
        offers=offers,
        release=release,
        pace_settings=settings.paces,
    )
