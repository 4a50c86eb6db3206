#!/usr/bin/env bash
# The shared notes on real PostgreSQL and Redis (embedded), with real Automerge changes made by the
# web client's vendored Automerge under Node: keystroke updates per second stored, checked and
# delivered to 20 watching sockets (and their round trip), then the load of the whole document
# (GET .../notes/state, rebuilt from every stored update) and the replay by pages.
# Usage: bench/notes.sh [keystrokes, 4000]   -> prints figures, writes bench/results/notes.json
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" bench.NotesBench "$@"
