#!/usr/bin/env bash
# Runs benchmark parts on the classpath of the last build, then renders every result into docs/benchmarks.md.
#   ./mvnw -Pbenchmarks -pl benchmarks -am package -DskipTests      # build once (also app/target/onepg.jar)
#   benchmarks/bench.sh [-Dbench.quick=true] [-Dbench.jfr=true] append,warmup,http,projections,kafka
# Parts: append, warmup, http (with freshness and memory), projections, kafka, render (only render).
# Other options: -Dbench.docs=none (render nothing), -Dbench.serviceJvmArgs="-Xmx256m ..." (the service's JVM).
# -Dbench.bestRate=N (http: no measured rounds; freshness at shares of N writes/s, to compare builds at one rate;
# written to target/results/http-fixed-rate.json, which nothing renders).
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f target/classpath.txt ]]; then
  echo "no build: run ./mvnw -Pbenchmarks -pl benchmarks -am package -DskipTests first" >&2
  exit 1
fi
options=()
parts=()
for arg in "$@"; do
  if [[ $arg == -D* ]]; then options+=("$arg"); else parts+=("$arg"); fi
done
exec "${JAVA_HOME:-/usr}/bin/java" -Xmx1g -Djava.io.tmpdir=target "${options[@]}" \
  -cp "target/classes:$(cat target/classpath.txt)" dev.onepg.benchmarks.Bench "${parts[@]:-render}"
