"""The two driver adaptations in storage/: SQLite with one trip to aiosqlite's thread per statement
(storage/sqlite_driver.py), PostgreSQL with a one-round-trip check of a pooled connection
(storage/postgres_driver.py). What a statement returns and what a transaction keeps must be as before."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.db import create_engine


async def test_statements_give_rows_counts_and_ids_as_before(db_url: str):
    engine = create_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20) UNIQUE)"))
            inserted = await conn.execute(text("INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')"))
            assert inserted.rowcount == 3
            returned = await conn.execute(text("INSERT INTO t (id, name) VALUES (4, 'd') RETURNING id, name"))
            assert returned.all() == [(4, "d")]
            await conn.execute(text("INSERT INTO t (id, name) VALUES (:id, :name)"),
                               [{"id": 5, "name": "e"}, {"id": 6, "name": "f"}])  # fmt: skip
            changed = await conn.execute(text("UPDATE t SET name = name || 'x' WHERE id > 4"))
            assert changed.rowcount == 2
            rows = await conn.execute(text("SELECT id, name FROM t ORDER BY id"))
            assert list(rows.keys()) == ["id", "name"]
            assert rows.all() == [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "ex"), (6, "fx")]
            assert (await conn.execute(text("SELECT name FROM t WHERE id = 99"))).first() is None
        with pytest.raises(IntegrityError):  # the driver's error, translated as SQLAlchemy translates it
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t (id, name) VALUES (7, 'a')"))
    finally:
        await engine.dispose()


async def test_a_rolled_back_write_is_gone_and_a_committed_one_stays(db_url: str):
    engine = create_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        async with engine.connect() as conn:
            await conn.execute(text("INSERT INTO t (id) VALUES (1)"))
            await conn.rollback()
            await conn.execute(text("SELECT count(*) FROM t"))  # a read, then a commit with nothing written
            await conn.commit()
            await conn.execute(text("INSERT INTO t (id) VALUES (2)"))
            await conn.commit()
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT id FROM t"))).scalars().all() == [2]
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_a_pooled_connection_whose_server_went_away_is_replaced(postgres_base: str, db_url: str):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    engine = create_engine(db_url)
    try:
        async with engine.connect() as conn:
            pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with create_engine(db_url, pooled=False).connect() as admin:  # the server ends that connection
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        async with engine.connect() as conn:  # the pool's check finds it gone and connects again
            assert (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_a_checked_connection_keeps_transactions_and_autocommit_as_asked(postgres_base: str, db_url: str):
    """The check of a pooled connection is the BEGIN of its transaction: a rollback still discards what came after
    it, a commit keeps it, and a connection switched to autocommit writes at once."""
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    engine = create_engine(db_url)
    try:
        async with engine.begin() as conn:  # a fresh connection (not checked): creates the table
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        async with engine.connect() as conn:  # taken from the pool again: checked
            await conn.execute(text("INSERT INTO t (id) VALUES (1)"))
            await conn.rollback()
            await conn.execute(text("INSERT INTO t (id) VALUES (2)"))
            await conn.commit()
            level = (await conn.execute(text("SHOW transaction_isolation"))).scalar_one()
            await conn.rollback()
        async with engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("INSERT INTO t (id) VALUES (3)"))
            await autocommit.rollback()  # nothing to undo: it was written at once
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT id FROM t ORDER BY id"))).scalars().all() == [2, 3]
        assert level == "read committed"
    finally:
        await engine.dispose()
