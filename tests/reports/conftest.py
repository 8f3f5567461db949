"""The demo programme, run once per session, with every report written in every format."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.demo import run_demo
from bot.reports.demo import write_reports
from bot.reports.pipeline import produce
from bot.runtime import default_key_file
from handlers.model import Programme
from handlers.reports import KINDS
from handlers.reports.model import Report

AFTER_DEMO = dt.datetime(2026, 9, 10, 9, 0, tzinfo=dt.UTC)
CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class DemoReports:
    folder: Path
    database: Path
    programme: Programme
    files: tuple[str, ...]
    reports: dict[str, Report]

    def path(self, name: str) -> Path:
        return self.folder / name

    def raw(self) -> contextlib.closing[sqlite3.Connection]:
        """The demo database, read directly: the raw data every figure is checked against (closed after `with`)."""
        return contextlib.closing(sqlite3.connect(f"file:{self.database}?mode=ro", uri=True))


async def _write(folder: Path) -> tuple[Programme, list[str], dict[str, Report]]:
    runtime = assemble(f"sqlite:///{folder / 'aftercare-demo.db'}", clock=SimulatedClock(AFTER_DEMO), secret=b"x")
    try:
        programme = (await runtime.programmes())[0]
        files = await write_reports(runtime, programme, folder)
        reports = await produce(runtime, programme, KINDS)  # the same day and data: the same figures again
    finally:
        await runtime.close()
    return programme, files, reports


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> DemoReports:
    folder = tmp_path_factory.mktemp("demo-output")
    with contextlib.redirect_stdout(io.StringIO()):
        asyncio.run(run_demo(folder, pictures=False))
    programme, files, reports = asyncio.run(_write(folder))
    return DemoReports(folder, folder / "aftercare-demo.db", programme, tuple(files), reports)


@pytest.fixture
def demo_copy(demo_reports: DemoReports, tmp_path: Path) -> str:
    """A copy of the demo database that a test may change."""
    target = tmp_path / "aftercare-demo.db"
    shutil.copy(demo_reports.database, target)
    # The key lives outside the database's folder; put it where an older install kept it, and it is moved in.
    shutil.copy(default_key_file(f"sqlite:///{demo_reports.database}"), target.with_suffix(".anonymity-key"))
    return f"sqlite:///{target}"


def chromium() -> Path:
    """Debian's Chromium; a missing browser fails the test in CI and skips it elsewhere."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI is set but {CHROMIUM} is missing; install Debian's chromium package.")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI installs it.")
