"""The disclosure ledger and report runs, kept between report runs (storage/report_models.py)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.reports.facts import ActionState, Snapshot
from handlers.thresholds import DisclosureLedger
from storage.report_models import ReportLedgerRow, ReportRunRow

logger = logging.getLogger(__name__)


def snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "taken_on": snapshot.taken_on.isoformat(),
        "actions": {code: [s.status, s.overdue, s.due] for code, s in snapshot.actions.items()},
    }


def snapshot_from(body: dict[str, Any]) -> Snapshot | None:
    if not body.get("actions") and not body.get("taken_on"):
        return None
    actions = {code: ActionState(status=v[0], overdue=bool(v[1]), due=v[2]) for code, v in body["actions"].items()}
    return Snapshot(taken_on=dt.date.fromisoformat(body["taken_on"]), actions=actions)


class SqlReportState:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ledger(self, programme_id: int, k: int) -> DisclosureLedger:
        """The programme's ledger, locked until the transaction ends (on PostgreSQL) so runs cannot lose figures."""
        query = select(ReportLedgerRow).where(ReportLedgerRow.programme_id == programme_id).with_for_update()
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            return DisclosureLedger(k=k)
        return DisclosureLedger.model_validate(row.ledger)

    async def save_ledger(self, programme_id: int, ledger: DisclosureLedger, now: dt.datetime) -> None:
        row = await self.session.get(ReportLedgerRow, programme_id)
        body = ledger.model_dump(mode="json")
        if row is None:
            self.session.add(ReportLedgerRow(programme_id=programme_id, ledger=body, updated_at=now))
        else:
            row.ledger, row.updated_at = body, now
        await self.session.flush()

    async def last_snapshot(self, programme_id: int, kind: str, before: dt.date) -> Snapshot | None:
        """The snapshot of the latest run of ``kind`` on an earlier day (runs on the same day share a baseline)."""
        query = (
            select(ReportRunRow.snapshot)
            .where(ReportRunRow.programme_id == programme_id, ReportRunRow.kind == kind, ReportRunRow.run_on < before)
            .order_by(ReportRunRow.run_on.desc(), ReportRunRow.id.desc())
            .limit(1)
        )
        body = (await self.session.execute(query)).scalar_one_or_none()
        return snapshot_from(body) if body else None

    async def record_run(
        self,
        programme_id: int,
        kind: str,
        today: dt.date,
        now: dt.datetime,
        figures: int,
        snapshot: Snapshot | None = None,
    ) -> None:
        body = snapshot_json(snapshot) if snapshot is not None else {}
        self.session.add(
            ReportRunRow(programme_id=programme_id, kind=kind, run_on=today, run_at=now, figures=figures, snapshot=body)
        )
        await self.session.flush()
        logger.debug("Recorded a %s report run for programme %d", kind, programme_id)
