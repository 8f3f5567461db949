"""Schema migrations (Alembic), callable from the CLI and from tests."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import make_private

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Create or migrate the schema. Must not be called from inside a running event loop."""
    make_private(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


async def upgrade_async(url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, url, revision)


def code_heads() -> set[str]:
    """The revisions this version of the code expects the database to be at."""
    return set(ScriptDirectory.from_config(alembic_config("")).get_heads())


async def schema_problem(engine: AsyncEngine) -> str | None:
    """None when the database is at this code's revision; otherwise one line saying what to do."""
    async with engine.connect() as connection:
        current = await connection.run_sync(lambda sync: set(MigrationContext.configure(sync).get_current_heads()))
    heads = code_heads()
    if current == heads:
        return None
    if not current:
        return "The database has no Aftercare schema yet; run 'aftercare db upgrade' first."
    scripts = ScriptDirectory.from_config(alembic_config(""))
    if all(_known(scripts, revision) for revision in current):
        return "The database schema is older than this version of Aftercare; run 'aftercare db upgrade' first."
    return "The database schema is newer than this version of Aftercare; please install the newer version."


def _known(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except CommandError:
        return False
