"""From the database to report models: read the facts, group reflections, build, and keep the ledger.

One call builds any set of reports in one transaction: the disclosure ledger is read (and, on PostgreSQL, locked)
first, every table goes through it, and the new ledger and a record of each run are stored before the
transaction commits. Rendering happens afterwards (bot/reports/render.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.reports.clustering import cluster
from bot.reports.phrases import describe_groups
from bot.runtime import Runtime
from handlers.library import Library
from handlers.model import Programme
from handlers.reports import KINDS
from handlers.reports.assurance import build_assurance
from handlers.reports.brief import build_brief
from handlers.reports.delivery import build_delivery
from handlers.reports.disclosure import Disclosure
from handlers.reports.facts import Context
from handlers.reports.indicators import IndicatorResult, build_indicators
from handlers.reports.model import Report
from handlers.reports.priorities import build_priorities
from handlers.reports.theme_facts import tag_candidates, wording_candidates
from handlers.reports.themes import ThemesResult, build_themes
from storage.repositories import SqlProgrammeRepository
from storage.repositories.report_delivery import SqlDeliveryFacts
from storage.repositories.report_state import SqlReportState
from storage.repositories.reports import SqlReportData

logger = logging.getLogger(__name__)

WORDING_SAMPLE = 25_000
"""Groups of wording are found among at most this many reflections (the first by random id, so a repeatable
random sample); tag themes count every reflection. Counts of people in a wording group are "at least" figures."""


def local_today(programme: Programme, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(programme.timezone)).date()


class Builder:
    """Builds the reports asked for, each shared piece (indicators, themes, the action plan) only once."""

    def __init__(self, session: AsyncSession, programme: Programme, library: Library, now: dt.datetime) -> None:
        self.session = session
        self.programme = programme
        self.library = library
        self.now = now
        self.data = SqlReportData(session)
        self.state = SqlReportState(session)
        self._indicators: IndicatorResult | None = None
        self._themes: ThemesResult | None = None

    async def start(self) -> None:
        programme = self.programme
        repo = SqlProgrammeRepository(self.session)
        self.ledger_before = await self.state.ledger(programme.id, programme.governance.k)
        self.disclosure = Disclosure(programme.id, self.ledger_before)
        self.recommendations = await repo.recommendations(programme.id)
        self.actions = await self.data.actions(programme.id)
        self.ctx = Context(
            programme=programme,
            today=local_today(programme, self.now),
            agencies=tuple(await repo.agencies(programme.id)),
            tags=tuple(self.library.tags),
            people=await self.data.people(programme.id),
            teams=tuple(await repo.teams(programme.id)),
            prompts=tuple((p.id, p.text) for p in self.library.prompts),
        )

    async def indicators(self) -> IndicatorResult:
        if self._indicators is None:
            items = self.library.indicators.items if self.library.indicators else []
            scores = await self.data.score_counts(self.programme.id)
            taking_part = await self.data.participation(self.programme.id)
            self._indicators = build_indicators(self.ctx, items, scores, taking_part, self.disclosure)
        return self._indicators

    async def themes(self) -> ThemesResult:
        if self._themes is None:
            indicators = await self.indicators()
            rows = await self.data.reflections(self.programme.id, texts=WORDING_SAMPLE)
            labels, terms = await asyncio.to_thread(cluster, rows)
            k = max(self.programme.governance.k, self.programme.governance.theme_min_contributors)
            phrases = await asyncio.to_thread(describe_groups, rows, labels, terms, k)
            candidates = [*tag_candidates(rows), *wording_candidates(rows, labels, terms, phrases)]
            del rows
            self._themes = build_themes(self.ctx, candidates, self.disclosure, indicators)
        return self._themes

    async def build(self, kind: str) -> Report:
        if kind == "assurance":
            since = self.now - dt.timedelta(days=self.programme.governance.drift_days)
            previous = await self.state.last_snapshot(self.programme.id, "assurance", self.ctx.today)
            changes = await self.data.status_changes(self.programme.id, since)
            report, snapshot = build_assurance(self.ctx, self.actions, self.recommendations, previous, changes)
            await self.state.record_run(self.programme.id, kind, self.ctx.today, self.now, 0, snapshot)
            return self.stamp(report)
        if kind == "indicators":
            report = (await self.indicators()).report
        elif kind == "themes":
            report = (await self.themes()).report
        elif kind == "priorities":
            report = build_priorities(self.ctx, self.recommendations, self.actions)
        elif kind == "delivery":
            facts = SqlDeliveryFacts(self.session)
            lines, notices = await facts.lines(self.programme.id), await facts.notices(self.programme.id)
            report = build_delivery(self.ctx, lines, notices)
        elif kind == "brief":
            themes, indicators = await self.themes(), await self.indicators()
            report = build_brief(self.ctx, self.actions, self.recommendations, themes, indicators)
        else:
            raise ValueError(f"Reports are: {', '.join(KINDS)}.")
        figures = sum(1 for table in report.tables() for row in table.rows for c in row if c.n is not None)
        await self.state.record_run(self.programme.id, kind, self.ctx.today, self.now, figures)
        return self.stamp(report)

    def stamp(self, report: Report) -> Report:
        """Who the document is from, and the protective marking for its every page."""
        marking = self.programme.governance.protective_marking
        return report.model_copy(update={"partnership": self.programme.partnership, "marking": marking})

    async def finish(self) -> None:
        if self.disclosure.ledger != self.ledger_before:
            await self.state.save_ledger(self.programme.id, self.disclosure.ledger, self.now)


async def build_reports(
    session: AsyncSession, programme: Programme, library: Library, now: dt.datetime, kinds: Sequence[str]
) -> dict[str, Report]:
    builder = Builder(session, programme, library, now)
    await builder.start()
    reports = {kind: await builder.build(kind) for kind in kinds}
    await builder.finish()
    return reports


async def produce(runtime: Runtime, programme: Programme, kinds: Sequence[str] = KINDS) -> dict[str, Report]:
    """Build reports in their own transaction on this runtime's database."""
    async with runtime.sessions() as session, session.begin():
        return await build_reports(session, programme, runtime.library, runtime.clock.now(), kinds)
