"""Fixtures for delivery tests: a Runtime over each kind of database, with the small test programme."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from handlers.library import Library
from storage.migrate import upgrade
from storage.programme_store import store_programme
from tests.conftest import fresh_postgres
from tests.delivery.helpers import load_test_library
from tests.factories import make_programme_doc


@pytest.fixture(scope="session")
def library() -> Library:
    return load_test_library()


async def loaded_delivery_runtime(url: str, clock: SimulatedClock, library: Library) -> Runtime:
    runtime = assemble(url, clock=clock, secret=b"delivery-tests", library=library)
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), clock.now(), "Europe/London")
    return runtime


@pytest.fixture
async def delivery(db_url: str, clock: SimulatedClock, library: Library) -> AsyncIterator[Runtime]:
    """A Runtime over each kind of database, with the small test programme loaded."""
    runtime = await loaded_delivery_runtime(db_url, clock, library)
    yield runtime
    await runtime.close()


@pytest.fixture
async def sqlite_delivery(sqlite_url: str, clock: SimulatedClock, library: Library) -> AsyncIterator[Runtime]:
    runtime = await loaded_delivery_runtime(sqlite_url, clock, library)
    yield runtime
    await runtime.close()


@pytest.fixture
def pg_url(postgres_base: str) -> Iterator[str]:
    """An empty, migrated PostgreSQL database (skipped when AFTERCARE_TEST_POSTGRES_URL is not set)."""
    for url in fresh_postgres(postgres_base):
        upgrade(url)
        yield url
