"""pacing turns: a send whose channel (or conversation) is busy books its turn there at once, the workspace later

Revision ID: 0013_pacing
Revises: 0012_limits
Create Date: 2026-12-06 23:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_pacing"
down_revision: str | None = "0012_limits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As aftercare_rate_reserve (0012), with one change. When a narrow key (a channel or a conversation) binds, so that
# booking every key at once would leave a guarded key (the workspace or tenant, shared with other channels) idle for
# more than ``slack`` seconds, the narrow keys alone are booked at their first free time and the caller books the
# guarded keys when that turn comes (with ``earliest``, seconds from now, so not before it). Before, nothing was
# booked and the caller asked again when the channel was free: every replica holding a message for that channel asked
# at the same moment, one won, and a channel whose messages were all waiting elsewhere sat idle. Now each waiting
# message holds its own turn, so a busy channel is booked back to back across replicas. Returns the wait and the keys
# booked (none when the first free time is more than ``lookahead`` seconds away).
BOOK = """
CREATE OR REPLACE FUNCTION aftercare_rate_book(
    keys text[], spacings double precision[], tolerances double precision[], guarded boolean[],
    earliest double precision, lookahead double precision, slack double precision
) RETURNS TABLE (wait double precision, booked text[])
LANGUAGE plpgsql AS $fn$
DECLARE
    now_s double precision := extract(epoch FROM clock_timestamp());
    from_s double precision := now_s + greatest(earliest, 0);
    at_s double precision;
    narrow_s double precision;
    waste double precision;
    chosen text[];
    one text;
BEGIN
    -- Every lock in the same order (new rows' too), so that bookings never deadlock; narrow keys first, so that a
    -- workspace's or tenant's row, which every send shares, is held for the shortest time.
    FOR one IN SELECT k FROM unnest(keys) AS k ORDER BY k DESC LOOP
        INSERT INTO rate_buckets (key, free_at, blocked_until, started_at) VALUES (one, 0, 0, 0)
            ON CONFLICT (key) DO NOTHING;
        PERFORM 1 FROM rate_buckets b WHERE b.key = one FOR UPDATE;
    END LOOP;
    SELECT greatest(from_s, max(greatest(b.free_at, b.blocked_until))) INTO at_s
        FROM rate_buckets b WHERE b.key = ANY(keys);
    SELECT coalesce(max(at_s - greatest(from_s, b.free_at, b.blocked_until)), 0) INTO waste
        FROM rate_buckets b JOIN unnest(keys, guarded) AS g(key, guard) ON g.key = b.key WHERE g.guard;
    IF waste <= slack THEN
        chosen := keys;
    ELSE
        SELECT greatest(from_s, max(greatest(b.free_at, b.blocked_until))) INTO narrow_s
            FROM rate_buckets b JOIN unnest(keys, guarded) AS g(key, guard) ON g.key = b.key WHERE NOT g.guard;
        at_s := narrow_s;
        chosen := ARRAY(SELECT g.key FROM unnest(keys, guarded) AS g(key, guard) WHERE NOT g.guard);
    END IF;
    IF at_s - now_s > lookahead THEN
        RETURN QUERY SELECT at_s - now_s, ARRAY[]::text[];
        RETURN;
    END IF;
    UPDATE rate_buckets b SET free_at = greatest(b.free_at, at_s - s.tolerance) + s.spacing
        FROM unnest(keys, spacings, tolerances) AS s(key, spacing, tolerance)
        WHERE b.key = s.key AND s.key = ANY(chosen);
    RETURN QUERY SELECT at_s - now_s, chosen;
END
$fn$;
"""

# As aftercare_rate_answered (0012), but the answer is dated ``ago`` seconds before this call (measured by the
# replica just before it), not when the call runs: the call is made in the background and may queue for a
# connection, and every millisecond it waits would be added to the next send's wait on a key of one send a window.
# The replica measures ``ago`` before sending the call, so the date is never earlier than the real answer.
ANSWERED = """
CREATE OR REPLACE FUNCTION aftercare_rate_answered(keys text[], slots bigint[], ago double precision)
RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    answer_s double precision := extract(epoch FROM clock_timestamp()) - greatest(ago, 0);
BEGIN
    UPDATE rate_buckets r SET ring_answers[(s.slot % cardinality(r.ring_answers))::integer + 1] = answer_s
        FROM unnest(keys, slots) AS s(key, slot)
        WHERE r.key = s.key AND r.ring_n - s.slot <= cardinality(r.ring_answers);
END
$fn$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BOOK)
        op.execute(ANSWERED)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS aftercare_rate_answered(text[], bigint[], double precision)")
        op.execute(
            "DROP FUNCTION IF EXISTS aftercare_rate_book(text[], double precision[], double precision[], "
            "boolean[], double precision, double precision, double precision)"
        )
