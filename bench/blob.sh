#!/usr/bin/env bash
# Blob store throughput and heap: streams a generated body (never held whole) into the
# filesystem store, a real Azurite and a real s3rver (S3, through the test's proxy), reads it back,
# and prints MiB/s and heap growth.
# Usage: bench/blob.sh [MiB=1024] [fs|azure|s3|both|all=default]  -> bench/results/blob.json (blob-<one>.json for one)
# The JVM gets a 256 MiB heap on purpose: a 1 GiB body must stream through a few MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${PARLEY_BUILD_DIR:-target}"
[ -x tools/node_modules/.bin/azurite-blob ] && [ -x tools/node_modules/.bin/s3rver ] || npm ci --prefix tools --no-audit --no-fund --loglevel=error >&2 \
  || echo "[blob] no Azurite (npm ci --prefix tools failed): the azure and s3 runs will be skipped" >&2
mvn -B -q -o -Dparley.buildDir="$build" test-compile dependency:build-classpath \
  -Dmdep.outputFile="$build/bench-classpath.txt" >/dev/null 2>&1 \
  || mvn -B -q -Dparley.buildDir="$build" test-compile dependency:build-classpath \
       -Dmdep.outputFile="$build/bench-classpath.txt" >/dev/null
exec java -Xmx256m -cp "$build/test-classes:$build/classes:$(cat "$build/bench-classpath.txt")" \
  -Dparley.buildDir="$build" bench.blob.BlobBench "$@"
