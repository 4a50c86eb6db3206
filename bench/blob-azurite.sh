#!/usr/bin/env bash
# Installs Azurite (the Azure Storage emulator) for the blob tests and bench, idempotently,
# into .tools/azurite (node_modules/ is git-ignored). Pinned to 3.35.0: the last release whose
# engines accept Node 20 (Debian's nodejs); 3.36+ require Node >= 22.
# Usage: bench/blob-azurite.sh   -> prints the path of azurite-blob
set -euo pipefail
cd "$(dirname "$0")/.."
version="${AZURITE_VERSION:-3.35.0}"
dir=".tools/azurite"
bin="$dir/node_modules/.bin/azurite-blob"
if [ ! -x "$bin" ] || ! grep -q "\"version\": \"$version\"" "$dir/node_modules/azurite/package.json" 2>/dev/null; then
  command -v npm >/dev/null || { echo "[blob] npm missing: apt-get install -y nodejs npm" >&2; exit 1; }
  mkdir -p "$dir"
  echo "[blob] installing azurite@$version into $dir" >&2
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "azurite@$version" >&2
fi
echo "$(pwd)/$bin"
