"""Pacing state shared by every replica (bot/shared_limits.py): one row per platform key.

``free_at`` is when the key may next be booked (seconds since the epoch, by the database's clock, so that replicas
on different machines agree); ``blocked_until`` is the end of the latest Retry-After a platform gave for it;
``started_at`` is when the latest send on the key started (or will, once it has waited). They only move forward.
Rows of keys unused for an hour are deleted by whoever books next (one key per recipient must not grow without
end). Booking and starting are the PostgreSQL functions ``aftercare_rate_book`` (migration 0013) and
``aftercare_rate_start`` (migration 0012).
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Double, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class RateBucketRow(Base):
    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    free_at: Mapped[float] = mapped_column(Double)
    blocked_until: Mapped[float] = mapped_column(Double)
    started_at: Mapped[float] = mapped_column(Double)
    # The key's last sends, by ring position: when each started and was answered (NULL while in flight).
    ring_starts: Mapped[list[float] | None] = mapped_column(ARRAY(Double).with_variant(JSON(), "sqlite"))
    ring_answers: Mapped[list[float | None] | None] = mapped_column(ARRAY(Double).with_variant(JSON(), "sqlite"))
    ring_n: Mapped[int] = mapped_column(BigInteger, server_default="0")  # sends started on the key, ever
