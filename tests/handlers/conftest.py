"""Handler tests run against the in-memory ports (tests/handlers/memory.py): no database."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from bot.prompt_files import default_folder, load_library
from handlers.library import Library
from handlers.model import Participant
from handlers.ports import Deps
from tests.factories import make_programme_doc
from tests.handlers.memory import FixedClock, World, memory_deps
from tests.handlers.memory_world import load

START = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)  # as tests/conftest.py: a Monday, 11:00 in London


@cache
def library() -> Library:
    return load_library(default_folder())


@pytest.fixture
def world() -> World:
    found = World()
    load(found, make_programme_doc())
    return found


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def deps(world: World, clock: FixedClock) -> Deps:
    return memory_deps(world, clock, library())


def person(world: World, email: str) -> Participant:
    (found,) = [p for p in world.people.values() if p.email == email.lower()]
    return found
