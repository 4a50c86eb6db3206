#!/usr/bin/env bash
# Upload throughput and heap growth through the HTTP route, end to end: starts the server jar with
# a 256 MiB heap on a fresh data folder (filesystem store), streams a generated recording of N MiB
# with curl (chunked, never held whole by anyone), and prints MiB/s, heap after GC before and after,
# and the peak heap sampled during the upload. Usage: bench/upload.sh [MiB=1024]
# Writes bench/results/upload.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mib="${1:-1024}"
[ -f target/parley.jar ] || mvn -B -q package -DskipTests
data=$(mktemp -d /tmp/parley-upload-XXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PARLEY_HTTP_PORT=$port PARLEY_DATA_DIR=$data PARLEY_AI_TRANSLATION_PROVIDER=none \
  java -Xmx256m -jar target/parley.jar >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$port/health/ready" >/dev/null && break; sleep 0.5; done
B="http://localhost:$port/api/v1"
T=$(curl -s -XPOST "$B/auth/dev-token" -H 'content-type: application/json' \
  -d "{\"name\":\"Bench\",\"tenant\":\"bench\",\"roles\":[\"admin\"]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
H="Authorization: Bearer $T"
# A limit above the upload's size for this tenant.
curl -s -XPUT "$B/tenant" -H "$H" -H 'content-type: application/json' \
  -d "{\"uploads\":{\"maxRecordingBytes\":$(( (mib + 16) * 1048576 ))}}" >/dev/null
M=$(curl -s -XPOST "$B/meetings" -H "$H" -H 'content-type: application/json' -d '{"title":"bench"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -s -XPOST "$B/meetings/$M/join" -H "$H" >/dev/null
heap_after_gc() {
  jcmd "$pid" GC.run >/dev/null
  jcmd "$pid" GC.heap_info | awk '/garbage-first heap|def new generation|PSYoungGen|total/ {for(i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K,?","",v); s+=v}} END {printf "%.1f", s/1024}'
}
before=$(heap_after_gc)
jstat -gc "$pid" 250 > "$data/jstat.txt" &
jst=$!
start=$(date +%s.%N)
{ printf '\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x18\x53\x80\x67'
  head -c $(( mib * 1048576 - 36 )) /dev/zero; } \
  | curl -s -X POST -T - "$B/meetings/$M/recordings" -H "$H" -H 'content-type: video/webm' -o "$data/reply.json" -w '%{http_code}' > "$data/status"
end=$(date +%s.%N)
kill $jst 2>/dev/null || true
after=$(heap_after_gc)
status=$(cat "$data/status")
# jstat columns: S0U S1U EU OU are used KiB of the spaces (G1: survivor, eden, old).
peak=$(awk 'NR>1 && $1 ~ /^[0-9.]+$/ {u=$3+$4+$6+$8; if (u>m) m=u} END {printf "%.1f", m/1024}' "$data/jstat.txt")
secs=$(python3 -c "print(round($end - $start, 2))")
rate=$(python3 -c "print(round($mib / ($end - $start), 1))")
size=$(python3 -c "import json; print(json.load(open('$data/reply.json')).get('size'))")
echo "[upload] status $status, $mib MiB (stored size $size bytes) in $secs s = $rate MiB/s (curl -T - chunked from a pipe)"
echo "[upload] heap after GC: before $before MiB, after $after MiB; peak sampled during the upload $peak MiB (-Xmx256m)"
mkdir -p bench/results
cat > bench/results/upload.json <<JSON
{"command": "bench/upload.sh $mib", "status": $status, "mib": $mib, "seconds": $secs, "mibPerSecond": $rate,
 "heapAfterGcBeforeMiB": $before, "heapAfterGcAfterMiB": $after, "peakHeapSampledMiB": $peak, "xmx": "256m",
 "loadAverage": "$(cut -d' ' -f1-3 /proc/loadavg)", "store": "filesystem"}
JSON
[ "$status" = 201 ]
