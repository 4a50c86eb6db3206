#!/usr/bin/env bash
# Bridge load test: starts a server on its embedded defaults (temp data dir, -Xmx$XMX, chat rate
# limits raised), drives it with loadtest.LoadTest from the same jar, prints the figures and writes
# bench/results/loadtest-*.json. Then the same against the Socket.IO peer (bench/peers).
#
# Usage: bench/loadtest.sh [all|capacity|throughput|socketio|compare|cluster] [extra loadtest options...]
#   capacity    10,000 bridge sockets in 100 meetings: sockets held, server heap and RSS per socket (JVM_OPTS apply)
#   throughput  1,000 sockets in 10 meetings at 200, 1000 and 2000 msg/s (20k, 100k, 200k deliveries/s offered)
#   socketio    both of the above against the Socket.IO peer
#   compare     A/B in one run: throughput against $BASE_JAR (another build, "before"; this one when only
#               BASE_ENV is given), with $BASE_ENV (settings, e.g. PARLEY_CHAT_MAXROWSPERCOMMIT=1) in its
#               environment, then this build, then the Socket.IO peer; one table of all three
#               (bench/results/loadtest-compare-*.json)
#   cluster     throughput through two clustered nodes (Hazelcast on loopback, node 1's embedded PostgreSQL
#               and Redis shared), each meeting's sockets split between them; then the Socket.IO peer;
#               one table (bench/results/loadtest-cluster-*.json)
#   all         capacity, throughput and socketio (the default)
# Every run that measured throughput ends with one table of every system it ran, side by side.
# Environment: XMX (server heap, 1g), CAP_SOCKETS (10000), RATES (200,1000,2000), DURATION (20), PRIME (45) and
#   PRIME_MAX (120): seconds at the first rate before the stages, and how long that goes on while the server's JIT is busy,
#   PROFILE=1 (record the server with JFR during throughput; summary in bench/results/loadtest-parley-profile.txt),
#   BASE_JAR (the "before" jar for compare), BASE_JVM_OPTS and JVM_OPTS (the server's JVM flags in compare's
#   "before" and "after" runs, e.g. JVM_OPTS=-XX:+UseZGC; the load generator's stay its own), BASE_JAVA and JAVA (the
#   server's java in those runs, e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; default: java on PATH), PIN=1 (pin the server to core 0 and the load generator to core 1 with taskset),
#   AUDIO=K (K participants also stream PCM to /ws/audio during throughput),
#   PARLEY_BUILD_DIR (target). Extra options go to every loadtest run (e.g. --transport raw).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-all}"
shift || true
case "$scenario" in
  all|capacity|throughput|socketio|compare|cluster) ;;
  *) echo "usage: bench/loadtest.sh [all|capacity|throughput|socketio|compare|cluster] [loadtest options...]" >&2; exit 2 ;;
esac
if [ "$scenario" = compare ] && [ -z "${BASE_ENV:-}${JVM_OPTS:-}${BASE_JVM_OPTS:-}${JAVA:-}${BASE_JAVA:-}" ] && [ ! -f "${BASE_JAR:-}" ]; then
  echo "bench/loadtest.sh compare needs BASE_JAR=<the jar to compare with> (e.g. one built from main), BASE_ENV=<settings>, JVM_OPTS=<flags> and/or JAVA=<another java>" >&2; exit 2
fi
bench_name=loadtest
server_cpus="" client_cpus=""
if [ "${PIN:-}" = 1 ]; then server_cpus="taskset -c 0"; client_cpus="taskset -c 1"; fi
build="${PARLEY_BUILD_DIR:-target}"
jar="$build/parley.jar"
XMX="${XMX:-1g}"
CAP_SOCKETS="${CAP_SOCKETS:-10000}"
RATES="${RATES:-200,1000,2000}"
DURATION="${DURATION:-20}"
# unreported seconds at the first rate before the stages, longer while the server's JIT is still compiling (see --prime-max)
PRIME="${PRIME:-45}"
PRIME_MAX="${PRIME_MAX:-120}"
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

# shellcheck source=bench/lib/parley-server.sh
. bench/lib/parley-server.sh
# the run uses a copy of the jar, so that a rebuild meanwhile cannot pull classes from under it
run_jar="$(mktemp /tmp/parley-loadtest-XXXXXX.jar)"
cp "$jar" "$run_jar"
base_jar=""
if [ -n "${BASE_JAR:-}" ]; then base_jar="$(mktemp /tmp/parley-loadtest-base-XXXXXX.jar)"; cp "$BASE_JAR" "$base_jar"; fi
[ -z "$base_jar" ] && base_jar="$run_jar"
trap 'stop_node2; stop_server; rm -f "$run_jar" "$base_jar"' EXIT

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
  local helpers="" pg
  pg="$(postgres_pid || true)"
  [ -n "$pg" ] && helpers="--helper-pids $pg${node2_pid:+,$node2_pid}"
  # shellcheck disable=SC2086
  $client_cpus java -Xmx512m -cp "$run_jar" loadtest.LoadTest --url "http://127.0.0.1:$port${node2_port:+,http://127.0.0.1:$node2_port}" \
    --server-pid "$server_pid" $helpers "$@"
}

node2_pid="" node2_port="" node2_dir=""
stop_node2() {
  if [ -n "$node2_pid" ]; then
    kill -TERM "$node2_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$node2_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$node2_pid" 2>/dev/null || true
    cp "$node2_dir/server.log" "/tmp/parley-$bench_name-last-node2.log" 2>/dev/null || true
    rm -rf "$node2_dir"
  fi
  node2_pid="" node2_port="" node2_dir=""
}

# Two nodes of one cluster: node 1 on its embedded defaults (its PostgreSQL and Redis), node 2 on
# node 1's PostgreSQL and Redis and a Janus port of its own (two managed Janus on one host cannot
# share 8188); Hazelcast on loopback; one development signing key for both.
cluster_throughput() { # $1: jar, $2: report file; extra loadtest options follow
  local jar="$1" out="$2" hz1 hz2 members key_dir pg_port redis_port cluster_env
  shift 2
  key_dir="$(mktemp -d /tmp/parley-cluster-key-XXXXXX)"
  hz1="$(free_port)"; hz2="$(free_port)"; members="127.0.0.1:$hz1,127.0.0.1:$hz2"
  cluster_env="PARLEY_CLUSTER_ENABLED=true PARLEY_CLUSTER_HOST=127.0.0.1 PARLEY_CLUSTER_MEMBERS=$members PARLEY_AUTH_MODE=dev PARLEY_AUTH_DEV_KEY_FILE=$key_dir/dev-issuer-key.pem"
  server_env="$cluster_env PARLEY_CLUSTER_PORT=$hz1" start_parley "" "$jar"
  pg_port="$(grep -o 'Embedded PostgreSQL ready on 127.0.0.1:[0-9]*' "$server_dir/server.log" | head -1 | sed 's/.*://')"
  redis_port="$(grep -o 'Embedded Redis ready on 127.0.0.1:[0-9]*' "$server_dir/server.log" | head -1 | sed 's/.*://')"
  [ -n "$pg_port" ] && [ -n "$redis_port" ] || { echo "[loadtest] node 1's PostgreSQL and Redis ports are not in its log" >&2; exit 1; }
  node2_dir="$(mktemp -d /tmp/parley-load-node2-XXXXXX)"
  node2_port="$(free_port)"
  # shellcheck disable=SC2086
  env PARLEY_HTTP_PORT="$node2_port" PARLEY_DATA_DIR="$node2_dir" PARLEY_HTTP_HOST=127.0.0.1 \
    PARLEY_CHAT_RATEPERSECOND=1000000 PARLEY_CHAT_BURST=1000000 PARLEY_AI_TRANSLATION_PROVIDER=none $cluster_env \
    PARLEY_CLUSTER_PORT="$hz2" PARLEY_MEDIA_JANUS_PORT="$(free_port)" PARLEY_DB_URL="postgresql://postgres:postgres@127.0.0.1:$pg_port/postgres" \
    PARLEY_REDIS_URL="redis://127.0.0.1:$redis_port" java -Xmx"$XMX" -jar "$jar" >"$node2_dir/server.log" 2>&1 &
  node2_pid=$!
  for _ in $(seq 1 240); do
    curl -fsS -m 3 "http://127.0.0.1:$node2_port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$node2_pid" 2>/dev/null || { echo "[loadtest] node 2 died:" >&2; tail -20 "$node2_dir/server.log" >&2; exit 1; }
    sleep 0.5
  done
  grep -q "Joined cluster .*: 2 member" "$node2_dir/server.log" \
    || { echo "[loadtest] node 2 did not join node 1's cluster:" >&2; grep -i "cluster" "$node2_dir/server.log" >&2; exit 1; }
  echo "[loadtest] node 2 (pid $node2_pid) ready on port $node2_port, on node 1's PostgreSQL :$pg_port and Redis :$redis_port"
  loadtest --sockets 1000 --meetings 10 --rate "$RATES" --prime "$PRIME" --prime-max "$PRIME_MAX" --duration "$DURATION" \
    --out "$out" --label "two clustered nodes, -Xmx$XMX each" "$@"
  stop_node2
  stop_server
  rm -rf "$key_dir"
  throughput_runs+=("$out=Parley, 2 nodes")
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

throughput_runs=() # "file=label" for the closing table

pin_server() { # the server, its children (Redis) and the embedded PostgreSQL with its backends, on core 0
  local p pg pids=("$server_pid")
  pids+=($(pgrep -P "$server_pid" || true))
  pg="$(postgres_pid || true)"
  if [ -n "$pg" ]; then pids+=("$pg" $(pgrep -P "$pg" || true)); fi
  for p in "${pids[@]}"; do
    # never init or kthreadd: every process started after would inherit core 0 (this script once
    # pinned init through "pgrep -P 0" when PostgreSQL's pid was not found, and the machine ran
    # everything, CI included, on one core from then on)
    [ "$p" -gt 2 ] 2>/dev/null || continue
    taskset -a -cp 0 "$p" >/dev/null 2>&1 || true
  done
}

java_version() { # $1: a java binary -> e.g. "Java 17.0.15"
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = /Java /p' | head -1
}

parley_throughput() { # $1: jar, $2: report file, $3: label; extra loadtest options follow
  local jar="$1" out="$2" label="$3" jvm="${server_jvm:-}"
  shift 3
  [ "${PROFILE:-}" = 1 ] && jvm="$jvm -XX:StartFlightRecording=filename=${out%.json}.jfr,settings=profile"
  start_parley "$jvm" "$jar"
  [ -n "$server_cpus" ] && pin_server
  loadtest --sockets 1000 --meetings 10 --rate "$RATES" --prime "$PRIME" --prime-max "$PRIME_MAX" --duration "$DURATION" --audio "${AUDIO:-0}" \
    --out "$out" --label "$label, -Xmx$XMX${server_jvm:+ $server_jvm}${PIN:+, pinned}" "$@"
  stop_server
  [ "${PROFILE:-}" = 1 ] && hot_frames "${out%.json}.jfr"
  throughput_runs+=("$out=$label")
}

socketio_throughput() { # $1: report file; extra loadtest options follow
  local out="$1"
  shift
  start_socketio
  [ -n "$server_cpus" ] && pin_server
  loadtest --target socketio --sockets 1000 --meetings 10 --rate "$RATES" --prime "$PRIME" --prime-max "$PRIME_MAX" --duration "$DURATION" \
    --out "$out" --label "throughput, node $(node --version)${PIN:+, pinned}" "$@"
  stop_server
  throughput_runs+=("$out=Socket.IO 4.8 peer")
}

# One table of every throughput run above: the rows side by side, per offered rate.
closing_table() {
  [ "${#throughput_runs[@]}" -gt 0 ] || return 0
  python3 - "${throughput_runs[@]}" <<'PY'
import json, sys
runs = [a.split("=", 1)[::-1] for a in sys.argv[1:]]
reports = [(label, json.load(open(path))) for label, path in runs]
print("\n[loadtest] throughput, side by side (server cores include its PostgreSQL and Redis)")
print("| offered deliveries/s | system | delivered/s (%) | fan-out p50 / p99 ms | server cores (PostgreSQL) | deliveries per server core-s | generator cores | load average |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
rates = sorted({s["rate"] for _, r in reports for s in r.get("stages", []) if "deliveriesPerSecond" in s})
for rate in rates:
    for label, r in reports:
        for s in r.get("stages", []):
            if s.get("rate") != rate or "deliveriesPerSecond" not in s:
                continue
            lat = s.get("fanOutLatencyMs", {})
            each = s.get("serverHelperCoresEach")
            pg = each[0] if each else s.get("serverHelperCores")  # the first helper is the PostgreSQL
            print(f"| {s['offeredDeliveriesPerSecond']:,} | {label} | {s['deliveriesPerSecond']:,} ({100 * s['deliveredRatio']:.1f}%) "
                  f"| {lat.get('p50', 0):.1f} / {lat.get('p99', 0):.1f} | {s.get('serverCores', 0):.2f}"
                  f"{'' if pg is None else f' ({pg:.2f})'} | {s.get('deliveriesPerServerCoreSecond', 0):,} "
                  f"| {s.get('clientCores', 0):.2f} | {s.get('loadAverageAtStart')} -> {s.get('loadAverageAtEnd')} |")
PY
}

if [ "$scenario" = all ] || [ "$scenario" = capacity ]; then
  start_parley "${JVM_OPTS:-}" "$run_jar"
  loadtest --sockets "$CAP_SOCKETS" --meetings 100 --rate 100 --duration 10 --ramp 500 --loops 2 \
    --out bench/results/loadtest-capacity.json --label "capacity, -Xmx$XMX${JVM_OPTS:+ $JVM_OPTS}" "$@"
  stop_server
fi
if [ "$scenario" = compare ]; then
  server_env="${BASE_ENV:-}" server_jvm="${BASE_JVM_OPTS:-}" server_java="${BASE_JAVA:-java}" parley_throughput "$base_jar" bench/results/loadtest-compare-base.json \
    "Parley before ($(basename "${BASE_JAR:-this build}")${BASE_ENV:+, $BASE_ENV}${BASE_JVM_OPTS:+, $BASE_JVM_OPTS}, $(java_version "${BASE_JAVA:-java}"))" "$@"
  server_jvm="${JVM_OPTS:-}" server_java="${JAVA:-java}" parley_throughput "$run_jar" bench/results/loadtest-compare-parley.json \
    "Parley (SockJS${JVM_OPTS:+, $JVM_OPTS}, $(java_version "${JAVA:-java}"))" "$@"
  socketio_throughput bench/results/loadtest-compare-socketio.json "$@"
fi
if [ "$scenario" = cluster ]; then
  parley_throughput "$run_jar" bench/results/loadtest-cluster-one.json "Parley, 1 node" "$@"
  cluster_throughput "$run_jar" bench/results/loadtest-cluster-two.json "$@"
  socketio_throughput bench/results/loadtest-cluster-socketio.json "$@"
fi
if [ "$scenario" = all ] || [ "$scenario" = throughput ]; then
  parley_throughput "$run_jar" bench/results/loadtest-parley.json "Parley (SockJS)" "$@"
fi
if [ "$scenario" = all ] || [ "$scenario" = socketio ]; then
  start_socketio
  loadtest --target socketio --sockets "$CAP_SOCKETS" --meetings 100 --rate 100 --duration 10 --ramp 500 \
    --out bench/results/loadtest-socketio-capacity.json --label "capacity, node $(node --version)" "$@"
  stop_server
  socketio_throughput bench/results/loadtest-socketio.json "$@"
fi
closing_table
