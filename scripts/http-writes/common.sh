# Sourced by the scripts of this folder, after they set HERE (this folder): what they share besides seed-users.sql.

ROOT=$(cd "$HERE/../.." && pwd)
JAR=${JAR:-$ROOT/app/target/onepg.jar}
CONNECTIONS=${CONNECTIONS:-32}
USERS=${USERS:-20000}
JAVA_HOME_DIR=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME_DIR/bin/java

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits until the service at base URL $1 (process $2, log $3) is healthy; prints its log and fails if it ends first.
await_service() {
    local base=$1 pid=$2 log=$3
    for _ in $(seq 1 120); do
        curl -sf "$base/actuator/health" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$log"; return 1; }
        sleep 1
    done
    curl -sf "$base/actuator/health" >/dev/null
}

# On exit: stops the bare HTTP server ($FLOOR_PID) and the service ($SERVICE_PID) if started, removes $WORK.
stop_all() {
    if [[ -n "${FLOOR_PID:-}" ]]; then
        kill "$FLOOR_PID" 2>/dev/null || true
    fi
    if [[ -n "${SERVICE_PID:-}" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill "$SERVICE_PID"
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
