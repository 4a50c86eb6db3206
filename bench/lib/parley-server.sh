# Sourced by the bench scripts: start and stop a Parley server from a jar on its embedded defaults
# (a temporary data folder, loopback, a free port, the per-socket chat limit raised, translation off).
# Sets: port, server_pid, server_dir. Needs: XMX. Log lines are prefixed with $bench_name.
# $server_env (words NAME=value) is added to the server's environment, e.g. a setting to switch off.
bench_name="${bench_name:-bench}"

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
  # the last server's log stays for a look after the run
  if [ -n "$server_dir" ]; then cp "$server_dir/server.log" "/tmp/parley-$bench_name-last-server.log" 2>/dev/null || true; rm -rf "$server_dir"; server_dir=""; fi
}

start_parley() { # $1: extra JVM options, $2: the jar. A start that fails (a busy machine, a port taken meanwhile) is retried once.
  start_parley_once "${1:-}" "$2" || { echo "[$bench_name] retrying the server start" >&2; stop_server; start_parley_once "${1:-}" "$2"; } \
    || { echo "[$bench_name] the server did not start" >&2; exit 1; }
}

start_parley_once() {
  server_dir="$(mktemp -d /tmp/parley-load-XXXXXX)"
  port="$(free_port)"
  # shellcheck disable=SC2086
  env PARLEY_HTTP_PORT="$port" PARLEY_DATA_DIR="$server_dir" PARLEY_HTTP_HOST=127.0.0.1 \
  PARLEY_CHAT_RATEPERSECOND=1000000 PARLEY_CHAT_BURST=1000000 PARLEY_AI_TRANSLATION_PROVIDER=none ${server_env:-} \
    "${server_java:-java}" -Xmx"$XMX" ${1:-} -jar "$2" >"$server_dir/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do
    if curl -fsS -m 3 "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
      echo "[$bench_name] parley $(basename "$2")${server_env:+ with $server_env} (pid $server_pid, -Xmx$XMX, $("${server_java:-java}" -version 2>&1 | head -1)) ready on port $port"
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { echo "[$bench_name] server died:" >&2; tail -20 "$server_dir/server.log" >&2; return 1; }
    sleep 0.5
  done
  echo "[$bench_name] server not ready after 120 s" >&2; tail -20 "$server_dir/server.log" >&2; return 1
}

# The embedded PostgreSQL daemonises (its parent is not the JVM): its postmaster's pid, to count its CPU as the server's.
postgres_pid() { [ -n "$server_dir" ] && [ -f "$server_dir/pg/postmaster.pid" ] && head -1 "$server_dir/pg/postmaster.pid"; }
