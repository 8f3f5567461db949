"""All six reports, in every format, for 2,000 actions, 5,000 participants and 100,000 reflections.

Run: .venv/bin/python -m bench.reports [--postgres URL] [--reflections N]
Each measurement runs in a fresh subprocess so that its peak memory (ru_maxrss) is its own. The baseline, in the
same run on the same database, reads the same rows with bare SELECTs (actions, reflections, check-in answers and
deliveries) and does nothing with them. Targets: under 10 s and under 500 MB peak for everything.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from bench.report_data import fill
from bench.synthetic import synthetic_programme
from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from storage.migrate import upgrade
from storage.models import ParticipantRow
from storage.programme_store import store_programme

NOW = dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.UTC)
BARE = (
    "SELECT * FROM actions",
    "SELECT cycle, cohort, contributor, tags, text FROM reflections WHERE in_themes",
    "SELECT item, cycle, cohort, score FROM indicator_responses",
    "SELECT broadcast_id, schedule_id, status, last_error FROM deliveries",
)


def runtime_for(url: str) -> Runtime:
    return assemble(url, clock=SimulatedClock(NOW), secret=b"bench-anonymity-secret")


async def prepare(url: str, reflections: int) -> None:
    await asyncio.to_thread(upgrade, url)
    runtime = runtime_for(url)
    started = time.perf_counter()
    try:
        async with runtime.sessions() as session, session.begin():
            await store_programme(session, synthetic_programme(), NOW, "Europe/London")
            query = select(ParticipantRow.id, ParticipantRow.email, ParticipantRow.agency)
            people = [(pid, email, agency) for pid, email, agency in (await session.execute(query)).all()]
            counts = await fill(session, people, reflections)
    finally:
        await runtime.close()
    made = ", ".join(f"{n:,} {what}" for what, n in counts.items())
    print(f"  loaded 5,000 participants, 2,000 actions, {made} in {time.perf_counter() - started:.1f} s")


async def baseline(url: str) -> dict[str, Any]:
    runtime = runtime_for(url)
    try:
        started = time.perf_counter()
        rows = 0
        async with runtime.sessions() as session:
            for statement in BARE:
                rows += len((await session.execute(text(statement))).all())
        return {"seconds": time.perf_counter() - started, "rows": rows}
    finally:
        await runtime.close()


async def everything(url: str, out: Path) -> dict[str, Any]:
    import bot.reports.charts
    import bot.reports.docx_out
    import bot.reports.html  # noqa: F401  (imports are timed separately, in wall_with_imports)
    from bot.reports.pipeline import Builder
    from bot.reports.render import render
    from handlers.reports import FORMATS, KINDS

    runtime = runtime_for(url)
    timings: dict[str, float] = {}
    try:
        started = time.perf_counter()
        programme = (await runtime.programmes())[0]
        async with runtime.sessions() as session, session.begin():
            builder = Builder(session, programme, runtime.library, runtime.clock.now())
            await builder.start()
            timings["read the action plan"] = time.perf_counter() - started
            reports = {}
            for kind in ("assurance", "indicators", "themes", "priorities", "delivery", "brief"):
                begun = time.perf_counter()
                reports[kind] = await builder.build(kind)
                timings[f"build {kind}"] = time.perf_counter() - begun
            await builder.finish()
        files = 0
        for kind in KINDS:
            for fmt in FORMATS[kind]:
                begun = time.perf_counter()
                (out / f"{kind}.{fmt}").write_bytes(render(reports[kind], fmt))
                timings[f"render {fmt}"] = timings.get(f"render {fmt}", 0.0) + time.perf_counter() - begun
                files += 1
        return {"seconds": time.perf_counter() - started, "files": files, "timings": timings}
    finally:
        await runtime.close()


def child(mode: str, url: str, out: str) -> None:
    """Run one measurement and print it as JSON (with this process's peak memory)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = asyncio.run(baseline(url) if mode == "baseline" else everything(url, Path(out)))
    result["wall_with_imports"] = time.perf_counter() - started
    result["cpu_with_imports"] = time.process_time() - cpu
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(mode: str, url: str, out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.reports", "--child", mode, url, str(out)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=600)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def show(label: str, url: str, out: Path) -> None:
    base, full = measure("baseline", url, out), measure("reports", url, out)
    again = measure("reports", url, out)  # the ledger now holds every figure of the first run
    print(f"\n{label}")
    print(f"  {'':46} {'seconds':>8} {'peak MB':>8}")
    print(f"  {'baseline: bare SELECT of the same rows':46} {base['seconds']:8.2f} {base['maxrss_mb']:8.0f}")
    print(f"  {'all 6 reports, ' + str(full['files']) + ' files':46} {full['seconds']:8.2f} {full['maxrss_mb']:8.0f}")
    print(f"  {'  the same, with Python start-up and imports':46} {full['wall_with_imports']:8.2f}")
    print(f"  {'  CPU time of that process (all threads)':46} {full['cpu_with_imports']:8.2f}")
    print(f"  {'again, checked against the first run (ledger)':46} {again['seconds']:8.2f} {again['maxrss_mb']:8.0f}")
    print(f"  {'load average (1 min) after measuring':46} {os.getloadavg()[0]:8.2f}")
    for name, seconds in full["timings"].items():
        print(f"    {name:44} {seconds:8.2f}")
    worst = max(full["seconds"], again["seconds"]), max(full["maxrss_mb"], again["maxrss_mb"])
    print(f"  target (< 10 s, < 500 MB): {'met' if worst[0] < 10 and worst[1] < 500 else 'NOT met'}")


def run(url: str, label: str, reflections: int) -> None:
    print(f"{label}: preparing")
    asyncio.run(prepare(url, reflections))
    with tempfile.TemporaryDirectory() as out:
        show(label, url, Path(out))


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("AFTERCARE_TEST_POSTGRES_URL"))
    parser.add_argument("--reflections", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite", args.reflections)
    if args.postgres:
        asyncio.run(postgres(args.postgres, args.reflections))


async def postgres(base: str, reflections: int) -> None:
    from tests.conftest import _admin

    name = f"aftercare_reports_bench_{os.getpid()}"
    await _admin(base, f'DROP DATABASE IF EXISTS "{name}"')
    await _admin(base, f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(run, base.rsplit("/", 1)[0] + f"/{name}", "PostgreSQL", reflections)
    finally:
        await _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
