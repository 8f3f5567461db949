#!/bin/sh
# PostgreSQL from Debian's packages, started the way the usual postgres image is: on an empty data folder it first
# makes a cluster whose superuser is POSTGRES_USER (password POSTGRES_PASSWORD, or POSTGRES_PASSWORD_FILE) with a
# database POSTGRES_DB; connections from other containers need that password (scram-sha-256).
set -eu
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
    POSTGRES_PASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ]; then
        echo "Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) for the first start." >&2
        exit 1
    fi
    pwfile="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
    if [ "$POSTGRES_DB" != postgres ]; then
        pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses=''" --wait start >/dev/null
        createdb --username="$POSTGRES_USER" "$POSTGRES_DB"
        pg_ctl --pgdata="$PGDATA" --mode=fast --wait stop >/dev/null
    fi
    echo "Made a new PostgreSQL cluster with the database $POSTGRES_DB."
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
