#!/usr/bin/env bash
# Where PostgreSQL's CPU goes per HTTP write: the service jar on a database of its own, the users of run.sh seeded,
# a warm-up at the load, then one measured wrk run of UsernameChanged during which each PostgreSQL process's CPU
# is read from /proc and summed by session (application_name and backend type: the requests' pool, the
# projections' pool, the listener, the WAL writer...). With pg_stat_statements loaded in the server, also each
# statement's calls, rows and execution time per write.
#
#   scripts/http-writes/postgres-split.sh                       # embedded PostgreSQL, app/target/onepg.jar
#   PG_PORT=55432 PG_DATA=/path/to/data scripts/http-writes/postgres-split.sh
#       # a PostgreSQL already running on 127.0.0.1:PG_PORT (user postgres, no password needed, database postgres,
#       # empty: the service migrates it), its data directory readable for the postmaster's pid, e.g. one started with
#       # -c shared_preload_libraries=pg_stat_statements and CREATE EXTENSION pg_stat_statements
#   JAR=/path/to/onepg.jar WARMUP_SECONDS=40 SECONDS_PER_RUN=20 scripts/http-writes/postgres-split.sh
#
# Run it under the machine's benchmark lock: flock /tmp/bench.lock scripts/http-writes/postgres-split.sh
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
WARMUP_SECONDS=${WARMUP_SECONDS:-40}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
SERVICE_JVM_ARGS=${SERVICE_JVM_ARGS:--Xms256m -Xmx256m}
WORK=$(mktemp -d /tmp/onepg-postgres-split.XXXXXX)

HTTP_PORT=$(free_port)
BASE=http://127.0.0.1:$HTTP_PORT
if [[ -n "${PG_PORT:-}" ]]; then
    DATABASE=(--spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
        --spring.datasource.username=postgres --spring.datasource.password=unused
        --onepg.security.allow-default-users=true)
    PG_DATA=${PG_DATA:?PG_DATA: the data directory of the server on PG_PORT}
else
    PG_PORT=$(free_port)
    PG_DATA=$WORK/postgres
    DATABASE=(--onepg.embedded-database.port="$PG_PORT" --onepg.embedded-database.data-directory="$PG_DATA"
        --onepg.embedded-database.binaries-directory="$WORK/binaries")
fi

trap stop_all EXIT

echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) load: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$WORK" && exec "$JAVA" $SERVICE_JVM_ARGS -jar "$JAR" --server.port="$HTTP_PORT" "${DATABASE[@]}" \
    >"$WORK/service.log" 2>&1) &
SERVICE_PID=$!
await_service "$BASE" "$SERVICE_PID" "$WORK/service.log"
PG_PID=$(head -1 "$PG_DATA/postmaster.pid")
export PGPASSWORD=postgres
SQL=(psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)

"${SQL[@]}" -v users="$USERS" -f "$HERE/seed-users.sql"
statements=$("${SQL[@]}" -tA -c "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")

# warm-up at the same load; its event ids end their first group in f, the measured run's in 0
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s "$HERE/username-changes.lua" "$BASE" -- "$USERS" 2 1234567f >/dev/null

# pid, session and CPU ticks of each of the server's processes
sessions() {
    "${SQL[@]}" -tA -F' ' -c "SELECT pid, replace(coalesce(nullif(application_name, ''), '-') || '/' || backend_type, ' ', '-')
                              FROM pg_stat_activity" >"$WORK/roles"
    local pid
    for pid in $PG_PID $(pgrep -P "$PG_PID"); do
        local ticks role
        ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
        role=$(awk -v p="$pid" '$1 == p {print $2}' "$WORK/roles")
        echo "$pid ${role:-postmaster} $ticks"
    done | sort
}
[[ "$statements" == 1 ]] && "${SQL[@]}" -c "SELECT pg_stat_statements_reset()" >/dev/null
sessions >"$WORK/before"
s0=$(awk '{print $14 + $15}' "/proc/$SERVICE_PID/stat")
out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$HERE/username-changes.lua" "$BASE" -- "$USERS" 2 12345670)
s1=$(awk '{print $14 + $15}' "/proc/$SERVICE_PID/stat")
sessions >"$WORK/after"
requests=$(echo "$out" | awk '/requests in/ {print $1}')
tick_us=$((1000000 / $(getconf CLK_TCK)))

echo "$out" | awk '/Requests\/sec/ {printf "HTTP writes/s: %.0f\n", $2}'
awk -v t=$((s1 - s0)) -v r="$requests" -v u="$tick_us" 'BEGIN {printf "service: %.0f us of CPU per write\n", t * u / r}'
echo "PostgreSQL, us of CPU per write by session (processes):"
join <(cat "$WORK/before") <(cat "$WORK/after") | awk -v r="$requests" -v u="$tick_us" '
    { cpu[$2] += $5 - $3; n[$2]++; all += $5 - $3 }
    END {
        for (s in cpu) if (cpu[s] > 0) printf "  %-40s %3d  %6.1f\n", s, n[s], cpu[s] * u / r
        printf "  %-40s      %6.1f\n", "all", all * u / r
    }' | sort -k3 -rn
if [[ "$statements" == 1 ]]; then
    "${SQL[@]}" -c "SELECT calls, rows, round((total_exec_time * 1000 / $requests)::numeric, 1) AS exec_us_per_write,
                           round(wal_records::numeric / $requests, 2) AS wal_records_per_write,
                           left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS statement
                    FROM pg_stat_statements WHERE calls > $requests / 100
                    ORDER BY total_exec_time DESC LIMIT 15"
fi
