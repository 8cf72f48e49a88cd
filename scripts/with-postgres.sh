#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Run CMD with DATABASE_URL pointing at a PostgreSQL server.
# - If DATABASE_URL is already set (non-empty), just exec CMD.
# - Otherwise create a throw-away cluster in a temp dir (initdb -A trust), start it on
#   a free loopback TCP port, export DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres,
#   run CMD, then stop the server and delete the cluster, exiting with CMD's status.
# Works as root (the server runs as the `postgres` OS user via runuser, since PostgreSQL
# refuses to run as root) and as an ordinary user (the server runs as that user).
set -uo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

if [ -n "${DATABASE_URL:-}" ]; then
    exec "$@"
fi

die() {
    echo "with-postgres: $*" >&2
    exit 1
}

# --- locate initdb and pg_ctl: PATH first, then /usr/lib/postgresql/*/bin, newest first.
PGBIN=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    INITDB=$(command -v initdb)
    PG_CTL=$(command -v pg_ctl)
else
    while IFS= read -r dir; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            PGBIN=$dir
            break
        fi
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
    if [ -z "$PGBIN" ]; then
        echo "PostgreSQL binaries (initdb, pg_ctl) not found: install PostgreSQL" \
            "(e.g. apt-get install postgresql) or set DATABASE_URL" >&2
        exit 1
    fi
    INITDB=$PGBIN/initdb
    PG_CTL=$PGBIN/pg_ctl
fi

# --- who runs the server
AS=()
if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 \
        || die "running as root but there is no 'postgres' OS user to run the server as"
    RUNUSER=$(command -v runuser 2>/dev/null \
        || ls /usr/sbin/runuser /sbin/runuser /usr/bin/runuser 2>/dev/null | head -n 1) \
        || true
    [ -n "$RUNUSER" ] || die "running as root but runuser (util-linux) is not available"
    AS=("$RUNUSER" -u postgres --)
    # The postgres user must be able to reach the directory: use /tmp, not root's TMPDIR.
    base=/tmp
else
    base=${TMPDIR:-/tmp}
fi

TMP=$(mktemp -d "$base/tmp-pg.XXXXXX") || die "could not create a temp dir in $base"
DATA=$TMP/data
LOG=$TMP/server.log
STARTED=0

pg() {
    # Run a PostgreSQL command as the server user, from a directory it can read.
    (cd "$TMP" && "${AS[@]}" "$@")
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ "$STARTED" -eq 1 ]; then
        pg "$PG_CTL" -D "$DATA" -m fast -w -t 60 stop >/dev/null 2>&1 \
            || pg "$PG_CTL" -D "$DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 \
            || echo "with-postgres: warning: could not stop the server in $DATA" >&2
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "${#AS[@]}" -gt 0 ]; then
    chown postgres: "$TMP" || die "could not chown $TMP to postgres"
fi
chmod 700 "$TMP"

# --- initdb (C.UTF-8 if the locale exists, else C)
LOCALE=C
if command -v locale >/dev/null 2>&1 && locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    LOCALE=C.UTF-8
fi
initdb_run() {
    pg "$INITDB" -D "$DATA" -A trust -U postgres --encoding=UTF8 --locale="$1" \
        >"$TMP/initdb.log" 2>&1
}
if ! initdb_run "$LOCALE"; then
    if [ "$LOCALE" != C ]; then
        pg rm -rf "$DATA"
        LOCALE=C
        initdb_run C || { cat "$TMP/initdb.log" >&2; die "initdb failed"; }
    else
        cat "$TMP/initdb.log" >&2
        die "initdb failed"
    fi
fi

# --- pick a free loopback port and start; retry a few times in case of a race.
port_in_use() {
    # Succeeds (port in use) if something accepts a TCP connection on it.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1
}
free_port() {
    local p
    if command -v python3 >/dev/null 2>&1 \
        && p=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null) && [ -n "$p" ]; then
        echo "$p"
        return
    fi
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 40000))
        if ! port_in_use "$p"; then
            echo "$p"
            return
        fi
    done
    return 1
}

PORT=""
for attempt in 1 2 3 4 5; do
    PORT=$(free_port) || die "could not find a free TCP port"
    if pg "$PG_CTL" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-k $TMP -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
        start >/dev/null 2>&1; then
        STARTED=1
        break
    fi
    # A failed start may leave a half-started postmaster behind; make sure it is gone.
    pg "$PG_CTL" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    echo "with-postgres: start on port $PORT failed (attempt $attempt), retrying" >&2
done
if [ "$STARTED" -ne 1 ]; then
    cat "$LOG" >&2 2>/dev/null || true
    die "could not start PostgreSQL (log above)"
fi

VERSION=$(pg "$PG_CTL" --version 2>/dev/null | sed 's/^pg_ctl (PostgreSQL) //')
echo "with-postgres: started throw-away PostgreSQL ${VERSION:-?} ($PG_CTL) on" \
    "127.0.0.1:$PORT, data in $DATA${AS:+, as user postgres}" >&2

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"

"$@"
status=$?
exit "$status"
