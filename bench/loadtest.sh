#!/usr/bin/env bash
# Bridge load test: starts a server on its embedded defaults (temp data dir, -Xmx$XMX, chat rate
# limits raised), drives it with loadtest.LoadTest from the same jar, prints the figures and writes
# bench/results/loadtest-*.json. Then the same against the Socket.IO peer (bench/peers).
#
# Usage: bench/loadtest.sh [all|capacity|throughput|socketio] [extra loadtest options...]
#   capacity    10,000 bridge sockets in 100 meetings: sockets held, server heap and RSS per socket
#   throughput  1,000 sockets in 10 meetings at 200, 1000 and 2000 msg/s (20k, 100k, 200k deliveries/s offered)
#   socketio    both of the above against the Socket.IO peer
#   all         all three (the default)
# Environment: XMX (server heap, 1g), CAP_SOCKETS (10000), RATES (200,1000,2000), DURATION (20),
#   PROFILE=1 (record the server with JFR during throughput; summary in bench/results/loadtest-parley-profile.txt),
#   AUDIO=K (K participants also stream PCM to /ws/audio during throughput),
#   PARLEY_BUILD_DIR (target). Extra options go to every loadtest run (e.g. --transport raw).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-all}"
shift || true
case "$scenario" in
  all|capacity|throughput|socketio) ;;
  *) echo "usage: bench/loadtest.sh [all|capacity|throughput|socketio] [loadtest options...]" >&2; exit 2 ;;
esac
build="${PARLEY_BUILD_DIR:-target}"
jar="$build/parley.jar"
XMX="${XMX:-1g}"
CAP_SOCKETS="${CAP_SOCKETS:-10000}"
RATES="${RATES:-200,1000,2000}"
DURATION="${DURATION:-20}"
mkdir -p bench/results

# Each socket is a file descriptor on both sides; the default soft limit (often 1024) is too low.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "[loadtest] open-file limit $(ulimit -n); load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$(ulimit -n)" -lt $((CAP_SOCKETS + 2000)) ]; then
  echo "[loadtest] warning: open-file limit $(ulimit -n) is below $((CAP_SOCKETS + 2000)); raise the hard limit (ulimit -Hn) for the capacity run" >&2
fi

if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]; then
  echo "[loadtest] building $jar"
  mvn -B -q -Dparley.buildDir="$build" package -DskipTests
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

server_pid=""
server_dir=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
  if [ -n "$server_dir" ]; then rm -rf "$server_dir"; server_dir=""; fi
}
# the run uses a copy of the jar, so that a rebuild meanwhile cannot pull classes from under it
run_jar="$(mktemp /tmp/parley-loadtest-XXXXXX.jar)"
cp "$jar" "$run_jar"
trap 'stop_server; rm -f "$run_jar"' EXIT

start_parley() { # $1: extra JVM options. A start that fails (a busy machine, a port taken meanwhile) is retried once.
  start_parley_once "${1:-}" || { echo "[loadtest] retrying the server start" >&2; stop_server; start_parley_once "${1:-}"; } \
    || { echo "[loadtest] the server did not start" >&2; exit 1; }
}

start_parley_once() {
  server_dir="$(mktemp -d /tmp/parley-load-XXXXXX)"
  port="$(free_port)"
  # shellcheck disable=SC2086
  PARLEY_HTTP_PORT="$port" PARLEY_DATA_DIR="$server_dir" PARLEY_HTTP_HOST=127.0.0.1 \
  PARLEY_CHAT_RATEPERSECOND=1000000 PARLEY_CHAT_BURST=1000000 PARLEY_AI_TRANSLATION_PROVIDER=none \
    java -Xmx"$XMX" ${1:-} -jar "$run_jar" >"$server_dir/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
      echo "[loadtest] parley (pid $server_pid, -Xmx$XMX) ready on port $port"
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { echo "[loadtest] server died:" >&2; tail -20 "$server_dir/server.log" >&2; return 1; }
    sleep 0.5
  done
  echo "[loadtest] server not ready after 120 s" >&2; tail -20 "$server_dir/server.log" >&2; return 1
}

start_socketio() {
  server_dir=""
  [ -d bench/peers/node_modules/socket.io ] || npm ci --prefix bench/peers --no-audit --no-fund --loglevel=error >&2
  port="$(free_port)"
  PORT="$port" node bench/peers/socketio-server.js >/tmp/socketio-peer.log 2>&1 &
  server_pid=$!
  for _ in $(seq 1 60); do
    grep -q listening /tmp/socketio-peer.log 2>/dev/null && { echo "[loadtest] socket.io peer (pid $server_pid) on port $port"; return 0; }
    sleep 0.25
  done
  echo "[loadtest] socket.io peer did not start" >&2; cat /tmp/socketio-peer.log >&2; exit 1
}

loadtest() { # the client gets its own 512 MiB heap; it shares the machine's two cores with the server
  local helpers=""
  # the embedded PostgreSQL daemonises (its parent is not the JVM): count its CPU as the server's
  [ -n "$server_dir" ] && [ -f "$server_dir/pg/postmaster.pid" ] && helpers="--helper-pids $(head -1 "$server_dir/pg/postmaster.pid")"
  # shellcheck disable=SC2086
  java -Xmx512m -cp "$run_jar" loadtest.LoadTest --url "http://127.0.0.1:$port" --server-pid "$server_pid" $helpers "$@"
}

hot_frames() { # $1: a JFR file -> $1 minus .jfr plus -profile.txt: where the server's CPU went
  local out="${1%.jfr}-profile.txt"
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$1" | python3 -c '
import re, sys, collections
stacks = [[re.sub(r"\(.*", "", re.sub(r"\s+line:.*", "", l.strip())) for l in m.group(1).split("\n")]
          for m in re.finditer(r"stackTrace = \[\n(.*?)\n\s*\]", sys.stdin.read(), re.S)]
total = max(1, len(stacks))
inclusive, leaf = collections.Counter(), collections.Counter()
for frames in stacks:
    leaf[frames[0]] += 1
    for f in set(frames):
        inclusive[f] += 1
print(f"{len(stacks)} execution samples (JFR, profile settings)")
print("\nInclusive share, selected frames (Parley code, the SockJS bridge, the event bus, content safety, SQL):")
interesting = re.compile(r"^(handlers|verticles|data|security|telemetry|ai)\.|EventBusBridgeImpl\.(deliverMessage|checkMatches|checkCallHook)|SockJSSession\.writePendingMessages|JsonCodec\.encode|JsonObject\.(encode|copy)|MessageImpl\.copyBeforeReceive|WebSocketImplBase\.writeFrame|VertxEventBusMetrics\.|PgSocketConnection\.handleMessage|EventBusImpl\.publish$")
for frame, n in inclusive.most_common():
    if interesting.search(frame) and n * 200 >= total:
        print(f"{100 * n / total:5.1f}%  {frame}")
print("\nHottest leaf frames:")
for frame, n in leaf.most_common(20):
    print(f"{100 * n / total:5.1f}%  {frame}")
' > "$out"
  echo "[loadtest] server profile: $out"
  head -40 "$out"
}

if [ "$scenario" = all ] || [ "$scenario" = capacity ]; then
  start_parley ""
  loadtest --sockets "$CAP_SOCKETS" --meetings 100 --rate 100 --duration 10 --ramp 500 --loops 2 \
    --out bench/results/loadtest-capacity.json --label "capacity, -Xmx$XMX" "$@"
  stop_server
fi
if [ "$scenario" = all ] || [ "$scenario" = throughput ]; then
  jvm=""
  [ "${PROFILE:-}" = 1 ] && jvm="-XX:StartFlightRecording=filename=bench/results/loadtest-parley.jfr,settings=profile"
  start_parley "$jvm"
  loadtest --sockets 1000 --meetings 10 --rate "$RATES" --prime 15 --duration "$DURATION" --audio "${AUDIO:-0}" \
    --out bench/results/loadtest-parley.json --label "throughput, -Xmx$XMX" "$@"
  stop_server
  [ "${PROFILE:-}" = 1 ] && hot_frames bench/results/loadtest-parley.jfr
fi
if [ "$scenario" = all ] || [ "$scenario" = socketio ]; then
  start_socketio
  loadtest --target socketio --sockets "$CAP_SOCKETS" --meetings 100 --rate 100 --duration 10 --ramp 500 \
    --out bench/results/loadtest-socketio-capacity.json --label "capacity, node $(node --version)" "$@"
  stop_server
  start_socketio
  loadtest --target socketio --sockets 1000 --meetings 10 --rate "$RATES" --prime 15 --duration "$DURATION" \
    --out bench/results/loadtest-socketio.json --label "throughput, node $(node --version)" "$@"
  stop_server
fi
