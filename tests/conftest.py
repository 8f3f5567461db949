"""Shared fixtures: databases (SQLite always; PostgreSQL when AFTERCARE_TEST_POSTGRES_URL is set) and runtimes."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from handlers.anonymity_ports import SafeguardingNotifier
from storage.migrate import upgrade
from storage.programme_store import store_programme
from tests.factories import make_programme_doc

POSTGRES_ENV = "AFTERCARE_TEST_POSTGRES_URL"
START = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


async def _admin(url: str, sql: str) -> None:
    parsed = make_url(url)
    conn = await asyncpg.connect(
        user=parsed.username or "postgres",
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        database=parsed.database or "postgres",
        password=parsed.password,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def postgres_base() -> str:
    url = postgres_url()
    if url is None:
        pytest.skip(f"{POSTGRES_ENV} is not set; PostgreSQL tests run in .ci/run")
    try:
        asyncio.run(_admin(url, "SELECT 1"))
    except Exception as error:  # a set URL that does not answer is a failure, never a skip
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL did not answer: {error}")
    return url


def fresh_postgres(base: str) -> Iterator[str]:
    name = f"aftercare_t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(autouse=True, scope="session")
def _keys_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Anonymity key files default to the user's configuration folder; tests keep theirs in a temporary one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "config"))
        yield


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'aftercare.db'}"
        upgrade(url)
        yield url
    else:
        base = request.getfixturevalue("postgres_base")
        for url in fresh_postgres(base):
            upgrade(url)
            yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'aftercare.db'}"
    upgrade(url)
    return url


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START)


async def _loaded_runtime(url: str, clock: SimulatedClock, notifier: SafeguardingNotifier | None = None) -> Runtime:
    runtime = assemble(url, clock=clock, secret=b"test-anonymity-secret", notifier=notifier)
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), clock.now(), "Europe/London")
    return runtime


@pytest.fixture
async def runtime(db_url: str, clock: SimulatedClock) -> AsyncIterator[Runtime]:
    """A runtime over each kind of database, with the small test programme loaded."""
    loaded = await _loaded_runtime(db_url, clock)
    yield loaded
    await loaded.close()


@pytest.fixture
async def sqlite_runtime(sqlite_url: str, clock: SimulatedClock) -> AsyncIterator[Runtime]:
    loaded = await _loaded_runtime(sqlite_url, clock)
    yield loaded
    await loaded.close()
