#!/usr/bin/env bash
# What one index of eventstore.events costs the combined insert, on a throwaway PostgreSQL (its own data directory
# and port, removed at the end): the events table as the changelog's 001-events.sql creates it, a log of LOG_ROWS
# events over 20,000 streams, then pgbench runs of the combined insert (16 one-event appends to new streams per
# statement, each with a random event id and a random correlation id, as the service's requests carry), alternately
# with and without the index named by INDEX. Prints pgbench's rate and latency and pg_stat_statements' mean execution
# time per statement for each run.
#
#   scripts/index-cost/run.sh                                    # events_correlation_idx, 5,000,000 events, 2 pairs
#   INDEX=events_global_order_idx LOG_ROWS=1000000 PAIRS=3 SECONDS_PER_RUN=20 scripts/index-cost/run.sh
#   PGBIN=/usr/lib/postgresql/15/bin scripts/index-cost/run.sh     # the PostgreSQL binaries to use
#
# Run it under the machine's benchmark lock: flock /tmp/bench.lock scripts/index-cost/run.sh
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
INDEX=${INDEX:-events_correlation_idx}
LOG_ROWS=${LOG_ROWS:-5000000}
PAIRS=${PAIRS:-2}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
ROWS=16
WORK=$(mktemp -d /tmp/onepg-index-cost.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# initdb refuses root: run the server as the postgres user when root runs this
AS=()
if [[ $(id -u) == 0 ]]; then
    chown postgres "$WORK"
    AS=(runuser -u postgres --)
fi

stop() {
    "${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap stop EXIT

"${AS[@]}" "$PGBIN/initdb" -D "$WORK/data" -U postgres >/dev/null 2>&1
"${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
    -o "-p $PORT -k $WORK -c shared_preload_libraries=pg_stat_statements" start >/dev/null
export PGOPTIONS="-c client_min_messages=warning"
SQL=(psql -q -X -v ON_ERROR_STOP=1 -h "$WORK" -p "$PORT" -U postgres -d postgres)

"${SQL[@]}" -c "CREATE EXTENSION pg_stat_statements"
"${SQL[@]}" -f "$ROOT/db/src/main/resources/db/changelog/eventstore/001-events.sql"
"${SQL[@]}" -c "CREATE INDEX IF NOT EXISTS events_correlation_idx ON eventstore.events (correlation_id)
                WHERE correlation_id IS NOT NULL"
"${SQL[@]}" -c "INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload, actor,
                    correlation_id)
                SELECT gen_random_uuid(), 'user', '00000000-0000-4000-8000-' || lpad(to_hex(g % 20000), 12, '0'),
                       g / 20000 + 1, 'UsernameChanged', jsonb_build_object('username', 'u' || g), 'dev',
                       gen_random_uuid()::text
                FROM generate_series(0, $LOG_ROWS - 1) g" -c "VACUUM ANALYZE eventstore.events"
DEFINITION=$("${SQL[@]}" -tA -c "SELECT pg_get_indexdef('eventstore.$INDEX'::regclass)")

# The service's combined statement (AppendCombiner.INSERT), its arrays built in the statement itself.
python3 - "$ROWS" >"$WORK/combined.sql" <<'PY'
import sys
n = int(sys.argv[1])
# Each array's element for the append of ordinal i, and the array's type, in the order unnest takes them.
elements = [
    ("gen_random_uuid()", "uuid[]"),
    ("'UsernameChanged'", "text[]"),
    ("1", "int4[]"),
    ("'{{\"username\":\"u' || :n || '-{i}\"}}'", "text[]"),
    ("'dev'", "text[]"),
    ("gen_random_uuid()::text", "text[]"),
    ("NULL", "text[]"),
    ("'{{}}'", "text[]"),
    ("'user'", "text[]"),
    ("'s' || :n || '-{i}'", "text[]"),
    ("0", "int8[]"),
    ("false", "bool[]"),
]
arrays = ["ARRAY[" + ",".join(element.format(i=i) for i in range(n)) + "]::" + type for element, type in elements]
print("\\set n random(1, 2000000000)")
print("INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, schema_version, payload,"
      " actor, correlation_id, causation_id, headers)"
      " SELECT e.event_id, e.stream_type, e.stream_id, e.expected + 1, e.event_type, e.schema_version,"
      " e.payload::jsonb, e.actor, e.correlation_id, e.causation_id, e.headers::jsonb"
      " FROM unnest(" + ", ".join(arrays) + ") WITH ORDINALITY AS e(event_id, event_type, schema_version, payload,"
      " actor, correlation_id, causation_id, headers, stream_type, stream_id, expected, seen, ordinal)"
      " WHERE e.expected = 0 OR e.seen OR (SELECT true FROM eventstore.events p WHERE p.stream_type = e.stream_type"
      " AND p.stream_id = e.stream_id AND p.version = e.expected)"
      " ORDER BY e.ordinal ON CONFLICT (stream_type, stream_id, version) DO NOTHING RETURNING event_id, position;")
PY
chmod a+r "$WORK/combined.sql"

measure() {
    "${SQL[@]}" -c "SELECT pg_stat_statements_reset()" >/dev/null
    local out
    out=$("${AS[@]}" "$PGBIN/pgbench" -n -h "$WORK" -p "$PORT" -U postgres -M prepared -c 1 -T "$SECONDS_PER_RUN" \
        -f "$WORK/combined.sql" postgres 2>&1)
    local tps latency mean
    tps=$(echo "$out" | awk '/^tps/ {printf "%.0f", $3}')
    latency=$(echo "$out" | awk '/latency average/ {print $4}')
    mean=$("${SQL[@]}" -tA -c "SELECT round((mean_exec_time * 1000)::numeric) FROM pg_stat_statements
                                WHERE query LIKE 'INSERT INTO eventstore.events%' ORDER BY calls DESC LIMIT 1")
    local rows
    rows=$("${SQL[@]}" -tA -c "SELECT reltuples::bigint FROM pg_class WHERE oid = 'eventstore.events'::regclass")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$rows" "$tps" "$latency" "$mean" \
        "$(awk -v m="$mean" -v r=$ROWS 'BEGIN { printf "%.1f", m / r }')"
}

echo "# $(date -u +%FT%TZ) $("$PGBIN/postgres" --version), $LOG_ROWS events, $ROWS appends per statement, $INDEX"
printf '| %s | events (estimate) | statements/s | latency ms | execution µs | µs per append |\n|---|--:|--:|--:|--:|--:|\n' "$INDEX"
for _ in $(seq 1 "$PAIRS"); do
    measure "with"
    "${SQL[@]}" -c "DROP INDEX eventstore.$INDEX"
    measure "without"
    "${SQL[@]}" -c "$DEFINITION"
done
