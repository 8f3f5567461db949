"""The in-memory ports keep the storage contract: the storage tests of tests/storage/test_repositories.py, which
run on SQLite and PostgreSQL, run here against tests/handlers/memory.py, from the same programme file."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from handlers.ports import Deps
from tests.factories import make_programme_doc
from tests.handlers.conftest import START, library
from tests.handlers.memory import FixedClock, World, memory_deps
from tests.handlers.memory_world import load
from tests.storage import test_repositories as contract


class MemoryUnits:
    """What the contract tests use of a Runtime: ``unit()``, each unit seeing what the ones before it did."""

    def __init__(self) -> None:
        self.world = World()
        load(self.world, make_programme_doc())

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Deps]:
        yield memory_deps(self.world, FixedClock(START), library())


CONTRACT: list[Callable[[Any], Awaitable[None]]] = [
    test for name, test in inspect.getmembers(contract, inspect.iscoroutinefunction) if name.startswith("test_")
]


def test_every_storage_contract_test_needs_only_what_memory_units_give():
    assert len(CONTRACT) >= 6
    assert all(list(inspect.signature(test).parameters) == ["runtime"] for test in CONTRACT)


@pytest.mark.parametrize("test", CONTRACT, ids=lambda test: test.__name__)
async def test_the_memory_ports_keep_the_storage_contract(test: Callable[[Any], Awaitable[None]]):
    await test(MemoryUnits())
