"""Engines and sessions. Plain URLs (CONTRACT §3) are mapped to the async drivers here."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from storage import postgres_driver, sqlite_driver

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


def make_private(url: str | URL) -> None:
    """Create an SQLite database file (and its -wal and -shm files) readable and writable by its owner only.

    SQLite gives the -wal and -shm files the database file's permissions, so the file is created first, with
    mode 0600, whatever the umask; an existing file is narrowed to 0600 as well.
    """
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return
    path = Path(database)
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file == path and not file.exists():
            file.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
        if file.exists() and stat.S_IMODE(file.stat().st_mode) != 0o600:
            file.chmod(0o600)


def create_engine(url: str, *, pooled: bool = True, autocommit: bool = False) -> AsyncEngine:
    """``autocommit``: every statement is its own transaction (no BEGIN or COMMIT round trips), for callers whose
    every call is one statement, such as the shared pacing's database functions (bot/shared_limits.py)."""
    make_private(url)
    target = async_url(url)
    # Never write bound parameters (which can hold reflection text) into logs or exception messages.
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if autocommit:
        kwargs["isolation_level"] = "AUTOCOMMIT"  # then the pre-ping below is one round trip, not three
    if not pooled:
        kwargs["poolclass"] = NullPool
    elif target.get_backend_name() == "postgresql":
        # One-statement calls hold a connection for one round trip: a few are enough (and every connection's first
        # use of a statement costs a type lookup), without doubling what each replica may open.
        size, overflow = (4, 6) if autocommit else (10, 20)
        kwargs.update(pool_size=size, max_overflow=overflow, pool_pre_ping=True)
    if target.get_backend_name() == "postgresql" and target.get_driver_name() == "asyncpg":
        kwargs["module"] = postgres_driver.dbapi()  # the pool's check of a connection in one round trip
    if target.get_backend_name() == "sqlite" and target.get_driver_name() == "aiosqlite":
        kwargs["module"] = sqlite_driver.dbapi()  # one trip to aiosqlite's thread per statement
    engine = create_async_engine(target, **kwargs)
    if target.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


class DropDriverStatements(logging.Filter):
    """aiosqlite logs every statement with its parameters at DEBUG; those parameters can be reflection text."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(("executing", "operation"))


logging.getLogger("aiosqlite").addFilter(DropDriverStatements())

ANONYMOUS_TABLES = ("reflections", "indicator_responses", "indicator_totals", "participation_counts", "cycle_keys",
                    "acknowledgements")  # fmt: skip


class DropAnonymousStatements(logging.Filter):
    """With SQL logging switched on, a statement on an anonymous table would date a contribution to the
    millisecond. Those statements, and the timing lines that follow every statement, are never logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("[") or any(name in message for name in ANONYMOUS_TABLES))


for _name in ("sqlalchemy.engine", "sqlalchemy.engine.Engine"):
    logging.getLogger(_name).addFilter(DropAnonymousStatements())


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows (erased people, old text) are overwritten with zeros
    cursor.close()


def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
