"""What an intruder holding the demo database can link, measured (docs/anonymity.md, "Attacks").

Run: .venv/bin/python -m bench.anonymity [--db sqlite:///PATH]
Without --db, `aftercare demo` is run into a temporary folder first. Prints, for the demo database as stored:
how many contributor values the reflection and check-in pools share (and how many reflections join to a set of
answers), the fewest roster people a reflection's stored attributes (cohort and prompt) leave, and how many
reflections leave fewer than k.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import tempfile
from pathlib import Path

from sqlalchemy import select

from bot.demo import run_demo
from bot.runtime import Runtime
from handlers.cycles import cohort_of
from storage.anonymous_models import IndicatorResponseRow, ReflectionRow


async def measure(url: str) -> dict[str, int]:
    runtime = Runtime(url)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="a database written by `aftercare demo` (default: run the demo now)")
    args = parser.parse_args()
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
