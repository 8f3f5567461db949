"""Rows for scheduling and delivery: schedules, the outbox, broadcasts and their acknowledgements, peer pairs.

The outbox (``deliveries``) holds one row per message per recipient, keyed by a unique idempotency key, so that a
second firing of the same occurrence inserts nothing. Identical rendered messages share one ``delivery_payloads``
row (content-addressed by hash), so a broadcast to 10,000 people stores its text once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class ScheduleRow(Base):
    """One of a programme's schedules; the truth the scheduler reads (APScheduler only decides when to fire)."""

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole ScheduleSpec, as JSON
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    fired_through: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeliveryPayloadRow(Base):
    """A rendered message (a handlers Reply as JSON), stored once however many people receive it."""

    __tablename__ = "delivery_payloads"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class BroadcastRow(Base):
    __tablename__ = "broadcasts"
    __table_args__ = (Index("ix_broadcasts_programme", "programme_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), nullable=True)
    created_by_name: Mapped[str] = mapped_column(String(200))
    audience: Mapped[list[Any]] = mapped_column(JSON)
    prompt_id: Mapped[str] = mapped_column(String(20), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    send_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(12))  # draft | queued | cancelled
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class BroadcastAckRow(Base):
    __tablename__ = "broadcast_acks"
    __table_args__ = (UniqueConstraint("broadcast_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeliveryRow(Base):
    """The outbox: one message to one recipient (a person, or a Slack channel)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("key", name="uq_deliveries_key"),
        Index("ix_deliveries_due", "status", "not_before"),
        Index("ix_deliveries_broadcast", "broadcast_id", "status"),
        Index("ix_deliveries_schedule", "schedule_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), nullable=True)
    platform: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"), nullable=True)
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"), nullable=True)
    payload_hash: Mapped[str] = mapped_column(ForeignKey("delivery_payloads.hash"))
    respect_window: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(12))  # pending | sending | sent | failed | dead | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False)  # reclaimed from a worker that vanished mid-send
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PromptHistoryRow(Base):
    """Which prompts a person has been sent, so that a rotation never repeats one (not whether they answered)."""

    __tablename__ = "prompt_history"
    __table_args__ = (UniqueConstraint("participant_id", "prompt_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    prompt_id: Mapped[str] = mapped_column(String(20))
    sent_on: Mapped[dt.date] = mapped_column(Date)


class PeerPairRow(Base):
    """One person's place in one peer-learning round. Read only for the people in the same group."""

    __tablename__ = "peer_pairs"
    __table_args__ = (
        UniqueConstraint("programme_id", "round", "participant_id"),
        Index("ix_peer_pairs_person", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    round: Mapped[str] = mapped_column(String(40))
    group_no: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))


class SchedulerLeaderRow(Base):
    """Who holds the scheduler (the PostgreSQL advisory lock is the truth; this row is for people to read)."""

    __tablename__ = "scheduler_leader"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    since: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
