#!/usr/bin/env bash
# Chat round-trip latency over the event-bus bridge on real PostgreSQL and Redis (embedded).
# Usage: bench/chat-rtt.sh [messages]   -> prints figures, writes bench/results/chat-rtt.json
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.ChatRoundTripBench "$@"
