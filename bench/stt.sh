#!/usr/bin/env bash
# Speech-to-text at real-time pace through the real Vosk recogniser.
# Usage: bench/stt.sh   -> prints figures, writes bench/results/stt.json
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.stt.SttBench "$@"
