"""A worker process for Teams against the fake connector: `aftercare worker`'s own `run_worker` (so the same
limiter, shared on PostgreSQL), with the Teams channel given the fake's token (no login service is faked here).

python -m tests.delivery.teams_worker SERVICE_URL TOKEN APP_ID   (the rest from the environment, as the worker)
"""

from __future__ import annotations

import asyncio
import signal
import sys

from fastapi import FastAPI

from bot.clock import SystemClock
from bot.compose import build_runtime, conversation_refs
from bot.form_seal import FormSeal
from bot.settings import Settings, TeamsSettings
from bot.teams.channel import TeamsChannel
from bot.teams.edge import Connector
from bot.teams.files import FileOffers
from bot.teams.wiring import build_app
from bot.worker import NoAccountChannel, run_worker
from tests.delivery.crash_worker import NoHolidays


async def main(service_url: str, token: str, app_id: str) -> None:
    settings = Settings()
    runtime = build_runtime(settings)  # as `aftercare worker` does
    teams = TeamsSettings(client_id=app_id, openid_metadata_url=f"{service_url}/v1/.well-known/openidconfiguration")

    def token_for(_scope: object, _tenant: str | None = None) -> str:
        return token

    app = build_app(teams, FastAPI(), token_for, service_url=service_url)
    refs = conversation_refs(runtime)
    offers = FileOffers(FormSeal(b"teams-worker-test-secret-of-32-bytes", SystemClock()))
    channel = TeamsChannel(Connector(app.api, app_id), refs, fallback_service_url=service_url, offers=offers,
                           pace_settings=settings.paces)  # fmt: skip
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await run_worker(runtime, settings, stop, channels={"teams": channel, "console": NoAccountChannel()},
                         calendar=NoHolidays())  # fmt: skip
    finally:
        await runtime.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
