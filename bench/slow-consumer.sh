#!/usr/bin/env bash
# Slow consumers: the server's heap over time while N bridge sockets that never read sit in a busy
# meeting with readers (loadtest.SlowConsumers from the jar, SockJS's WebSocket transport). Starts a
# server on its embedded defaults (-Xmx$XMX), prints the curve (heap after a full GC, RSS, sockets the
# server holds, sockets it closed as too slow, what the readers got) and writes
# bench/results/slow-consumer.json. With BASE_JAR set, the same first against that jar ("before"),
# in the same run: bench/results/slow-consumer-before.json.
#
# Usage: bench/slow-consumer.sh [loadtest.SlowConsumers options: --slow 5 --readers 5 --rate 36 --chars 4000 --seconds 30 --sample 2]
# Environment: XMX (server heap, 512m), BASE_JAR, PARLEY_BUILD_DIR (target), OUT (bench/results/slow-consumer.json).
# Also called by bench/faults.sh for its memory-curve row.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${PARLEY_BUILD_DIR:-target}"
jar="$build/parley.jar"
XMX="${XMX:-512m}"
OUT="${OUT:-bench/results/slow-consumer.json}"
mkdir -p bench/results
if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]; then
  echo "[slow-consumer] building $jar"
  mvn -B -q -Dparley.buildDir="$build" package -DskipTests
fi
bench_name=slow-consumer
# shellcheck source=bench/lib/parley-server.sh
. bench/lib/parley-server.sh
run_jar="$(mktemp /tmp/parley-slow-XXXXXX.jar)"
cp "$jar" "$run_jar"
trap 'stop_server; rm -f "$run_jar"' EXIT
echo "[slow-consumer] load average $(cut -d' ' -f1-3 /proc/loadavg)"

measure() { # $1: jar, $2: report, $3: label; options follow
  local jar="$1" out="$2" label="$3"
  shift 3
  start_parley "" "$jar"
  java -Xmx256m -cp "$run_jar" loadtest.SlowConsumers --url "http://127.0.0.1:$port" --server-pid "$server_pid" \
    --out "$out" --label "$label, -Xmx$XMX" "$@"
  stop_server
}

if [ -n "${BASE_JAR:-}" ]; then
  measure "$BASE_JAR" "${OUT%.json}-before.json" "before ($(basename "$BASE_JAR"))" "$@"
fi
measure "$run_jar" "$OUT" "this build" "$@"
