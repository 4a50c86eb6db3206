#!/usr/bin/env bash
# Server captions from forwarded Opus RTP against /ws/audio on the same audio (latency, WER), and how
# many people speaking at once this machine captions in real time. Janus is played by the bench
# (it sends RTP as Janus forwards it); the path from the UDP socket on is the server's.
# Usage: bench/server-captions.sh   -> prints figures, writes bench/results/server-captions.json
#   (PARTIAL_EVERY_MS=0: a partial result after every chunk, as before ai.stt.partialEveryMs; default 100;
#    another value writes bench/results/server-captions-partial<ms>.json)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
uptime
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" handlers.captions.ServerCaptionsBench "$@"
