"""Engines and sessions. Plain URLs (CONTRACT §3) are mapped to the async drivers here."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

logger = logging.getLogger(__name__)

ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}


def async_url(url: str) -> URL:
    """``sqlite:///x.db`` → ``sqlite+aiosqlite:///x.db``; ``postgresql://…`` → ``postgresql+asyncpg://…``."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"Aftercare supports sqlite:/// and postgresql:// database URLs, not '{backend}'.")
    if "+" not in parsed.drivername:
        parsed = parsed.set(drivername=ASYNC_DRIVERS[parsed.drivername])
    return parsed


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, pooled: bool = True) -> AsyncEngine:
    target = async_url(url)
    # Never write bound parameters (which can hold reflection text) into logs or exception messages.
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if not pooled:
        kwargs["poolclass"] = NullPool
    elif target.get_backend_name() == "postgresql":
        kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
    engine = create_async_engine(target, **kwargs)
    if target.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


class DropDriverStatements(logging.Filter):
    """aiosqlite logs every statement with its parameters at DEBUG; those parameters can be reflection text."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(("executing", "operation"))


logging.getLogger("aiosqlite").addFilter(DropDriverStatements())


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
