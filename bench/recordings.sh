#!/usr/bin/env bash
# Server recordings: processing time per recorded minute (janus-pp-rec of every .mjr, the one ffmpeg
# composition, the store) for 2, 4 and 6 people, each a headless Chromium page publishing its fake
# camera and a speech WAV through a managed Janus. RECORDINGS_BENCH_SECONDS (60) per recording.
# Usage: bench/recordings.sh [people...]   -> prints figures, writes bench/results/recordings.json.
# Needs janus, janus-tools, ffmpeg, chromium and e2e/node_modules; run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d e2e/node_modules/playwright-core ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix e2e --no-audit --no-fund
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
uptime
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.recordings.RecordingsBench "$@"
