"""Pacing state shared by every replica (bot/shared_limits.py): one row per platform key.

``free_at`` is when the key may next be used (seconds since the epoch, by the database's clock, so that replicas on
different machines agree); ``blocked_until`` is the end of the latest Retry-After a platform gave for it. Both only
move forward. Rows of keys unused for an hour are deleted by whoever books next (one key per recipient must not
grow without end). The booking itself is the PostgreSQL function ``aftercare_rate_reserve`` (migration 0012).
"""

from __future__ import annotations

from sqlalchemy import Double, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class RateBucketRow(Base):
    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    free_at: Mapped[float] = mapped_column(Double)
    blocked_until: Mapped[float] = mapped_column(Double)
