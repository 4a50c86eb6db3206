#!/usr/bin/env bash
# Server captions from forwarded Opus RTP against /ws/audio on the same audio (latency, WER), and how
# many people speaking at once this machine captions in real time. Janus is played by the bench
# (it sends RTP as Janus forwards it); the path from the UDP socket on is the server's.
# Usage: bench/server-captions.sh   -> prints figures, writes bench/results/server-captions.json
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
uptime
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" handlers.captions.ServerCaptionsBench "$@"
