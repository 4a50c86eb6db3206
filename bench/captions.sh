#!/usr/bin/env bash
# Readable captions on the project's set: espeak-ng speech -> real Vosk -> the punctuation step -> score.
# Usage: bench/captions.sh [--record]   -> prints figures, writes bench/results/captions.json
#        (--record also rewrites src/test/resources/captions/readable-recognised.json)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.captions.ReadableCaptionsBench "$@"
