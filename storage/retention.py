"""Retention: what the leader's daily job (and ``aftercare purge``) removes or folds away (docs/anonymity.md).

Every field of ``governance.retention`` in the programme file takes effect here: reflection text goes after
``raw_reflection_days``; raw check-in answers of a closed cycle are folded into totals after ``pulse_raw_days``;
safeguarding flags past the retention period keep only an audit stub (or are deleted, ``quarantined_flag: delete``).
Erasure of one person lives in ``storage.erasure``; the random-order rewrite in ``storage.rewrite``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from handlers.cycles import cycle_code
from handlers.model import Programme
from handlers.onboarding import statement_hash
from storage.anonymous_models import (
    AcknowledgementRow,
    CycleKeyRow,
    IndicatorResponseRow,
    IndicatorTotalRow,
    ReflectionRow,
    SafeguardingFlagRow,
)
from storage.db import sessionmaker
from storage.erasure import ERASED, ERASED_NAME, erase_participant
from storage.models import ProgrammeRow
from storage.repositories.anonymous import random_id
from storage.repositories.convert import to_programme
from storage.rewrite import compact, rewrite_in_random_order
from storage.schema import metadata

__all__ = ["ERASED", "ERASED_NAME", "PurgeSummary", "daily_anonymity_job", "erase_participant", "purge"]


@dataclass
class PurgeSummary:
    texts_deleted: int = 0
    keys_destroyed: int = 0
    flags_unlinked: int = 0
    answers_folded: int = 0
    rows_rewritten: int = 0


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def purge(session: AsyncSession, today: dt.date) -> PurgeSummary:
    """Apply every programme's retention settings as of ``today``."""
    summary = PurgeSummary()
    statements: set[str] = set()
    for row in (await session.execute(select(ProgrammeRow))).scalars():
        programme = to_programme(row)
        statements.add(statement_hash(programme))
        await _purge_programme(session, programme, today, summary)
    stale = delete(AcknowledgementRow).where(AcknowledgementRow.statement_hash.not_in(statements or {""}))
    await session.execute(stale)  # a changed statement is asked for again anyway
    return summary


async def _purge_programme(session: AsyncSession, programme: Programme, today: dt.date, summary: PurgeSummary) -> None:
    governance = programme.governance
    cutoff = today - dt.timedelta(days=governance.retention_days)
    texts = await session.execute(
        update(ReflectionRow)
        .where(
            ReflectionRow.programme_id == programme.id,
            ReflectionRow.stored_on < cutoff,
            ReflectionRow.text.is_not(None),
        )
        .values(text=None)
    )
    summary.texts_deleted += _count(texts)
    current = cycle_code(programme, today)
    summary.answers_folded += await fold_answers(
        session, programme.id, current, today - dt.timedelta(days=governance.pulse_raw_days)
    )
    keys = await session.execute(
        delete(CycleKeyRow).where(CycleKeyRow.programme_id == programme.id, CycleKeyRow.cycle != current)
    )
    summary.keys_destroyed += _count(keys)
    old = dt.datetime.combine(cutoff, dt.time(), tzinfo=dt.UTC)
    flags = SafeguardingFlagRow
    if governance.delete_old_flags:
        gone = await session.execute(delete(flags).where(flags.programme_id == programme.id, flags.raised_at < old))
        summary.flags_unlinked += _count(gone)
        return
    unlinked = await session.execute(
        update(flags)
        .where(flags.programme_id == programme.id, flags.raised_at < old, flags.participant_id.is_not(None))
        .values(participant_id=None)
    )
    summary.flags_unlinked += _count(unlinked)


async def fold_answers(session: AsyncSession, programme_id: int, open_cycle: str, before: dt.date) -> int:
    """Fold raw check-in answers stored before ``before`` into totals and delete them, for closed cycles only.

    While a cycle is open a person may replace their answers, which needs their raw rows; once it has closed
    nobody can, so its rows older than ``pulse_raw_days`` become counts per score and nothing more.
    """
    r = IndicatorResponseRow
    where = (r.programme_id == programme_id, r.cycle != open_cycle, r.stored_on < before)
    grouped = (
        select(r.cycle, r.cohort, r.item, r.score, func.count())
        .where(*where)
        .group_by(r.cycle, r.cohort, r.item, r.score)
    )
    folded = 0
    for cycle, cohort, item, score, n in (await session.execute(grouped)).all():
        t = IndicatorTotalRow
        found = select(t).where(t.programme_id == programme_id, t.cycle == cycle, t.cohort == cohort, t.item == item,
                                t.score.is_(None) if score is None else t.score == score)  # fmt: skip
        total = (await session.execute(found)).scalar_one_or_none()
        if total is None:
            session.add(IndicatorTotalRow(id=random_id(), programme_id=programme_id, cycle=cycle, cohort=cohort,
                                          item=item, score=score, people=int(n)))  # fmt: skip
        else:
            total.people += int(n)
        folded += int(n)
    await session.flush()
    await session.execute(delete(r).where(*where))
    return folded


async def daily_anonymity_job(engine: AsyncEngine, today: dt.date) -> PurgeSummary:
    """Everything the leader does once a day for anonymity and retention; ``aftercare purge`` runs the same."""
    async with sessionmaker(engine)() as session, session.begin():
        summary = await purge(session, today)
        summary.rows_rewritten = await rewrite_in_random_order(session)
    await compact(engine)
    return summary


async def erase_then_compact(engine: AsyncEngine, email: str, secret: bytes | None) -> int:
    """Erase one person, then compact every table so no old copy of their rows stays in the files."""
    async with sessionmaker(engine)() as session, session.begin():
        erased = await erase_participant(session, email, secret)
    await compact(engine, tuple(metadata.tables))
    return erased
