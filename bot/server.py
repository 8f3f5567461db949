"""The production HTTP server (CONTRACT §4): one FastAPI app hosting Slack, Teams and health checks."""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from bot.metrics import RequestContext, metrics_endpoint
from bot.runtime import Runtime
from bot.settings import Settings

logger = logging.getLogger(__name__)

# Each platform adds itself here: (settings, runtime, app) -> an async start-up hook or None.
Mount = Callable[[Settings, Runtime, FastAPI], Awaitable[None]]


def platform_mounts(settings: Settings) -> list[Mount]:
    mounts: list[Mount] = []
    if settings.slack.enabled:
        from bot.slack.wiring import mount_slack

        mounts.append(mount_slack)
    if settings.teams.enabled:
        from bot.teams.wiring import mount_teams

        mounts.append(mount_teams)
    return mounts


def create_app(
    settings: Settings, runtime: Runtime, *, with_worker: bool = False, started: Callable[[], None] | None = None
) -> FastAPI:
    """Build the ASGI app. Platform routes are added at start-up, after their SDKs initialise; ``started`` runs once
    they and the worker are up (`aftercare serve`: bot/preload.py ``freeze``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for mount in platform_mounts(settings):
            await mount(settings, runtime, app)
        stop = await _start_worker(settings, runtime) if with_worker else None
        if started is not None:
            started()
        try:
            yield
        finally:  # SIGTERM: uvicorn has stopped taking requests and finished those under way
            try:
                if stop is not None:
                    await stop()
            finally:
                await close_platforms(app)
                await runtime.close()
                logger.info("Aftercare stopped")

    app = FastAPI(title="Aftercare", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(RequestContext)
    app.add_api_route("/metrics", metrics_endpoint(runtime.sessions), methods=["GET"], include_in_schema=False)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        try:
            async with runtime.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            logger.warning("readiness check: the database did not answer")
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    return app


async def close_platforms(app: FastAPI) -> None:
    """Close Socket Mode and the Slack and Teams clients, each whatever happens to the other."""
    slack = getattr(app.state, "slack", None)
    teams = getattr(app.state, "teams", None)
    if slack is not None:
        from bot.slack.wiring import close_slack

        try:
            await close_slack(slack)
        except Exception as error:
            logger.warning("could not close the Slack connections cleanly: %s", type(error).__name__)
    if teams is not None:
        from bot.teams.wiring import close_teams

        try:
            await close_teams(teams)
        except Exception as error:
            logger.warning("could not close the Teams connections cleanly: %s", type(error).__name__)


async def _start_worker(settings: Settings, runtime: Runtime) -> Callable[[], Awaitable[None]] | None:
    """Start the scheduler and delivery worker in-process (bot.worker), when that part is installed."""
    try:
        worker = importlib.import_module("bot.worker")
    except ImportError:
        logger.warning("this build has no delivery worker; serving HTTP only")
        return None
    stop: Callable[[], Awaitable[None]] = await worker.start_worker(settings, runtime)
    return stop
