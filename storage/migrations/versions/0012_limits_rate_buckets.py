"""limits: pacing state shared by every replica (rate_buckets, and its booking function on PostgreSQL)

Revision ID: 0012_limits
Revises: 0006
Create Date: 2026-12-06 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_limits"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One round trip per booking, with the rows locked for microseconds. The keys are locked in key order, so two
# bookings that share keys never deadlock. A booking takes the first time every key is free (``at``), if that is
# within ``lookahead`` seconds and no guarded key (a workspace or tenant, shared with other channels) would sit idle
# for more than ``slack`` seconds waiting for a busier narrow key; then every key's next free time becomes ``at``
# plus its spacing. Otherwise nothing is booked and the caller learns how long to wait and which keys bind. A caller
# up to ``tolerances`` late (a busy event loop) keeps the key's schedule: the next time is counted from when the key
# was free, not from the late send, so lateness is not carried forward (the tolerance is half the pacing margin, so
# two sends are never closer than the platform's own spacing).
RESERVE = """
CREATE OR REPLACE FUNCTION aftercare_rate_reserve(
    keys text[], spacings double precision[], tolerances double precision[], guarded boolean[],
    lookahead double precision, slack double precision
) RETURNS TABLE (booked boolean, wait double precision, binding text[])
LANGUAGE plpgsql AS $fn$
DECLARE
    now_s double precision := extract(epoch FROM clock_timestamp());
    at_s double precision;
    waste double precision;
    one text;
BEGIN
    FOR one IN SELECT k FROM unnest(keys) AS k ORDER BY k LOOP  -- every lock in key order, new rows' too
        INSERT INTO rate_buckets (key, free_at, blocked_until) VALUES (one, 0, 0) ON CONFLICT (key) DO NOTHING;
        PERFORM 1 FROM rate_buckets b WHERE b.key = one FOR UPDATE;
    END LOOP;
    SELECT greatest(now_s, max(greatest(b.free_at, b.blocked_until))) INTO at_s
        FROM rate_buckets b WHERE b.key = ANY(keys);
    SELECT coalesce(max(at_s - greatest(now_s, b.free_at, b.blocked_until)), 0) INTO waste
        FROM rate_buckets b JOIN unnest(keys, guarded) AS g(key, guard) ON g.key = b.key WHERE g.guard;
    IF at_s - now_s <= lookahead AND waste <= slack THEN
        UPDATE rate_buckets b SET free_at = greatest(b.free_at, at_s - s.tolerance) + s.spacing
            FROM unnest(keys, spacings, tolerances) AS s(key, spacing, tolerance) WHERE b.key = s.key;
        RETURN QUERY SELECT true, at_s - now_s, ARRAY[]::text[];
    ELSE
        RETURN QUERY SELECT false, at_s - now_s, ARRAY(
            SELECT b.key::text FROM rate_buckets b
            WHERE b.key = ANY(keys) AND greatest(b.free_at, b.blocked_until) >= at_s - slack);
    END IF;
END
$fn$;
"""


def upgrade() -> None:
    op.create_table(
        "rate_buckets",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("free_at", sa.Double(), nullable=False),
        sa.Column("blocked_until", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(RESERVE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS aftercare_rate_reserve(text[], double precision[], double precision[], "
            "boolean[], double precision, double precision)"
        )
    op.drop_table("rate_buckets")
