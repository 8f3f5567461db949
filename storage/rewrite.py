"""The anonymous tables, rewritten in random order (the leader's daily job and ``aftercare purge``).

Rows are stored in the order they arrive: PostgreSQL's ``ctid`` and ``xmin``, and SQLite's pages and write-ahead
log, follow submission order, which could be lined up with anything that carries a time (docs/anonymity.md). Once a
day every anonymous row is deleted and written back in a random order in one transaction (so they share one
``xmin``), integer ids are renumbered, and the tables are compacted (``VACUUM FULL`` on PostgreSQL; on SQLite,
deleted rows are overwritten with zeros and a truncating checkpoint empties the write-ahead log) so that no old copy
stays in free space.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import sqlite3

from sqlalchemy import Integer, delete, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import ANONYMOUS_TABLES
from storage.schema import metadata

logger = logging.getLogger(__name__)

LOCK_SECONDS = 5


async def rewrite_in_random_order(session: AsyncSession) -> int:
    """Delete and re-insert every anonymous row in a random order; returns how many rows were written."""
    shuffle = secrets.SystemRandom().shuffle
    written = 0
    for name in ANONYMOUS_TABLES:
        table = metadata.tables[name]
        renumbered = {c.name for c in table.primary_key.columns if isinstance(c.type, Integer) and c.autoincrement}
        # One statement deletes and returns the rows, so a row committed meanwhile is either returned (and written
        # back) or not deleted: nothing submitted during the rewrite is lost.
        deleted = await session.execute(delete(table).returning(*table.columns))
        rows = [{k: v for k, v in row.items() if k not in renumbered} for row in deleted.mappings()]
        if not rows:
            continue
        shuffle(rows)
        await session.execute(insert(table), rows)
        written += len(rows)
    return written


async def compact(engine: AsyncEngine, tables: tuple[str, ...] = ANONYMOUS_TABLES, *, whole: bool = False) -> None:
    """Drop old row versions from the files.

    PostgreSQL: ``VACUUM FULL`` of the tables, giving up after a few seconds if a lock is not granted (so that
    submissions never queue behind it for long). SQLite: deleted rows are already overwritten with zeros
    (``secure_delete``), so a truncating checkpoint empties the write-ahead log; ``whole`` (after an erasure) also
    rebuilds the file with ``VACUUM``.
    """
    if engine.dialect.name == "sqlite":
        database = engine.url.database or ""
        if database and database != ":memory:":
            await asyncio.to_thread(_compact_sqlite, database, whole)
        return
    statements = [f"SET lock_timeout = '{LOCK_SECONDS}s'", "VACUUM FULL " + ", ".join(f'"{t}"' for t in tables)]
    try:
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for statement in statements:
                await autocommit.exec_driver_sql(statement)
    except DBAPIError as error:  # a lock not granted in time: the rewrite is done; the next run compacts
        logger.warning("the anonymous tables could not be compacted this time: %s", type(error.orig).__name__)


def _compact_sqlite(database: str, whole: bool) -> None:
    try:
        with contextlib.closing(sqlite3.connect(database, timeout=LOCK_SECONDS, isolation_level=None)) as connection:
            if whole:
                connection.execute("VACUUM")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as error:  # busy: the next run compacts
        logger.warning("the database could not be compacted this time: %s", error)
