"""pacing: a send waiting for one still in flight a window back is told when that one starts

Revision ID: 0014_in_flight
Revises: 0013_pacing
Create Date: 2026-12-07 02:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_in_flight"
down_revision: str | None = "0013_pacing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As aftercare_rate_start (0012), with one change. When the send a whole window back is still in flight, the answer
# was -1 ("ask again shortly"), and every waiting send asked again every 20 ms. But a send is often booked ahead (up
# to a second on a saturated Teams tenant), and its answer cannot come before it starts: until then every such ask
# was wasted, and with dozens of sends asking, the asks themselves (two at a time per replica) delayed the sends that
# could go, so a busy tenant stayed behind. Now the answer is minus the seconds until that send is due to start, less
# a millisecond (so always below zero), with the place (1-based) in ``keys`` of the key whose send is in flight: the
# caller sleeps that long (at least its own short poll) before asking again, and lets only one of its sends at a time
# ask about that key. Callers that only look for a wait below zero ask again after their poll, as before.
IN_FLIGHT = "RETURN QUERY SELECT -greatest(b.ring_starts[pos] - now_s, 0) - 0.001, ARRAY[i]::bigint[];"
BEFORE = "RETURN QUERY SELECT -1::double precision, ARRAY[]::bigint[];"  # 0012's answer while in flight
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
            RETURN QUERY SELECT -greatest(b.ring_starts[pos] - now_s, 0) - 0.001, ARRAY[i]::bigint[];
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


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(START)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(START.replace(IN_FLIGHT, BEFORE))
