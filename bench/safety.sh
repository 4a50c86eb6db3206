#!/usr/bin/env bash
# Built-in content safety cost per message (it runs on an event loop): typical and adversarial texts.
# Usage: bench/safety.sh   -> prints figures, writes bench/results/safety.json
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.safety.SafetyBench "$@"
