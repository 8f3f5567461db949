"""What an intruder holding the demo database can link, measured (docs/anonymity.md, "Attacks").

Run: .venv/bin/python -m bench.anonymity [--db sqlite:///PATH]
Without --db, `aftercare demo` is run into a temporary folder first. Prints, for the demo database as stored:
how many contributor values the reflection and check-in pools share (and how many reflections join to a set of
answers), the fewest roster people a reflection's stored attributes (cohort and prompt) leave, and how many
reflections leave fewer than k.

Run: .venv/bin/python -m bench.anonymity --rewrite N [--postgres URL]
Times the leader's daily anonymity job (retention, random-order rewrite and compaction) on the reports benchmark's
data with N reflections, against a baseline measured in the same run on the same database: reading every anonymous
row once (what the rewrite cannot avoid).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bot.compose import assemble
from bot.demo import run_demo
from handlers.cycles import cohort_of
from storage.anonymous_models import IndicatorResponseRow, ReflectionRow


async def measure(url: str) -> dict[str, int]:
    runtime = assemble(url)
    try:
        programme = (await runtime.programmes())[0]
        k = programme.governance.k
        async with runtime.unit() as deps:
            people = await deps.participants.in_programme(programme.id)
        sizes: dict[str, int] = {}
        for person in people:
            sizes[person.agency] = sizes.get(person.agency, 0) + 1
        label = {p.id: cohort_of(p, sizes, k) for p in people}  # the public rule, applied by the intruder
        async with runtime.sessions() as session:
            reflections = (await session.execute(select(ReflectionRow))).scalars().all()
            answers = (await session.execute(select(IndicatorResponseRow.contributor))).scalars().all()
        fewest, below_k = len(people), 0
        for row in reflections:
            candidates = [p for p in people if label[p.id] == row.cohort]
            prompt = runtime.library.prompt(row.prompt_id) if row.prompt_id else None
            if prompt is not None:
                candidates = [p for p in candidates if prompt.suits(p.roles)]
            fewest = min(fewest, len(candidates))
            below_k += len(candidates) < k
        shared = {r.contributor for r in reflections} & set(answers)
        return {
            "k": k,
            "reflections": len(reflections),
            "check-in answers (raw rows)": len(answers),
            "contributor values shared by the two pools": len(shared),
            "reflections that join to a set of check-in answers": sum(r.contributor in shared for r in reflections),
            "fewest roster people a reflection's attributes leave": fewest,
            "reflections whose attributes leave fewer than k people": below_k,
        }
    finally:
        await runtime.close()


async def time_daily_job(url: str, reflections: int) -> None:
    from bench.reports import NOW, prepare, runtime_for
    from storage.db import ANONYMOUS_TABLES
    from storage.retention import daily_anonymity_job
    from storage.schema import metadata

    await prepare(url, reflections)
    runtime = runtime_for(url)
    try:
        started = time.perf_counter()
        async with runtime.sessions() as session:
            tables = [metadata.tables[name] for name in ANONYMOUS_TABLES]
            rows = 0
            for table in tables:
                rows += len((await session.execute(select(table))).all())
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        done = await daily_anonymity_job(runtime.engine, NOW.date())
        job = time.perf_counter() - started
    finally:
        await runtime.close()
    print(f"  baseline, read {rows:,} anonymous rows: {baseline:.2f} s")
    print(f"  daily anonymity job, {done.rows_rewritten:,} rows rewritten in random order and compacted: {job:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="a database written by `aftercare demo` (default: run the demo now)")
    parser.add_argument("--rewrite", type=int, metavar="N", help="time the daily job with N reflections")
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database for --rewrite")
    args = parser.parse_args()
    if args.rewrite:
        with tempfile.TemporaryDirectory() as folder:
            for url in (f"sqlite:///{Path(folder) / 'bench.db'}", *([args.postgres] if args.postgres else [])):
                print(url.split(":", 1)[0])
                asyncio.run(time_daily_job(url, args.rewrite))
        return
    with tempfile.TemporaryDirectory() as folder:
        url = args.db
        if url is None:
            with contextlib.redirect_stdout(io.StringIO()):
                asyncio.run(run_demo(Path(folder)))
            url = f"sqlite:///{Path(folder) / 'aftercare-demo.db'}"
        for name, value in asyncio.run(measure(url)).items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
