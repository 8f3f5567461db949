"""Rows the reports keep between runs: the disclosure ledger and a snapshot of each report run.

The ledger (``handlers.thresholds.DisclosureLedger`` as JSON) records every figure about people already published,
so that a later report cannot be subtracted from an earlier one. A run's snapshot lets the next assurance report
say what changed. Neither holds anything a person wrote or who took part.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class ReportLedgerRow(Base):
    __tablename__ = "report_ledgers"

    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True)
    ledger: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReportRunRow(Base):
    __tablename__ = "report_runs"
    __table_args__ = (Index("ix_report_runs_kind", "programme_id", "kind", "run_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    run_on: Mapped[dt.date] = mapped_column(Date)
    run_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    figures: Mapped[int] = mapped_column(Integer, default=0)  # figures about people published by this run
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)  # assurance: the action plan as this run saw it
