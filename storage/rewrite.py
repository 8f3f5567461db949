"""The anonymous tables, rewritten in random order (the leader's daily job and ``aftercare purge``).

Rows are stored in the order they arrive: PostgreSQL's ``ctid`` and ``xmin``, and SQLite's pages and write-ahead
log, follow submission order, which could be lined up with anything that carries a time (docs/anonymity.md). Once a
day every anonymous row is deleted and written back in a random order in one transaction (so they share one
``xmin``), integer ids are renumbered, and the tables are compacted (``VACUUM FULL`` on PostgreSQL; ``VACUUM`` and
a truncating checkpoint on SQLite) so that no old copy stays in free space.
"""

from __future__ import annotations

import logging
import secrets

from sqlalchemy import Integer, delete, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import ANONYMOUS_TABLES
from storage.schema import metadata

logger = logging.getLogger(__name__)


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


async def compact(engine: AsyncEngine, tables: tuple[str, ...] = ANONYMOUS_TABLES) -> None:
    """Drop old row versions from the files (PostgreSQL: ``VACUUM FULL``; SQLite: ``VACUUM`` and a checkpoint)."""
    sqlite = engine.dialect.name == "sqlite"
    statements = (
        ["VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"]
        if sqlite
        else ["VACUUM FULL " + ", ".join(f'"{name}"' for name in tables)]
    )
    try:
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for statement in statements:
                await autocommit.exec_driver_sql(statement)
    except DBAPIError as error:  # busy: the rewrite is done; the next run compacts
        logger.warning("the anonymous tables could not be compacted this time: %s", type(error.orig).__name__)
