"""Rows that hold what people said, with no way back to who said it (docs/anonymity.md).

No table here has a participant id, a platform user, a message id or a precise time. Ids are random. The only
per-person value is ``contributor``: a keyed hash whose key lives partly outside the database and is destroyed
when its cycle closes; it counts distinct contributors and lets a person replace their own check-in answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base

NO_ROWID = {"sqlite_with_rowid": False}  # on SQLite, no hidden insertion order either


class ReflectionRow(Base):
    __tablename__ = "reflections"
    __table_args__ = (Index("ix_reflections_cycle", "programme_id", "cycle"), NO_ROWID)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    cycle: Mapped[str] = mapped_column(String(40))  # a check-in cycle code or an ISO week, never a time
    cohort: Mapped[str] = mapped_column(String(40))  # an agency code, or "combined" when the agency is small
    prompt_id: Mapped[str | None] = mapped_column(String(20), nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # None once the retention period has passed
    tags: Mapped[list[Any]] = mapped_column(JSON)
    in_themes: Mapped[bool] = mapped_column(Boolean, default=True)  # False for distress unless the author opts in
    contributor: Mapped[str] = mapped_column(String(64))  # keyed hash, unlinkable once the cycle key is destroyed
    stored_on: Mapped[dt.date] = mapped_column(Date)  # the Monday of the ISO week, for retention only


class IndicatorResponseRow(Base):
    __tablename__ = "indicator_responses"
    __table_args__ = (
        UniqueConstraint("programme_id", "cycle", "item", "contributor"),
        Index("ix_indicator_cycle", "programme_id", "cycle", "item"),
        NO_ROWID,
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    cycle: Mapped[str] = mapped_column(String(40))
    cohort: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(20))
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: "prefer not to say"
    contributor: Mapped[str] = mapped_column(String(64))
    stored_on: Mapped[dt.date] = mapped_column(Date)


class CycleKeyRow(Base):
    """Half of the key for contributor hashes in one cycle; deleted when the cycle closes."""

    __tablename__ = "cycle_keys"
    __table_args__ = (UniqueConstraint("programme_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    cycle: Mapped[str] = mapped_column(String(40))
    salt: Mapped[str] = mapped_column(String(64))
    created_on: Mapped[dt.date] = mapped_column(Date)


class ParticipationCountRow(Base):
    """How many took part, per cohort and cycle: counts only, never who."""

    __tablename__ = "participation_counts"
    __table_args__ = (UniqueConstraint("programme_id", "cycle", "cohort", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    cycle: Mapped[str] = mapped_column(String(40))
    cohort: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # reflection | checkin
    count: Mapped[int] = mapped_column(Integer, default=0)


class SafeguardingFlagRow(Base):
    """The one deliberate exception: a possible live concern, attributable so that someone can follow it up.

    It never holds the reflection's words: only when, which route the author chose, and the outcome.
    """

    __tablename__ = "safeguarding_flags"
    __table_args__ = (Index("ix_flags_open", "programme_id", "status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    about_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    choice: Mapped[str] = mapped_column(String(20), default="awaiting")
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | contact_notified | closed
    notified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AcknowledgementRow(Base):
    """That someone read a version of the confidentiality statement: a keyed hash of (version, person), no date.

    Without the anonymity secret nobody can tell whose row is whose; the count says how many have read it.
    """

    __tablename__ = "acknowledgements"
    __table_args__ = (NO_ROWID,)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    statement_hash: Mapped[str] = mapped_column(String(64))


class IndicatorTotalRow(Base):
    """Check-in answers after ``pulse_raw_days``: how many people gave each score, per cycle, cohort and item.

    The raw rows (one per person and item, grouped by a contributor hash) are folded in here and deleted, so no
    set of one person's answers is kept beyond the retention period.
    """

    __tablename__ = "indicator_totals"
    __table_args__ = (UniqueConstraint("programme_id", "cycle", "cohort", "item", "score"), NO_ROWID)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    cycle: Mapped[str] = mapped_column(String(40))
    cohort: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(20))
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    people: Mapped[int] = mapped_column(Integer, default=0)
