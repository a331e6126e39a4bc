#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL, and dossier reading from it while the primary
# takes writes.
#
#   deploy/postgres/replica.sh [--dir DIR] [--port PORT] [--no-demo]
#   deploy/postgres/replica.sh --teardown [--dir DIR] [--port PORT]
#
# Sets up a second cluster (default port 5433, directory /tmp/dossier-replica) with
# `pg_basebackup -R` from the primary at 127.0.0.1:5432 (trust auth, user postgres), starts it
# as a hot standby, then shows `dossier verify`, `report` and `replay` on the replica while
# `dossier store soak` appends on the primary. Reads of personal data are recorded in the access
# log of the primary (DOSSIER_ACCESS_LOG_STORE): the replica is read-only.
#
# Run as root (the cluster runs as the postgres user). Needs PostgreSQL's binaries (default
# /usr/lib/postgresql/15/bin) and a dossier binary ($DOSSIER, or `dossier` on the PATH).
# The primary needs wal_level=replica (the default) and max_wal_senders > 0 (default 10); the
# script adds a `host replication all 127.0.0.1/32 trust` line to its pg_hba.conf when no rule
# allows local replication connections, and reloads it.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
DATABASE=${DATABASE:-test}
DIR=/tmp/dossier-replica
PORT=5433
TEARDOWN=0
DEMO=1
DOSSIER=${DOSSIER:-dossier}
# The demo's own schema on the primary (and so on the replica).
SCHEMA=${SCHEMA:-dossier_replica_demo}

while [ $# -gt 0 ]; do
    case "$1" in
        --dir) DIR=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --teardown) TEARDOWN=1; shift ;;
        --no-demo) DEMO=0; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "replica.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

as_postgres() { runuser -u postgres -- "$@"; }
primary_sql() { PGOPTIONS="-c client_min_messages=warning" psql -X -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d "$DATABASE" -c "$1"; }
replica_sql() { psql -X -At -h 127.0.0.1 -p "$PORT" -U postgres -d "$DATABASE" -c "$1"; }
say() { printf '\n== %s\n' "$*"; }

PRIMARY_URL="postgres://postgres@$PRIMARY_HOST:$PRIMARY_PORT/$DATABASE?schema=$SCHEMA"
REPLICA_URL="postgres://postgres@127.0.0.1:$PORT/$DATABASE?schema=$SCHEMA"

if [ "$TEARDOWN" = 1 ]; then
    say "teardown: stopping the replica on port $PORT and removing $DIR"
    if [ -f "$DIR/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$DIR" stop -m fast
    fi
    rm -rf "$DIR" "$DIR.soak.log" "$DIR.err" "$DIR.out"
    primary_sql "DROP SCHEMA IF EXISTS ${SCHEMA}_read CASCADE; DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null
    echo "replica removed; demo schema $SCHEMA dropped on the primary (the pg_hba.conf line stays)"
    exit 0
fi

if [ -e "$DIR" ]; then
    echo "replica.sh: $DIR exists; run with --teardown first" >&2
    exit 2
fi
if [ "$DEMO" = 1 ] && [ "$(primary_sql "SELECT count(*) FROM pg_namespace WHERE nspname = '$SCHEMA'")" != 0 ]; then
    echo "replica.sh: schema $SCHEMA exists on the primary; run with --teardown first" >&2
    exit 2
fi

say "primary at $PRIMARY_HOST:$PRIMARY_PORT"
WAL_LEVEL=$(primary_sql "SHOW wal_level")
SENDERS=$(primary_sql "SHOW max_wal_senders")
echo "wal_level=$WAL_LEVEL max_wal_senders=$SENDERS"
if [ "$WAL_LEVEL" = minimal ] || [ "$SENDERS" = 0 ]; then
    echo "replica.sh: set wal_level=replica and max_wal_senders=10 on the primary and restart it" >&2
    exit 3
fi
# `all` in pg_hba.conf does not cover replication connections: only `replication` does.
RULES=$(primary_sql "SELECT count(*) FROM pg_hba_file_rules
    WHERE type = 'host' AND 'replication' = ANY(database)")
if [ "$RULES" = 0 ]; then
    HBA=$(primary_sql "SHOW hba_file")
    echo "adding 'host replication all 127.0.0.1/32 trust' to $HBA and reloading"
    printf '\n# Streaming replicas on this machine (deploy/postgres/replica.sh)\nhost replication all 127.0.0.1/32 trust\n' >>"$HBA"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
fi

say "base backup into $DIR (pg_basebackup -R: the copy starts as a standby of the primary)"
install -d -o postgres -g postgres -m 700 "$DIR"
as_postgres "$PG_BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres \
    -D "$DIR" -R -X stream -c fast
# Debian keeps postgresql.conf and pg_hba.conf in /etc: the copy gets files of its own.
as_postgres sh -c "cat >'$DIR/postgresql.conf'" <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
hot_standby = on
EOF
as_postgres sh -c "cat >'$DIR/pg_hba.conf'" <<'EOF'
local all all trust
host  all all 127.0.0.1/32 trust
EOF
grep -h primary_conninfo "$DIR/postgresql.auto.conf"
as_postgres "$PG_BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w start >/dev/null
echo "replica started: in recovery = $(replica_sql "SELECT pg_is_in_recovery()")"
primary_sql "SELECT 'primary streams to: ' || application_name || ' ' || state FROM pg_stat_replication"

[ "$DEMO" = 1 ] || exit 0

say "a history on the primary: dossier bench rebuild --dossiers 20 (schema $SCHEMA)"
"$DOSSIER" bench rebuild --store "$PRIMARY_URL" --dossiers 20 --asof-samples 1 | tail -n 1

say "the primary keeps taking writes: dossier store soak in the background"
"$DOSSIER" store soak --store "$PRIMARY_URL" >"$DIR.soak.log" &
SOAK=$!
trap 'kill $SOAK 2>/dev/null || true' EXIT
sleep 2

say "dossier verify on the replica"
"$DOSSIER" verify --store "$REPLICA_URL"

say "a report on the replica without naming the primary: refused, nothing shown"
if "$DOSSIER" report budgets --year 2020 --format csv --store "$REPLICA_URL" >/dev/null 2>"$DIR.err"; then
    echo "replica.sh: the replica took a write" >&2
    exit 1
fi
sed 's/^/  /' "$DIR.err"

export DOSSIER_ACCESS_LOG_STORE="$PRIMARY_URL"
say "with DOSSIER_ACCESS_LOG_STORE=<primary>: report budgets on the replica (first lines)"
"$DOSSIER" report budgets --year 2020 --format csv --store "$REPLICA_URL" >"$DIR.out"
head -n 3 "$DIR.out" | cut -c 1-100; tail -n 1 "$DIR.out"

FIRST_DOSSIER=$(replica_sql "SELECT substr(stream, 9) FROM $SCHEMA.events
    WHERE stream LIKE 'dossier-%' ORDER BY position LIMIT 1")
say "dossier replay $FIRST_DOSSIER on the replica (first lines)"
"$DOSSIER" replay "$FIRST_DOSSIER" --store "$REPLICA_URL" >"$DIR.out"
head -n 4 "$DIR.out" | cut -c 1-120

say "the reads are in the access log of the primary, and streamed back to the replica"
primary_sql "SELECT 'primary: ' || count(*) || ' access-log entries' FROM $SCHEMA.events WHERE stream LIKE 'access-log-%'"
sleep 1
replica_sql "SELECT 'replica: ' || count(*) || ' access-log entries' FROM $SCHEMA.events WHERE stream LIKE 'access-log-%'"

kill $SOAK
wait $SOAK 2>/dev/null || true
trap - EXIT
say "writes stopped: the replica catches up with the primary"
PRIMARY_END=$(primary_sql "SELECT max(position) FROM $SCHEMA.events")
for _ in $(seq 1 50); do
    REPLICA_END=$(replica_sql "SELECT max(position) FROM $SCHEMA.events")
    [ "$REPLICA_END" = "$PRIMARY_END" ] && break
    sleep 0.2
done
echo "primary log ends at $PRIMARY_END, replica at $REPLICA_END; soak acknowledged $(wc -l <"$DIR.soak.log") appends"
echo "primary: $("$DOSSIER" verify --store "$PRIMARY_URL")"
echo "replica: $("$DOSSIER" verify --store "$REPLICA_URL")"
rm -f "$DIR.soak.log" "$DIR.err" "$DIR.out"
echo
echo "replica running on port $PORT; remove it with: $0 --teardown --dir $DIR --port $PORT"
