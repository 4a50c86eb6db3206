#!/usr/bin/env bash
# Faults under steady chat: Redis SIGSTOP 10 s, Redis SIGKILL, PostgreSQL SIGKILL, the server's own
# SIGTERM and restart, one node of a two-node cluster killed. Per fault: sent, acknowledged, stored,
# acknowledged-but-lost, duplicated, seconds unavailable, seconds to ready (goal: 0 lost, 0 duplicated).
# Then the slow-consumer memory curve, from bench/slow-consumer.sh when the tree has it.
# Usage: bench/faults.sh   -> prints the table, writes bench/results/faults.json (about 3-4 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/parley.jar ] || mvn -B -q package -DskipTests
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.FaultsBench "$@"
if [ -x bench/slow-consumer.sh ]; then
  bench/slow-consumer.sh
else
  echo "slow-consumer: see bench/slow-consumer.sh (not in this tree yet)"
fi
