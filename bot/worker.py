"""The worker: a dispatcher on every replica, and the scheduler on whichever replica holds the leader lock.

``aftercare worker`` runs ``run_worker`` until interrupted; ``aftercare serve`` starts it in-process with
``start_worker`` unless ``--no-worker``. Channels come from the settings: Slack when ``SLACK_SIGNING_SECRET`` is set
(``bot.slack.delivery.make_channel(settings)``), Teams when ``TEAMS_CLIENT_ID`` is set
(``bot.teams.delivery.make_channel(settings)``). With neither, the console channel prints every message; with
either, a message for someone with no Slack or Teams account is dead-lettered with that reason.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable, Mapping

from bot.channel import Channel
from bot.console_channel import ConsoleChannel
from bot.delivery import Dispatcher, DispatchSettings
from bot.holiday_calendar import HolidaysCalendar
from bot.leader import Leadership
from bot.metrics import LEADING
from bot.rate_limits import Pace, RateLimiter
from bot.runtime import Runtime
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.shared_limits import SharedRateLimiter
from handlers.audiences import CONSOLE
from handlers.delivery_ports import Recipient
from handlers.errors import PermanentDeliveryError
from handlers.reply import Reply
from handlers.windows import HolidayCalendar
from storage.db import create_engine, is_sqlite

logger = logging.getLogger(__name__)

PLATFORM_MODULES = {"slack": "bot.slack.delivery", "teams": "bot.teams.delivery"}


class NoAccountChannel:
    """For people with no Slack or Teams account when a platform is on: dead-letter, with the reason."""

    platform = CONSOLE

    def paces(self, recipient: Recipient) -> list[Pace]:
        return []

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        raise PermanentDeliveryError("no Slack or Teams account is known for this person")

    async def was_sent(self, recipient: Recipient) -> bool | None:
        return False

    async def close(self) -> None:
        return None


def build_channels(settings: Settings, runtime: Runtime) -> dict[str, Channel]:
    channels: dict[str, Channel] = {}
    enabled = {"slack": settings.slack.enabled, "teams": settings.teams.enabled}
    for platform, module_name in PLATFORM_MODULES.items():
        if not enabled[platform]:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            logger.error("%s is enabled but this build has no %s channel; its messages will wait", platform, platform)
            continue
        channels[platform] = module.make_channel(settings)
    channels[CONSOLE] = NoAccountChannel() if channels else ConsoleChannel(runtime.clock)
    return channels


def rate_limiter(runtime: Runtime, settings: Settings) -> RateLimiter:
    """On PostgreSQL the paces are shared by every replica; SQLite has one worker, so its own limiter is enough."""
    if is_sqlite(runtime.database_url):
        return RateLimiter(margin=settings.paces.pace_margin)
    engine = create_engine(runtime.database_url, autocommit=True)  # its own connections, one round trip a call
    return SharedRateLimiter(engine, margin=settings.paces.pace_margin, dispose=True)


async def run_worker(
    runtime: Runtime,
    settings: Settings,
    stop_event: asyncio.Event,
    *,
    channels: Mapping[str, Channel] | None = None,
    dispatch: DispatchSettings | None = None,
    heartbeat: float = 5.0,
    calendar: HolidayCalendar | None = None,
) -> None:
    """Deliver and (when leading) schedule until ``stop_event`` is set; then finish in-flight sends and step down."""
    channels = channels if channels is not None else build_channels(settings, runtime)
    calendar = calendar or HolidaysCalendar()
    limiter = rate_limiter(runtime, settings)
    dispatcher = Dispatcher(
        runtime.sessions,
        channels,
        calendar=calendar,
        clock=runtime.clock,
        settings=dispatch,
        limiter=limiter,
        secret=runtime.secret,
    )
    scheduler = Scheduler(runtime)

    async def gained() -> None:
        LEADING.set(1)
        await scheduler.start()

    async def lost() -> None:
        LEADING.set(0)
        await scheduler.stop()

    name = dispatcher.name
    leadership = Leadership(runtime.database_url, on_gain=gained, on_loss=lost, heartbeat=heartbeat, name=name)
    try:
        await asyncio.gather(dispatcher.run(stop_event), leadership.run(stop_event))
    finally:
        await scheduler.stop()
        await limiter.close()
        for channel in channels.values():
            await channel.close()


async def start_worker(settings: Settings, runtime: Runtime) -> Callable[[], Awaitable[None]]:
    """Start the worker in the background (``aftercare serve``); returns the coroutine function that stops it."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(runtime, settings, stop), name="aftercare-worker")

    async def stop_worker() -> None:
        stop.set()
        await task

    return stop_worker
