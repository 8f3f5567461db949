"""`aftercare demo`: a scripted end-to-end run on a fresh embedded database, written to ./demo-output/.

It imports examples/programme.yaml, moves a simulated clock through the programme's milestones, delivers prompts
through the console transport, has fictional participants update the action plan, and writes what happened.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.console import render_text
from bot.demo_outputs import write_outputs
from bot.programme_cli import import_files
from bot.prompt_files import default_folder, load_library, package_path
from bot.reports.demo import write_reports
from bot.runtime import Runtime
from handlers.library import Library
from handlers.model import Participant, Programme
from storage.migrate import upgrade

EXAMPLE_NAME = "examples/programme.yaml"  # shipped in the package (bot/examples), the same file as in the repository
LONDON = ZoneInfo("Europe/London")


@dataclass
class Transcript:
    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def say(self, text: str = "") -> None:
        print(text)
        self.lines.append(text)

    def scene(self, day: dt.date, title: str, why: str) -> None:
        self.say()
        self.say(f"━━ {day:%a %d %b %Y} · {title} " + "━" * max(0, 70 - len(title)))
        for line in textwrap.wrap(why, 100):
            self.say(f"   {line}")
        self.say()

    def bot(self, reply_text: str, indent: str = "     │ ") -> None:
        for line in reply_text.splitlines():
            self.say(indent + line)

    def count(self, what: str, by: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + by


@dataclass
class Demo:
    runtime: Runtime
    clock: SimulatedClock
    library: Library
    programme: Programme
    people: list[Participant]
    out: Path
    log: Transcript = field(default_factory=Transcript)

    def at(self, day: dt.date, hour: int = 9, minute: int = 30) -> None:
        self.clock.set(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON))

    def person(self, email: str) -> Participant:
        return next(p for p in self.people if p.email == email)

    async def say(self, email: str, line: str) -> bool:
        who = self.person(email)
        self.log.say(f"   {who.name} ({', '.join(sorted(r.value for r in who.roles))}, {who.agency}) types: {line}")
        reply = await self.runtime.say(email, line)
        self.log.bot(render_text(reply))
        self.log.count("commands")
        if not reply.ok:
            self.log.count("kind refusals")
        return reply.ok


async def prepare(out: Path) -> Demo:
    out.mkdir(parents=True, exist_ok=True)
    database = out / "aftercare-demo.db"
    for leftover in out.glob("aftercare-demo.db*"):
        leftover.unlink()
    url = f"sqlite:///{database}"
    await asyncio.to_thread(upgrade, url)
    clock = SimulatedClock(dt.datetime(2026, 1, 20, 9, 0, tzinfo=LONDON))
    runtime = assemble(url, clock=clock, reports_folder=out / "posted-reports")
    summary = await import_files(runtime, package_path(EXAMPLE_NAME), None, None, "Europe/London")
    async with runtime.unit() as deps:
        programme = (await deps.programmes.all())[0]
        people = await deps.participants.in_programme(programme.id)
    demo = Demo(runtime, clock, load_library(default_folder()), programme, people, out)
    demo.log.say("Aftercare demo: a simulated year of aftercare for a Child Safeguarding Practice Review.")
    demo.log.say(f"Everything below is fictional. Database: {database} (SQLite, console transport).")
    demo.log.say()
    demo.log.say(f"Imported {EXAMPLE_NAME}:")
    for line in summary.lines():
        demo.log.say(f"   {line}")
    return demo


async def _pictures(out: Path, files: list[str]) -> str:
    """Pictures of every report page (LibreOffice for Word, Chromium for HTML), so nothing needs opening."""
    from bot.reports.pictures import page_pictures

    documents = [out / name for name in sorted(files) if name.startswith("report-") and name.endswith(".docx")]
    pages = [out / name for name in sorted(files) if name.startswith("report-") and name.endswith(".html")]
    written, missing = await asyncio.to_thread(page_pictures, out, documents, pages)
    said = f"   pictures of the report pages in {out}/pages/: {len(written)} PNG files"
    return said + (f" (install {', '.join(missing)} for the rest)" if missing else "")


async def run_demo(out: Path, *, pictures: bool = True) -> int:
    from bot.demo_script import SCENES

    started = time.perf_counter()
    demo = await prepare(out)
    try:
        for scene in SCENES:
            await scene(demo)
        files = await write_outputs(demo.runtime, demo.programme, demo.log, out)
        files += await write_reports(demo.runtime, demo.programme, out)
    finally:
        await demo.runtime.close()
    log = demo.log
    log.say()
    log.say("━━ Summary " + "━" * 80)
    for what, number in sorted(log.counts.items()):
        log.say(f"   {what}: {number}")
    log.say(f"   files written to {out}/: {', '.join(sorted(files))}")
    if pictures:
        log.say(await _pictures(out, files))
    log.say(f"   finished in {time.perf_counter() - started:.1f} s")
    (out / "transcript.md").write_text("```text\n" + "\n".join(log.lines) + "\n```\n", encoding="utf-8")
    return 0
