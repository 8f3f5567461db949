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

# One round trip per booking, with the rows locked for microseconds. The keys are always locked in the same order,
# so two bookings that share keys never deadlock. A booking takes the first time every key is free (``at``), if that is
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
    -- Every lock in the same order (new rows' too), so that bookings never deadlock; narrow keys first, so that a
    -- workspace's or tenant's row, which every send shares, is held for the shortest time.
    FOR one IN SELECT k FROM unnest(keys) AS k ORDER BY k DESC LOOP
        INSERT INTO rate_buckets (key, free_at, blocked_until, started_at) VALUES (one, 0, 0, 0)
            ON CONFLICT (key) DO NOTHING;
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

# Just before a send starts, on every replica. A key's last ``windows`` sends are kept in a ring (when each started,
# and when the platform answered it; NULL while in flight). The send may start once (1) the key's previous send
# started at least the platform's spacing ago, (2) no Retry-After holds the key, and (3) the send ``windows`` places
# back was answered at least ``periods`` seconds ago: the platform saw it by its answer at the latest, so however
# late the messages travelled, no window of that length ever holds more than ``windows`` sends. A send still in
# flight there (for less than ``timeout`` seconds) means "ask again shortly" (wait -1). Otherwise the start is
# recorded (perhaps ahead) and the answer is how long to wait for it, with each key's ring position for
# ``aftercare_rate_answered``.
START = """
CREATE OR REPLACE FUNCTION aftercare_rate_start(
    keys text[], spacings double precision[], windows integer[], periods double precision[],
    timeout double precision
) RETURNS TABLE (wait double precision, slots bigint[])
LANGUAGE plpgsql AS $fn$
DECLARE
    now_s double precision := extract(epoch FROM clock_timestamp());
    start_s double precision := now_s;
    b record;
    i integer;
    pos integer;
    seen double precision;
BEGIN
    FOR i IN SELECT g.i FROM generate_subscripts(keys, 1) AS g(i) ORDER BY keys[g.i] DESC LOOP
        SELECT * INTO b FROM rate_buckets r WHERE r.key = keys[i] FOR UPDATE;
        IF b.ring_starts IS NULL OR cardinality(b.ring_starts) <> windows[i] THEN
            UPDATE rate_buckets r SET ring_starts = array_fill(0::double precision, ARRAY[windows[i]]),
                ring_answers = array_fill(0::double precision, ARRAY[windows[i]]), ring_n = 0
                WHERE r.key = keys[i] RETURNING * INTO b;
        END IF;
        pos := (b.ring_n % windows[i])::integer + 1;
        seen := coalesce(b.ring_answers[pos], b.ring_starts[pos] + timeout);
        IF seen > now_s THEN
            RETURN QUERY SELECT -1::double precision, ARRAY[]::bigint[];
            RETURN;
        END IF;
        start_s := greatest(start_s, b.started_at + spacings[i], b.blocked_until, seen + periods[i]);
    END LOOP;
    UPDATE rate_buckets r SET started_at = greatest(r.started_at, start_s),
        ring_starts[(r.ring_n % s.w)::integer + 1] = start_s,
        ring_answers[(r.ring_n % s.w)::integer + 1] = NULL,
        ring_n = r.ring_n + 1
        FROM unnest(keys, windows) AS s(key, w) WHERE r.key = s.key;
    RETURN QUERY SELECT start_s - now_s,
        ARRAY(SELECT r.ring_n - 1 FROM unnest(keys) WITH ORDINALITY AS k(key, o)
              JOIN rate_buckets r ON r.key = k.key ORDER BY k.o);
END
$fn$;
"""

# After the platform answered: the answer's time in each key's ring, unless the ring has already moved past it.
ANSWERED = """
CREATE OR REPLACE FUNCTION aftercare_rate_answered(keys text[], slots bigint[]) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    now_s double precision := extract(epoch FROM clock_timestamp());
BEGIN
    UPDATE rate_buckets r SET ring_answers[(s.slot % cardinality(r.ring_answers))::integer + 1] = now_s
        FROM unnest(keys, slots) AS s(key, slot)
        WHERE r.key = s.key AND r.ring_n - s.slot <= cardinality(r.ring_answers);
END
$fn$;
"""


def upgrade() -> None:
    op.create_table(
        "rate_buckets",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("free_at", sa.Double(), nullable=False),
        sa.Column("blocked_until", sa.Double(), nullable=False),
        sa.Column("started_at", sa.Double(), nullable=False),
        sa.Column("ring_starts", sa.ARRAY(sa.Double()).with_variant(sa.JSON(), "sqlite"), nullable=True),
        sa.Column("ring_answers", sa.ARRAY(sa.Double()).with_variant(sa.JSON(), "sqlite"), nullable=True),
        sa.Column("ring_n", sa.BigInteger(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("key"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(RESERVE)
        op.execute(START)
        op.execute(ANSWERED)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS aftercare_rate_answered(text[], bigint[])")
        op.execute(
            "DROP FUNCTION IF EXISTS aftercare_rate_start(text[], double precision[], integer[], "
            "double precision[], double precision)"
        )
        op.execute(
            "DROP FUNCTION IF EXISTS aftercare_rate_reserve(text[], double precision[], double precision[], "
            "boolean[], double precision, double precision)"
        )
    op.drop_table("rate_buckets")
