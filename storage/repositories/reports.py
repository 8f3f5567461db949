"""What the reports read: the action plan, head counts, indicator answers and reflections, with aggregate SQL.

Indicator answers and taking part are counted in the database (GROUP BY); only reflections are read row by row,
because themes need each one's tags and words. Nothing here reads who wrote what: there is no such column.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.model import Action
from handlers.reports.facts import Participation, ReflectionRows, ScoreCount, StatusChange
from storage.anonymous_models import IndicatorResponseRow, IndicatorTotalRow, ParticipationCountRow, ReflectionRow
from storage.models import ActionRow, ActionUpdateRow, ParticipantRow
from storage.repositories.convert import aware, to_action

logger = logging.getLogger(__name__)

STREAM = 5000


class SqlReportData:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def people(self, programme_id: int) -> int:
        query = select(func.count()).select_from(ParticipantRow).where(ParticipantRow.programme_id == programme_id)
        return int((await self.session.execute(query)).scalar_one())

    async def actions(self, programme_id: int) -> list[Action]:
        query = select(ActionRow).where(ActionRow.programme_id == programme_id).order_by(ActionRow.code)
        return [to_action(row) for row in (await self.session.execute(query)).scalars()]

    async def status_changes(self, programme_id: int, since: dt.datetime) -> list[StatusChange]:
        """Status changes recorded since ``since`` (codes, old and new status, the date; never who)."""
        query = (
            select(ActionRow.code, ActionUpdateRow.old, ActionUpdateRow.new, ActionUpdateRow.at)
            .join(ActionRow, ActionRow.id == ActionUpdateRow.action_id)
            .where(
                ActionRow.programme_id == programme_id, ActionUpdateRow.kind == "status", ActionUpdateRow.at >= since
            )
            .order_by(ActionUpdateRow.at)
        )
        rows = (await self.session.execute(query)).all()
        return [StatusChange(code=c, old=o, new=n, on=(aware(at) or since).date()) for c, o, n, at in rows]

    async def score_counts(self, programme_id: int) -> list[ScoreCount]:
        """How many people gave each score: raw answers still within ``pulse_raw_days``, plus the folded totals."""
        r = IndicatorResponseRow
        query = (
            select(r.item, r.cycle, r.cohort, r.score, func.count())
            .where(r.programme_id == programme_id, r.score.is_not(None))
            .group_by(r.item, r.cycle, r.cohort, r.score)
        )
        found: dict[tuple[str, str, str, int], int] = {}
        for item, cycle, cohort, score, n in (await self.session.execute(query)).all():
            found[(item, cycle, cohort, int(score or 0))] = int(n)
        t = IndicatorTotalRow
        totals = select(t.item, t.cycle, t.cohort, t.score, t.people).where(
            t.programme_id == programme_id, t.score.is_not(None)
        )
        for item, cycle, cohort, score, n in (await self.session.execute(totals)).all():
            key = (item, cycle, cohort, int(score or 0))
            found[key] = found.get(key, 0) + int(n)
        return [ScoreCount(item, cycle, cohort, score, n) for (item, cycle, cohort, score), n in found.items()]

    async def participation(self, programme_id: int) -> list[Participation]:
        r = ParticipationCountRow
        query = select(r.kind, r.cycle, r.cohort, r.count).where(r.programme_id == programme_id)
        return [Participation(*row) for row in (await self.session.execute(query)).all()]

    async def reflections(self, programme_id: int, *, texts: int | None = None) -> ReflectionRows:
        """Reflections that may feed themes, in a fixed order (their random ids) so clustering is repeatable.

        With ``texts``, only the first that many keep their words (a repeatable random sample, as ids are random);
        every reflection keeps its cycle, cohort, contributor hash and tags.
        """
        r = ReflectionRow
        tags_text = type_coerce(r.tags, String)  # parsed below, once per distinct set of tags
        columns = [r.cycle, r.cohort, r.contributor, tags_text, r.text]
        query = (
            select(*columns)
            .where(r.programme_id == programme_id, r.in_themes.is_(True))
            .order_by(r.id)
            .execution_options(yield_per=STREAM)
        )
        found = ReflectionRows()
        seen_tags: dict[str, tuple[str, ...]] = {}
        connection = await self.session.connection()
        result = await connection.stream(query)
        async for partition in result.partitions(STREAM):
            for row in partition:
                cycle, cohort, contributor, tags, text = (str(row[0]), str(row[1]), str(row[2]), row[3], row[4])
                found.cycles.append(sys.intern(cycle))
                found.cohorts.append(sys.intern(cohort))
                found.contributors.append(contributor)
                key = tags if isinstance(tags, str) else json.dumps(tags)
                if key not in seen_tags:
                    seen_tags[key] = tuple(json.loads(key) or ())
                found.tags.append(seen_tags[key])
                found.texts.append(text if texts is None or len(found.texts) < texts else None)
        logger.debug("Read %d reflections for themes", len(found))
        return found
