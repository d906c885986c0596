#!/usr/bin/env bash
# HTTP writes against plain JDBC, in one script on one PostgreSQL: the service jar on its own embedded database
# (its own data directory and free ports), users seeded with SQL, then per round a plain JDBC run inserting the
# same rows at the same concurrency, a wrk run against a bare HTTP server doing that same insert per request (the
# floor of any HTTP write here: BareHttpInserts.java), and a wrk run of UsernameChanged. Prints rates, the ratios,
# latencies, CPU per write of the service, of PostgreSQL and of wrk, the database transactions per write (each
# autocommit statement is one: a read of the stream and an append are two; the projection's batches and the
# notifier's NOTIFYs add a few per hundred writes), and the load average.
#
#   scripts/http-writes/run.sh                      # app/target/onepg.jar, 32 connections, 2 rounds of 10 s
#   CONNECTIONS=8 ROUNDS=3 SECONDS_PER_RUN=10 scripts/http-writes/run.sh
#   SERVICE_JVM_ARGS="-XX:StartFlightRecording=filename=/tmp/w.jfr,settings=profile" scripts/http-writes/run.sh
#   PROFILER=/path/to/libasyncProfiler.so scripts/http-writes/run.sh   # async-profiler (the tools.profiler:async-profiler
#       jar holds it) attached to the service for each measured wrk run only: target/http-writes/round-<n>.collapsed
#   PROFILER=... PROFILER_OPTIONS=event=alloc,alloc=256k scripts/http-writes/run.sh   # what is allocated where instead
#
# Run it under the machine's benchmark lock: flock /tmp/bench.lock scripts/http-writes/run.sh
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
WRK_THREADS=${WRK_THREADS:-2}
ROUNDS=${ROUNDS:-2}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
SERVICE_JVM_ARGS=${SERVICE_JVM_ARGS:-}
SERVICE_ARGS=${SERVICE_ARGS:-}
PROFILER=${PROFILER:-}
PROFILER_OPTIONS=${PROFILER_OPTIONS:-event=itimer,interval=1ms,threads}
PROFILES=$ROOT/target/http-writes
WORK=$(mktemp -d /tmp/onepg-http-writes.XXXXXX)

HTTP_PORT=$(free_port)
PG_PORT=$(free_port)
BASE=http://127.0.0.1:$HTTP_PORT

trap stop_all EXIT

echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) load: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$WORK" && exec "$JAVA" $SERVICE_JVM_ARGS -jar "$JAR" --server.port="$HTTP_PORT" \
    --onepg.embedded-database.port="$PG_PORT" \
    --onepg.embedded-database.data-directory="$WORK/postgres" \
    --onepg.embedded-database.binaries-directory="$WORK/binaries" $SERVICE_ARGS >"$WORK/service.log" 2>&1) &
SERVICE_PID=$!
await_service "$BASE" "$SERVICE_PID" "$WORK/service.log"
# the java process: the subshell exec'd into it
JAVA_PID=$SERVICE_PID
PG_PID=$(head -1 "$WORK/postgres/postmaster.pid")
export PGPASSWORD=postgres
SQL=(psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)

"${SQL[@]}" -v users="$USERS" -f "$HERE/seed-users.sql"
"${SQL[@]}" -c "CREATE SCHEMA bench" -c "CREATE TABLE bench.plain_events (LIKE eventstore.events INCLUDING ALL)"
# the projection catches up on the seeded users before anything is measured
for _ in $(seq 1 120); do
    behind=$("${SQL[@]}" -tA -c "SELECT (SELECT max(position) FROM eventstore.events) - checkpoint_position
                                  FROM eventstore.projections WHERE name = 'users'")
    [[ "$behind" == "0" ]] && break
    sleep 1
done

unzip -q -o -j "$JAR" 'BOOT-INF/lib/postgresql-*.jar' -d "$WORK/lib"
PGJDBC=$(ls "$WORK"/lib/postgresql-*.jar)
JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
# the floor: the JDK's HTTP server doing PlainInserts' insert per request, nothing else
FLOOR_PORT=$(free_port)
"$JAVA" -cp "$PGJDBC" "$HERE/BareHttpInserts.java" "$JDBC_URL" "$FLOOR_PORT" "$CONNECTIONS" >"$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
for _ in $(seq 1 60); do grep -q listening "$WORK/floor.log" && break; sleep 1; done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pg_ticks() {
    local sum=0 pid
    for pid in $PG_PID $(pgrep -P "$PG_PID"); do
        [[ -r /proc/$pid/stat ]] && sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo $sum
}

xacts() { "${SQL[@]}" -tA -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'postgres'"; }

printf '| round | plain JDBC writes/s | p50 / p99 ms | bare HTTP writes/s | ratio | CPU ms per write: server / PostgreSQL | HTTP writes/s | p50 / p99 ms | non-2xx | ratio | CPU ms per write: service / PostgreSQL / wrk | transactions per write | load |\n'
printf '|--:|--:|---|--:|--:|---|--:|---|--:|--:|---|--:|---|\n'
for round in $(seq 0 "$ROUNDS"); do
    read -r jdbc_rate jdbc_p50 jdbc_p99 < <("$JAVA" -cp "$PGJDBC" "$HERE/PlainInserts.java" "$JDBC_URL" \
        "$CONNECTIONS" "$WARMUP_SECONDS" "$SECONDS_PER_RUN")
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s "$HERE/username-changes.lua" \
        "http://127.0.0.1:$FLOOR_PORT" -- "$USERS" "$WRK_THREADS" 0000000a >/dev/null
    f0=$(ticks "$FLOOR_PID"); fp0=$(pg_ticks)
    floor=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$HERE/username-changes.lua" \
        "http://127.0.0.1:$FLOOR_PORT" -- "$USERS" "$WRK_THREADS" 0000000b)
    f1=$(ticks "$FLOOR_PID"); fp1=$(pg_ticks)
    floor_requests=$(echo "$floor" | awk '/requests in/ {print $1}')
    floor_rate=$(echo "$floor" | awk '/Requests\/sec/ {print $2}')
    floor_cells=$(awk -v fr="$floor_rate" -v jr="$jdbc_rate" -v f=$((f1 - f0)) -v p=$((fp1 - fp0)) \
        -v req="$floor_requests" 'BEGIN { printf "%.0f | **%.2f** | %.2f / %.2f", fr, fr / jr, f * 10 / req, p * 10 / req }')
    "${SQL[@]}" -c "TRUNCATE bench.plain_events"
    # The measured run's event ids never end their first group in f, the warm-up's always do: a measured nonce
    # ending in f would resend the warm-up's event ids, and every measured write would be an idempotent replay.
    nonce=$(printf '%07x%x' $(((RANDOM * 32768 + RANDOM) % 268435456)) $((RANDOM % 15)))
    # warm-up at the same load, not recorded
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s "$HERE/username-changes.lua" "$BASE" \
        -- "$USERS" "$WRK_THREADS" "${nonce:0:7}f" >/dev/null
    if [[ -n "$PROFILER" ]]; then
        mkdir -p "$PROFILES"
        "$JAVA_HOME_DIR/bin/jcmd" "$JAVA_PID" JVMTI.agent_load "$PROFILER" "\"start,$PROFILER_OPTIONS\"" >/dev/null
    fi
    s0=$(ticks "$JAVA_PID"); p0=$(pg_ticks); x0=$(xacts)
    out=$( { /usr/bin/time -f 'WRKCPU %U %S' wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency \
        -s "$HERE/username-changes.lua" "$BASE" -- "$USERS" "$WRK_THREADS" "$nonce"; } 2>&1)
    s1=$(ticks "$JAVA_PID"); p1=$(pg_ticks)
    if [[ -n "$PROFILER" ]]; then
        "$JAVA_HOME_DIR/bin/jcmd" "$JAVA_PID" JVMTI.agent_load "$PROFILER" \
            "\"stop,file=$PROFILES/round-$round.collapsed,collapsed\"" >/dev/null
    fi
    sleep 11 # an idle backend reports its transaction counts after 10 s at the latest
    x1=$(xacts)
    echo "$out" >"$WORK/wrk-$round.txt"
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}'); non2xx=${non2xx:-0}
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    wrk_cpu=$(echo "$out" | awk '/WRKCPU/ {print ($2 + $3) * 1000}')
    label=$round; [[ $round == 0 ]] && label="warm-up"
    awk -v l="$label" -v jr="$jdbc_rate" -v j50="$jdbc_p50" -v j99="$jdbc_p99" -v hr="$rate" -v h50="$p50" \
        -v h99="$p99" -v n="$non2xx" -v req="$requests" -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v w="$wrk_cpu" -v x=$((x1 - x0 - 1)) \
        -v load="$(cut -d' ' -f1 /proc/loadavg)" -v fc="$floor_cells" 'BEGIN {
        printf "| %s | %.0f | %s / %s | %s | %.0f | %s / %s | %d | **%.2f** | %.2f / %.2f / %.2f | %.2f | %s |\n",
            l, jr, j50, j99, fc, hr, h50, h99, n, hr / jr, s * 10 / req, p * 10 / req, w / req, x / req, load }'
done
echo "# service log: $(grep -c ERROR "$WORK/service.log" || true) ERROR lines"
grep -m 3 -A 3 ERROR "$WORK/service.log" || true
