#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL 15 server on 127.0.0.1:55432, installing the
# server with apt-get when it is missing. Usage: scripts/with-postgres.sh make test
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
PORT=${TIDTAM_PG_PORT:-55432}
if [ ! -x "$PGBIN/initdb" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q postgresql-15 >/dev/null
fi
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
WORK=$(mktemp -d /tmp/tidtam-pg.XXXXXX)
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
as_pg "$PGBIN/initdb" -D "$WORK/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
# fsync off: a test server's data is thrown away, durability buys nothing here.
# TIDTAM_PG_OPTIONS: more server settings (-c name=value ...), e.g. the benchmark's memory.
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/log" -w \
    -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off ${TIDTAM_PG_OPTIONS:-}" start >/dev/null
trap 'as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null; rm -rf "$WORK"' EXIT
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/tidtam"
"$@"
