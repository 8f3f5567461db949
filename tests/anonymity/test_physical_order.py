"""Attack: the physical order of anonymous rows follows submission order, so it can be lined up with anything that
carries a time (audit entries, deliveries, a proxy's access log). The leader's daily job (and ``aftercare purge``)
rewrites the anonymous tables in random order; afterwards the order is unrelated to submission order.

Measured as Spearman's rank correlation between submission order and physical order, over 40 reflections: about 1
(or -1) before the rewrite, and near 0 after it (for a random order the spread is about 0.16, so 0.6 is a bound a
random shuffle breaks about once in five thousand runs).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.runtime import Runtime
from handlers.anonymity_ports import NewReflection
from storage.retention import daily_anonymity_job
from tests.anonymity.conftest import spearman

SUBMISSIONS = 40
BOUND = 0.6


def marker(n: int) -> str:
    return f"submission-{n:03d}-marker"


async def submit_many(runtime: Runtime) -> None:
    programme = (await runtime.programmes())[0]
    today = runtime.clock.now().date()
    for n in range(SUBMISSIONS):  # one transaction each, as in real use
        async with runtime.unit() as deps:
            reflection = NewReflection(programme_id=programme.id, cycle="CI-0", cohort="KBC", prompt_id=None,
                                       text=marker(n), tags=(), in_themes=True)  # fmt: skip
            await deps.anonymity.reflections.add(reflection, 1000 + n, today)


async def postgres_order(runtime: Runtime, column: str) -> list[tuple[float, int]]:
    async with runtime.sessions() as session:
        rows = (await session.execute(text(f"SELECT {column}, text FROM reflections"))).all()
    found = []
    for value, words in rows:
        if column == "ctid":
            page, item = (int(part) for part in str(value).strip("()").split(","))
            value = page * 10_000 + item
        found.append((float(value), int(re.findall(r"\d+", words)[0])))
    return found


@pytest.mark.postgres
async def test_postgres_xmin_and_ctid_say_nothing_after_the_daily_rewrite(runtime: Runtime):
    if not runtime.database_url.startswith("postgresql"):
        pytest.skip("xmin and ctid are PostgreSQL system columns")
    await submit_many(runtime)
    before = await postgres_order(runtime, "ctid")
    rho_before = spearman([p for p, _ in before], [n for _, n in before])
    print(f"PostgreSQL ctid vs submission order before the rewrite: rho = {rho_before:+.3f}")
    assert rho_before > 0.9  # the attack works on stored rows
    await daily_anonymity_job(runtime.engine, runtime.clock.now().date() + dt.timedelta(days=1))
    for column in ("ctid", "xmin::text::bigint"):
        after = await postgres_order(runtime, column)
        assert len(after) == SUBMISSIONS
        positions = [p for p, _ in after]
        if column.startswith("xmin"):
            assert len(set(positions)) == 1, "every row should carry the rewrite's one transaction id"
            continue
        rho = spearman(positions, [n for _, n in after])
        print(f"PostgreSQL ctid vs submission order after the rewrite: rho = {rho:+.3f}")
        assert abs(rho) < BOUND


def file_order(path: Path) -> list[tuple[float, int]]:
    """Where each marker first sits in a copy of the database's files (write-ahead log first, then the database):
    what an intruder holding a backup of the folder reads from raw pages."""
    wal = path.with_name(path.name + "-wal")
    data = (wal.read_bytes() if wal.exists() else b"") + path.read_bytes()
    found = []
    for n in range(SUBMISSIONS):
        at = data.find(marker(n).encode())
        assert at >= 0
        found.append((float(at), n))
    return found


async def test_sqlite_file_order_says_nothing_after_the_daily_rewrite(sqlite_runtime: Runtime):
    runtime = sqlite_runtime
    path = Path(make_url(runtime.database_url).database or "")
    await submit_many(runtime)
    before = file_order(path)
    rho_before = spearman([p for p, _ in before], [n for _, n in before])
    print(f"SQLite file order vs submission order before the rewrite: rho = {rho_before:+.3f}")
    assert abs(rho_before) > 0.9  # the attack works on stored rows
    await daily_anonymity_job(runtime.engine, runtime.clock.now().date() + dt.timedelta(days=1))
    after = file_order(path)
    rho = spearman([p for p, _ in after], [n for _, n in after])
    print(f"SQLite file order vs submission order after the rewrite: rho = {rho:+.3f}")
    assert abs(rho) < BOUND
    assert copies_of(path, marker(0)) == 1  # no older copy left in free pages or in the log


def copies_of(path: Path, text: str) -> int:
    wal = path.with_name(path.name + "-wal")
    return sum(p.read_bytes().count(text.encode()) for p in (path, wal) if p.exists())
