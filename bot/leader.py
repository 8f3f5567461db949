"""Leader election for the scheduler: a PostgreSQL session advisory lock on its own, non-pooled connection.

Every worker is a candidate. Each ``heartbeat`` seconds a candidate tries ``pg_try_advisory_lock``; the one that
gets it starts the scheduler. The leader checks its lock connection every ``heartbeat`` seconds and stops the
scheduler at once if the check fails. PostgreSQL releases a session lock when its session ends (a crash, a
killed process, a dropped connection), so another candidate takes over within one heartbeat. The connection has
no pool (a pooled "close" would keep the lock held) and must reach PostgreSQL directly or through a session-mode
pooler, never PgBouncer in transaction mode. If two leaders ever overlap for a moment, the outbox's idempotency
keys make the second firing a no-op.

On SQLite there is one process, so the lock is a no-op and the worker leads at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import socket
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import create_engine, is_sqlite
from storage.delivery_models import SchedulerLeaderRow
from storage.repositories.outbox import upsert_statement

logger = logging.getLogger(__name__)

LOCK_KEY = 0x4166746572636172  # "Aftercar": the scheduler's advisory lock
Hook = Callable[[], Awaitable[None]]


class Leadership:
    def __init__(
        self,
        database_url: str,
        *,
        on_gain: Hook,
        on_loss: Hook,
        heartbeat: float = 5.0,
        name: str | None = None,
        key: int = LOCK_KEY,
    ) -> None:
        self.database_url = database_url
        self.on_gain = on_gain
        self.on_loss = on_loss
        self.heartbeat = heartbeat
        self.name = name or f"{socket.gethostname()}:{id(self):x}"
        self.key = key
        self.leading = False
        self._engine: AsyncEngine | None = None
        self._connection: AsyncConnection | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Campaign until ``stop`` is set; on the way out step down, which releases the lock."""
        try:
            if is_sqlite(self.database_url):
                await self._gain()
                await stop.wait()
                return
            while not stop.is_set():
                if self.leading:
                    if not await self._alive():
                        await self._lose("the lock connection failed its heartbeat")
                elif await self._try_lock():
                    await self._gain()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.heartbeat)
        finally:
            if self.leading:
                await self._lose("stopping")
            await self._disconnect()
            if self._engine is not None:
                await self._engine.dispose()

    async def _try_lock(self) -> bool:
        try:
            if self._engine is None:
                self._engine = create_engine(self.database_url, pooled=False)
            connection = await self._engine.connect()
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            if await connection.scalar(select(func.pg_try_advisory_lock(self.key))):
                self._connection = connection
                await self._beat(first=True)
                return True
            await connection.close()
        except Exception as error:
            logger.warning("could not try the scheduler lock: %s", error)
            await self._disconnect()
        return False

    async def _alive(self) -> bool:
        try:
            await asyncio.wait_for(self._beat(first=False), self.heartbeat)
        except Exception as error:
            logger.warning("scheduler leader %s lost its lock connection: %s", self.name, error)
            return False
        return True

    async def _beat(self, *, first: bool) -> None:
        """Prove the lock connection works, and say who leads (scheduler_leader is for people to read)."""
        if self._connection is None:
            raise ConnectionError("no lock connection")
        await self._connection.execute(text("SELECT 1"))
        now = dt.datetime.now(dt.UTC)
        values = {"name": "scheduler", "holder": self.name[:120], "since": now, "seen_at": now}
        statement = upsert_statement("postgresql", SchedulerLeaderRow).values(**values)
        update = {"holder": values["holder"], "seen_at": now, **({"since": now} if first else {})}
        await self._connection.execute(statement.on_conflict_do_update(index_elements=["name"], set_=update))

    async def _gain(self) -> None:
        self.leading = True
        logger.info("%s is now the scheduler leader", self.name)
        await self.on_gain()

    async def _lose(self, why: str) -> None:
        self.leading = False
        log = logger.info if why == "stopping" else logger.warning
        log("%s is no longer the scheduler leader: %s", self.name, why)
        try:
            await self.on_loss()
        finally:
            await self._disconnect()

    async def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()
