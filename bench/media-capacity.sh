#!/usr/bin/env bash
# The SFU with synthetic WebRTC peers (libwebrtc from webrtc-java) instead of Chromium pages, through
# Parley's signaling into a managed Janus: capacity (one publisher, subscribers raised until packet
# loss passes 1 % or frames drop; Janus's, Parley's and the bench's own CPU per step) and join time
# (N people opening the meeting at once, until everyone decoded everyone).
# Usage: bench/media-capacity.sh [capacity|join|all]
#   MEDIA_CAPACITY_STEPS=1,2,4,8,16,24,32,48,64  MEDIA_CAPACITY_MAX=64  MEDIA_CAPACITY_SECONDS=10
#   MEDIA_CAPACITY_VIDEO=640x360@15  MEDIA_CAPACITY_JOIN=2,4,6,8 (none skips)
#   -> prints a table, writes bench/results/media-capacity.json. Needs janus (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.media.MediaCapacityBench "$@"
