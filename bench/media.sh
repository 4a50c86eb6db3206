#!/usr/bin/env bash
# Media in Chromium: join time and upstream kbps per page for 2, 4 and 6 people, SFU (a managed
# Janus) against mesh, then the SFU's capacity (subscribers of one publisher raised until packet
# loss passes 1 % or frames drop; Janus's CPU per subscriber).
# Usage: bench/media.sh [people...]   (MEDIA_BENCH_MAX_SUBSCRIBERS=12; 0 skips the capacity run;
#        MEDIA_BENCH_FPS=10: the fake cameras' frame rate, all pages sharing this machine)
#   -> prints figures, writes bench/results/media.json. Needs janus, chromium and e2e/node_modules.
#   The same with synthetic libwebrtc peers instead of Chromium pages (the server apart from the
#   browsers' CPU): bench/media-capacity.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d e2e/node_modules/playwright-core ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix e2e --no-audit --no-fund
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.media.MediaBench "$@"
