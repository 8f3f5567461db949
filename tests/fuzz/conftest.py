"""What every fuzz run checks afterwards: nothing logged at ERROR, no stored reflection that fails the screen, and
every action's status the one its history last recorded (no half-made change)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.prompt_files import default_folder, load_library
from bot.runtime import Runtime
from handlers.library import Library
from handlers.screen import screen
from storage.anonymous_models import ReflectionRow
from storage.delivery_models import BroadcastAckRow, BroadcastRow, DeliveryRow
from storage.migrate import upgrade
from storage.models import ActionRow, ActionUpdateRow, AuditEventRow, PlatformIdentityRow
from tests.slack.conftest import shared_slack, slack  # noqa: F401  (the fake Slack, for test_slack.py)
from tests.teams.conftest import fake, shared_fake  # noqa: F401  (the fake Bot Connector, for test_teams.py)

COUNTED = (ActionUpdateRow, ReflectionRow, DeliveryRow, BroadcastRow, BroadcastAckRow, AuditEventRow)


async def counts(runtime: Runtime) -> tuple[int, ...]:
    """Rows in the tables a request may write, in one query."""
    query = select(
        *(select(func.count()).select_from(row).scalar_subquery() for row in (*COUNTED, PlatformIdentityRow))
    )
    async with runtime.sessions() as session:
        return tuple(int(n) for n in (await session.execute(query)).one())


@pytest.fixture
def shm_url() -> Iterator[str]:
    """A SQLite file in memory-backed storage when there is some: thousands of commits without waiting for a disk."""
    memory = Path("/dev") / "shm"
    with tempfile.TemporaryDirectory(prefix="aftercare-fuzz-", dir=memory if memory.is_dir() else None) as folder:
        url = f"sqlite:///{Path(folder) / 'aftercare.db'}"
        upgrade(url)
        yield url


async def check_stored(runtime: Runtime) -> None:
    """Invariants of whatever the fuzz stored."""
    async with runtime.sessions() as session:
        texts = list((await session.execute(select(ReflectionRow.text))).scalars())
        actions = {a.id: a.status for a in (await session.execute(select(ActionRow))).scalars()}
        updates = (await session.execute(select(ActionUpdateRow).order_by(ActionUpdateRow.id))).scalars()
        last_status: dict[int, str] = {}
        for update in updates:
            if update.kind == "status":
                last_status[update.action_id] = update.new
    for text in texts:
        if text is None:
            continue
        result = screen(text)
        assert not result.live_risk, "a reflection with a live risk was stored"
    for code, status in last_status.items():
        assert actions[code] == status, f"{code}: status and history disagree"


def assert_no_errors(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], [f"{r.name}: {r.getMessage()[:200]}" for r in bad[:5]]


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(default_folder())
