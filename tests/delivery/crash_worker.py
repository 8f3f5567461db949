"""The worker side of the crash test: a dispatcher sending to the fake platform until SIGTERM (or SIGKILL).

python -m tests.delivery.crash_worker DATABASE_URL FAKE_BASE_URL LEASE_SECONDS
"""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import sys

from bot.clock import SystemClock
from bot.delivery import Dispatcher, DispatchSettings, RetryPolicy
from bot.http_channel import HttpChannel
from storage.db import create_engine, sessionmaker


class NoHolidays:
    def is_holiday(self, day: dt.date, region: str) -> bool:
        return False


async def main(database_url: str, base_url: str, lease: float) -> None:
    engine = create_engine(database_url)
    channel = HttpChannel(base_url, timeout=1.0)
    settings = DispatchSettings(lease=lease, poll=0.1, policy=RetryPolicy(send_timeout=1.0))
    channels = {"console": channel, "slack": channel, "teams": channel}
    dispatcher = Dispatcher(
        sessionmaker(engine), channels, calendar=NoHolidays(), clock=SystemClock(), settings=settings
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("ready", flush=True)
    try:
        await dispatcher.run(stop)
    finally:
        await channel.close()
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
