#!/usr/bin/env bash
# The compose stack, built and run for real: builds every image of docker-compose.yml, brings the
# stack up with docker-compose against podman, checks it through its published ports, takes it
# down, and prints one summary line. `.ci/run` calls it after the Maven tests; run it as root:
#
#   docker/stack-test.sh                # build what is missing, then up, check, down
#   docker/stack-test.sh --images-only  # only build (and cache) the images
#
# `.ci/run` builds the images with --images-only while the Maven tests run (downloads, mostly),
# then runs the stack on them once the tests have passed.
#
# Needs podman, runc, debootstrap, docker-compose (v1), python3, curl and Java 17 (Debian:
# apt-get install podman runc netavark aardvark-dns iptables debootstrap docker-compose), and no registry:
# every image is built here, FROM a Debian base made with debootstrap from the mirror apt uses
# (docker/local/debian-base.sh). Grafana and Jaeger, which have no Debian, npm or Maven source, are
# left out of the copy of the compose file it runs (docker/local/compose-ci.py says what differs).
#
# Cached between runs, keyed by the files they come from: the base tarball (in
# $PARLEY_STACK_CACHE, default /var/cache/parley-stack-test) and the images (tagged with the key).
# Bounded: the whole run by PARLEY_STACK_TIMEOUT seconds (default 1500), each step by its own
# limit; what it started is removed whether it passes or fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
IMAGES_ONLY=
case "${1:-}" in
  --images-only) IMAGES_ONLY=1 ;;
  "") ;;
  *) echo "usage: $0 [--images-only]" >&2; exit 2 ;;
esac
LIMIT=${PARLEY_STACK_TIMEOUT:-1500}
if [ -z "${PARLEY_STACK_BOUNDED:-}" ]; then
  export PARLEY_STACK_BOUNDED=1
  # TERM to the whole run at the limit (the cleanup below then runs), KILL two minutes later.
  exec timeout -k 120 "$LIMIT" "$0" "$@"
fi

CACHE=${PARLEY_STACK_CACHE:-/var/cache/parley-stack-test}
PROJECT=${PARLEY_STACK_PROJECT:-parleystack}
REPO=localhost/parley-local
STARTED=$(date +%s)
WORK=$(mktemp -d /tmp/parley-stack.XXXXXX)
COMPOSE_FILE_CI=$WORK/docker-compose.ci.yml
PHASE=setup
SUMMARY=()
SERVICE_PID=
HEALTH_PID=
STACK_UP=

log() { echo "[stack] $*"; }
fail() { log "FAILED: $*"; exit 1; }
now() { date +%s; }
compose() { docker-compose -p "$PROJECT" -f "$COMPOSE_FILE_CI" "$@"; }
project_leftovers() {
  local filter=label=com.docker.compose.project=$PROJECT
  { podman ps -aq --filter "$filter"; podman volume ls -q --filter "$filter"; podman network ls -q --filter "$filter"; } 2>/dev/null
}

descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  # What this run still has running (builds, the health-check loop, docker-compose), by process
  # id; the podman service stays until the stack is down.
  local running keep pid alive
  running=$(descendants "$$")
  keep=" ${SERVICE_PID} $( [ -n "$SERVICE_PID" ] && descendants "$SERVICE_PID" | tr '\n' ' ') "
  for pid in $running; do
    [[ "$keep" == *" $pid "* ]] || kill -TERM "$pid" 2>/dev/null
  done
  for _ in $(seq 1 60); do
    alive=
    for pid in $running; do
      [[ "$keep" == *" $pid "* ]] || ! kill -0 "$pid" 2>/dev/null || alive=1
    done
    [ -z "$alive" ] && break
    sleep 0.5
  done
  if [ -n "$STACK_UP" ]; then
    if [ "$rc" != 0 ]; then
      log "the stack when it failed:"
      podman ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '  {{.Names}}  {{.Status}}'
      for c in $(podman ps -aq --filter "label=com.docker.compose.project=$PROJECT"); do
        echo "---- $(podman inspect -f '{{.Name}}' "$c"): last lines of its log"
        podman logs --tail 25 "$c" 2>&1 | sed 's/^/  /'
      done
    fi
    timeout --foreground 180 docker-compose -p "$PROJECT" -f "$COMPOSE_FILE_CI" down -v --remove-orphans >/dev/null 2>&1
  fi
  # Whatever of this project is still there (a step that failed half-way), by its label.
  local filter=label=com.docker.compose.project=$PROJECT
  podman ps -aq --filter "$filter" | xargs -r podman rm -f -t 10 >/dev/null 2>&1
  podman volume ls -q --filter "$filter" | xargs -r podman volume rm -f >/dev/null 2>&1
  podman network ls -q --filter "$filter" | xargs -r podman network rm -f >/dev/null 2>&1
  # And the working containers of builds that were interrupted, FROM this run's images.
  podman ps -a --external --format '{{.ID}} {{.Image}}' | awk -v r="$REPO/" 'index($2, r) == 1 { print $1 }' \
    | xargs -r podman rm -f >/dev/null 2>&1
  if [ -n "$SERVICE_PID" ]; then
    kill "$SERVICE_PID" 2>/dev/null
    wait "$SERVICE_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
  local total=$(( $(now) - STARTED ))
  if [ "$rc" = 0 ]; then
    log "PASS: ${SUMMARY[*]}; total ${total} s"
  else
    log "FAIL in ${PHASE} (exit ${rc}) after ${total} s: ${SUMMARY[*]:-nothing done}"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

# ---- what it needs ------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || fail "run as root (rootful podman)"
missing=()
for tool in podman runc iptables debootstrap docker-compose python3 curl java; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -x /usr/lib/podman/netavark ] && [ -x /usr/lib/podman/aardvark-dns ] || missing+=(netavark aardvark-dns)
[ ${#missing[@]} = 0 ] || fail "missing: ${missing[*]} (Debian: apt-get install podman runc netavark aardvark-dns iptables debootstrap docker-compose)"

# Our own podman configuration, not the machine's: runc (crun fails on this hybrid cgroup setup),
# netavark with DNS between containers, and ulimits the kernel allows (podman's default nofile of
# 1048576 is refused where the hard limit is lower).
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] && nofile=1048576
cat >"$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=32768:32768"]
[engine]
runtime = "runc"
[network]
network_backend = "netavark"
EOF
export CONTAINERS_CONF=$WORK/containers.conf
[ -z "$(project_leftovers)" ] || fail "containers, volumes or networks of project $PROJECT exist already: take them down first"
mkdir -p "$CACHE"

# ---- images -------------------------------------------------------------------------------------
PHASE=build
t0=$(now)
built=0
cached=0

# The key of a set of files: their paths and contents (folders are walked).
key_of() {
  (cd "$ROOT" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12
}

# The mirror apt uses here for a suite (deb822 .sources or one-line .list), else Debian's own.
apt_mirror() {
  local suite=$1 fallback=$2 found
  found=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v s="$suite" '
    /^$/ { if (uri != "" && suites ~ "(^| )" s "( |$)") { print uri; exit } uri = ""; suites = "" }
    /^URIs:/ { uri = $2 } /^Suites:/ { sub(/^Suites: */, ""); suites = $0 }
    END { if (uri != "" && suites ~ "(^| )" s "( |$)") print uri }' | head -1)
  [ -n "$found" ] || found=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk -v s="$suite" '$1 == "deb" && $3 == s { print $2; exit }')
  echo "${found:-$fallback}"
}

# The base: debootstrap's minbase bookworm as a tarball (cached), imported as an image.
mirror=${DEBIAN_MIRROR:-$(apt_mirror bookworm http://deb.debian.org/debian)}
security=${DEBIAN_SECURITY_MIRROR:-$(apt_mirror bookworm-security http://deb.debian.org/debian-security)}
base_key=$( { cat "$ROOT/docker/local/debian-base.sh"; echo "$mirror $security"; } | sha256sum | cut -c1-12)
BASE=$REPO/debian:bookworm-$base_key
tarball=$CACHE/debian-bookworm-minbase-$base_key.tar
if ! podman image exists "$BASE"; then
  if [ ! -s "$tarball" ]; then
    log "debootstrap --variant=minbase bookworm from $mirror (cached afterwards)"
    timeout --foreground 900 "$ROOT/docker/local/debian-base.sh" "$tarball" "$mirror" "$security"
  fi
  podman import -q --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' "$tarball" "$BASE" >/dev/null
  built=$((built + 1))
else
  cached=$((cached + 1))
fi
find "$CACHE" -maxdepth 1 -name 'debian-bookworm-minbase-*.tar' ! -name "${tarball##*/}" -delete

# The images, each tagged $REPO/NAME:KEY with KEY taken from the files it comes from (and the keys
# of the images it is built FROM), and built only when that tag is missing.
declare -A IMAGE
# tag NAME FROM-IMAGES FILES...
tag() { IMAGE[$1]=$REPO/$1:$( { key_of "${@:3}"; echo "$2"; } | sha256sum | cut -c1-12); }
for name in jdk jre postgres redis prometheus coturn; do tag "$name" "$BASE" "docker/local/$name"; done
# Azurite's image takes the pinned npm install of tools/ (the blob-store tests' own) as it is.
tools_in_step() {
  python3 - "$ROOT/tools" <<'PY' 2>/dev/null
import json, sys
lock = json.load(open(sys.argv[1] + "/package-lock.json"))["packages"]
have = json.load(open(sys.argv[1] + "/node_modules/.package-lock.json"))["packages"]
sys.exit(0 if all(have.get(k, {}).get("version") == v.get("version") or v.get("optional")
                  for k, v in lock.items() if k) else 1)
PY
}
if ! tools_in_step; then
  command -v npm >/dev/null || fail "npm is needed once, for npm ci --prefix tools (Azurite)"
  npm ci --prefix "$ROOT/tools" --no-audit --no-fund --loglevel=error
fi
tag azurite "$BASE" docker/local/azurite tools/package.json tools/package-lock.json tools/node_modules/.package-lock.json
tag apertium "$BASE" docker/apertium
tag janus "$BASE" docker/janus
tag parley "${IMAGE[jdk]} ${IMAGE[jre]}" Dockerfile .dockerignore pom.xml src/main

# build NAME CONTEXT DOCKERFILE [podman build options...]
build() {
  local name=$1 context=$2 dockerfile=$3 started
  local tag=${IMAGE[$name]}
  shift 3
  if podman image exists "$tag"; then
    echo cached >>"$WORK/images.status"
    return
  fi
  started=$(now)
  log "building $tag"
  if ! timeout --foreground 1200 podman build --format docker --network host --layers=false --pull=never \
      -f "$dockerfile" -t "$tag" "$@" "$context" >"$WORK/build-$name.log" 2>&1; then
    tail -30 "$WORK/build-$name.log"
    fail "building the $name image (log above)"
  fi
  log "built $name in $(( $(now) - started )) s"
  echo built >>"$WORK/images.status"
}
local_build() {
  build "$1" "${2:-$ROOT/docker/local/$1}" "$ROOT/docker/local/$1/Dockerfile" --build-arg "BASE_IMAGE=$BASE" "${@:3}"
}

# Two lanes at once: Parley (on the JDK/Maven and JRE images) in one, the other services in the other.
(
  local_build jdk
  local_build jre
  # Parley from the project's Dockerfile. Where TLS to Maven Central is intercepted, the host's Java
  # trust store is mounted read-only, for this build only.
  trust=()
  [ -f /etc/ssl/certs/java/cacerts ] && trust=(-v /etc/ssl/certs/java/cacerts:/etc/ssl/certs/java/cacerts:ro)
  build parley "$ROOT" "$ROOT/Dockerfile" --build-arg "BUILD_IMAGE=${IMAGE[jdk]}" \
    --build-arg "RUNTIME_IMAGE=${IMAGE[jre]}" "${trust[@]}"
) &
lane_parley=$!
(
  local_build azurite "$ROOT/tools"
  local_build postgres
  build apertium "$ROOT/docker/apertium" "$ROOT/docker/apertium/Dockerfile" --build-arg "BASE_IMAGE=$BASE"
  build janus "$ROOT/docker/janus" "$ROOT/docker/janus/Dockerfile" --build-arg "BASE_IMAGE=$BASE"
  local_build prometheus
  local_build redis
  local_build coturn
) &
lane_services=$!
lanes_ok=1
wait "$lane_parley" || lanes_ok=
wait "$lane_services" || lanes_ok=
[ -n "$lanes_ok" ] || fail "building the images"
built=$((built + $(grep -c built "$WORK/images.status" || true)))
cached=$((cached + $(grep -c cached "$WORK/images.status" || true)))
# Older builds are not needed any more (twice: an old base goes once the images on it have gone).
printf '%s\n' "$BASE" "${IMAGE[@]}" >"$WORK/images.current"
for _ in 1 2; do
  podman images --format '{{.Repository}}:{{.Tag}}' --filter "reference=$REPO/*" | grep -vxF -f "$WORK/images.current" \
    | xargs -r podman rmi >/dev/null 2>&1 || true
done
SUMMARY+=("build $(( $(now) - t0 )) s ($built built, $cached cached)")
if [ -n "$IMAGES_ONLY" ]; then
  SUMMARY+=("(images only)")
  exit 0
fi

# ---- the compose file it runs --------------------------------------------------------------------
PHASE=compose
for name in "${!IMAGE[@]}"; do echo "$name=${IMAGE[$name]}"; done >"$WORK/images.env"
(cd "$ROOT" && docker-compose -f docker-compose.yml config) >"$WORK/resolved.yml"
python3 "$ROOT/docker/local/compose-ci.py" "$WORK/resolved.yml" "$WORK/images.env" "$COMPOSE_FILE_CI" "$WORK/ports.env"
# shellcheck source=/dev/null
. "$WORK/ports.env"
A=http://127.0.0.1:$PORT_PARLEY_1_8080
B=http://127.0.0.1:$PORT_PARLEY_2_8080
expect=db,redis,blobs,translation,safety,stt

# The checker runs on the image's own jar (Vert.x JSON, the Azure SDK); compiled while the stack starts.
cp "$(podman image mount "${IMAGE[parley]}")/opt/parley/parley.jar" "$WORK/parley.jar"
podman image unmount "${IMAGE[parley]}" >/dev/null
(javac -nowarn -cp "$WORK/parley.jar" -d "$WORK/check" "$ROOT/docker/local/StackCheck.java" >"$WORK/javac.log" 2>&1) &
JAVAC_PID=$!

# ---- up -----------------------------------------------------------------------------------------
PHASE=up
t0=$(now)
# docker-compose v1 talks to podman's Docker-compatible API on a socket of our own.
setsid podman system service --time=0 "unix://$WORK/podman.sock" >"$WORK/podman-service.log" 2>&1 &
SERVICE_PID=$!
export DOCKER_HOST=unix://$WORK/podman.sock COMPOSE_HTTP_TIMEOUT=300
for _ in $(seq 1 100); do
  curl -fsS --unix-socket "$WORK/podman.sock" http://d/_ping >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS --unix-socket "$WORK/podman.sock" http://d/_ping >/dev/null || fail "podman system service did not answer"

# Without systemd podman runs no health checks: this loop does, for as long as the stack is up
# (docker-compose waits on them: depends_on ... condition: service_healthy). Each container is
# probed at its own interval, first one interval after it appears, as Docker's scheduler does;
# probing faster would turn the retries allowed after the start period into seconds.
(
  declare -A due every
  while :; do
    t=$(date +%s)
    for c in $(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" 2>/dev/null); do
      if [ -z "${every[$c]:-}" ]; then
        every[$c]=$(podman inspect -f '{{if .Config.Healthcheck}}{{.Config.Healthcheck.Interval.Seconds}}{{end}}' "$c" 2>/dev/null | cut -d. -f1)
        every[$c]=${every[$c]:-none}
        [ "${every[$c]}" = 0 ] && every[$c]=30   # Docker's default interval
        due[$c]=$((t + ${every[$c]/none/0}))
      fi
      if [ "${every[$c]}" != none ] && [ "$t" -ge "${due[$c]}" ]; then
        podman healthcheck run "$c" >/dev/null 2>&1 || true
        due[$c]=$(( $(date +%s) + ${every[$c]} ))
      fi
    done
    sleep 1
  done
) &
HEALTH_PID=$!

STACK_UP=1
timeout --foreground 420 docker-compose -p "$PROJECT" -f "$COMPOSE_FILE_CI" up -d --no-build 2>&1 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" = 0 ] || fail "docker-compose up"
SUMMARY+=("up $(( $(now) - t0 )) s")

# ---- ready --------------------------------------------------------------------------------------
PHASE=ready
t0=$(now)
ready() {
  curl -fsS -m 5 "$1/health/ready" 2>/dev/null | python3 -c '
import json, sys
r = json.load(sys.stdin)
sys.exit(0 if r["status"] == "ready" and all(c["status"] == "up" for c in r["checks"].values()) else 1)' 2>/dev/null
}
until ready "$A" && ready "$B"; do
  [ $(( $(now) - t0 )) -lt 240 ] || { curl -sS -m 5 "$A/health/ready"; echo; curl -sS -m 5 "$B/health/ready"; echo
    fail "both nodes not ready with every dependency up within 240 s"; }
  sleep 2
done
SUMMARY+=("ready $(( $(now) - t0 )) s")

# ---- checks -------------------------------------------------------------------------------------
PHASE=checks
t0=$(now)
wait "$JAVAC_PID" || { cat "$WORK/javac.log"; fail "compiling docker/local/StackCheck.java"; }
# Only warnings from the libraries the checker uses (logback takes logback-test.xml first).
echo '<configuration><appender name="out" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%level %logger{20} - %msg%n</pattern></encoder></appender><root level="WARN"><appender-ref ref="out"/></root></configuration>' \
  >"$WORK/check/logback-test.xml"
azure=$(python3 -c '
import sys, yaml
env = yaml.safe_load(open(sys.argv[1]))["services"]["parley-1"]["environment"]
print(env["PARLEY_BLOBS_AZURE_CONNECTION_STRING"].replace("http://azurite:10000/", "http://127.0.0.1:" + sys.argv[2] + "/"))' \
  "$COMPOSE_FILE_CI" "$PORT_AZURITE_10000")
timeout --foreground 300 java -cp "$WORK/check:$WORK/parley.jar" StackCheck --a "$A" --b "$B" \
  --prometheus "http://127.0.0.1:$PORT_PROMETHEUS_9090" --azure "$azure" \
  --wav "$ROOT/src/test/resources/audio/fox.wav" --expect "$expect" \
  || fail "the checks through the published ports (above)"

# The replica streams from the primary, and the read pools of both nodes use it (not the primary).
psql_in() { podman exec "$(compose ps -q "$1")" psql -U parley -d parley -Atc "$2"; }
streaming=$(psql_in postgres-primary "select count(*) from pg_stat_replication where state = 'streaming'")
recovery=$(psql_in postgres-replica "select pg_is_in_recovery()")
read_on_replica=$(psql_in postgres-replica \
  "select count(distinct client_addr) from pg_stat_activity where application_name = 'parley-read'")
read_on_primary=$(psql_in postgres-primary "select count(*) from pg_stat_activity where application_name = 'parley-read'")
[ "$streaming" -ge 1 ] && [ "$recovery" = t ] || fail "replication: $streaming streaming senders, replica in recovery: $recovery"
[ "$read_on_replica" = 2 ] && [ "$read_on_primary" = 0 ] \
  || fail "read pools: parley-read sessions from $read_on_replica nodes on the replica, $read_on_primary on the primary"
log "ok   the replica streams (pg_stat_replication), both nodes' parley-read pools are on it and none on the primary"
SUMMARY+=("checks $(( $(now) - t0 )) s")

# ---- down ---------------------------------------------------------------------------------------
PHASE=down
t0=$(now)
timeout --foreground 180 docker-compose -p "$PROJECT" -f "$COMPOSE_FILE_CI" down -v --remove-orphans 2>&1 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" = 0 ] || fail "docker-compose down -v"
STACK_UP=
left=$(project_leftovers | tr '\n' ' ')
[ -z "$left" ] || fail "left after docker-compose down -v: $left"
log "ok   docker-compose down -v left no container, volume or network of the project"
SUMMARY+=("down $(( $(now) - t0 )) s")
