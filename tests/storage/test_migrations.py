from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import inspect

from storage.db import create_engine
from storage.migrate import downgrade, upgrade
from storage.schema import metadata


async def table_names(url: str) -> set[str]:
    engine = create_engine(url, pooled=False)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


def test_upgrade_downgrade_upgrade(db_url: str):
    """db_url is already at head: check the tables, go down to nothing, and come back up."""
    expected = set(metadata.tables)
    assert asyncio.run(table_names(db_url)) == expected
    downgrade(db_url, "base")
    assert asyncio.run(table_names(db_url)) == set()
    upgrade(db_url)
    assert asyncio.run(table_names(db_url)) == expected


async def test_sqlite_runs_with_wal_and_foreign_keys(sqlite_url: str):
    engine = create_engine(sqlite_url)
    async with engine.connect() as conn:
        journal = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar_one()
        keys = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar_one()
    await engine.dispose()
    assert journal == "wal"
    assert keys == 1


def test_unsupported_url_is_refused():
    with pytest.raises(ValueError, match="sqlite:/// and postgresql://"):
        create_engine("mysql://root@localhost/test")
