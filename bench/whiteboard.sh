#!/usr/bin/env bash
# The whiteboard on real PostgreSQL and Redis (embedded): ops per second stored and delivered to 50
# watching sockets, and the replay time of a board of 10,000 strokes.
# Usage: bench/whiteboard.sh [liveOps] [strokes]   -> prints figures, writes bench/results/whiteboard.json
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.WhiteboardBench "$@"
