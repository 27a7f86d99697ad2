#!/usr/bin/env bash
# Start (or stop) a throw-away local PostgreSQL for tests/test_postgres.py and print its URL.
#
#   export BUDGET_TEST_PG_URL=$(scripts/start_test_postgres.sh)
#   python -m pytest tests/test_postgres.py -q
#   scripts/start_test_postgres.sh stop
#
# Needs PostgreSQL's server binaries (initdb, pg_ctl): on PATH, in /usr/local/bin, or in
# /usr/lib/postgresql/<version>/bin. Listens on 127.0.0.1 only, trust authentication, data in
# $PGTEST_DIR (default /tmp/budget-pgtest). PostgreSQL refuses to run as root, so as root the
# server runs as the system user $PGTEST_USER (created when missing).
set -euo pipefail

PGTEST_DIR=${PGTEST_DIR:-/tmp/budget-pgtest}
PGTEST_PORT=${PGTEST_PORT:-55432}
PGTEST_USER=${PGTEST_USER:-pgtest}

find_bin() {
    local name=$1 candidate
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    for candidate in /usr/local/bin/"$name" /usr/lib/postgresql/*/bin/"$name"; do
        [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
    echo "start_test_postgres: $name not found (install PostgreSQL's server package)" >&2
    exit 1
}

INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PGTEST_USER" -- "$@"
    else
        "$@"
    fi
}

if [ "$(id -u)" = 0 ] && ! id "$PGTEST_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PGTEST_USER"
fi

if [ "${1:-start}" = stop ]; then
    [ -d "$PGTEST_DIR/data" ] && as_owner "$PG_CTL" -D "$PGTEST_DIR/data" stop -m fast >/dev/null
    exit 0
fi

mkdir -p "$PGTEST_DIR"
[ "$(id -u)" = 0 ] && chown "$PGTEST_USER" "$PGTEST_DIR"
if [ ! -f "$PGTEST_DIR/data/PG_VERSION" ]; then
    as_owner "$INITDB" -D "$PGTEST_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PGTEST_DIR/initdb.log"
fi
if ! as_owner "$PG_CTL" -D "$PGTEST_DIR/data" status >/dev/null 2>&1; then
    as_owner "$PG_CTL" -D "$PGTEST_DIR/data" -l "$PGTEST_DIR/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $PGTEST_PORT -k $PGTEST_DIR -c fsync=off" >/dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PGTEST_PORT/postgres"
