#!/bin/bash
# Writes Janus's configuration from the environment, then runs Janus in the foreground.
#   JANUS_API_SECRET     required: every API request must carry it (Parley's media.janus.apiSecret)
#   JANUS_ADMIN_KEY      required: VideoRoom's admin_key, needed to create rooms (media.janus.adminKey)
#   JANUS_RTP_PORT_RANGE UDP ports for media (default 20000-20199; publish the same range)
#   JANUS_NAT_1_1_MAPPING the address browsers reach this host at (its public IP); host candidates are rewritten to it
#   JANUS_STUN_SERVER    optional host:port, for Janus to learn its public address itself
#   JANUS_DEBUG_LEVEL    0-7 (default 3)
#   JANUS_WS_PORT        the API's WebSocket port (default 8188)
set -euo pipefail
: "${JANUS_API_SECRET:?set JANUS_API_SECRET}"
: "${JANUS_ADMIN_KEY:?set JANUS_ADMIN_KEY}"
range="${JANUS_RTP_PORT_RANGE:-20000-20199}"
conf="${JANUS_CONFIG_DIR:-/var/lib/janus/conf}"
lib=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/janus
[ -d "$lib" ] || lib=$(dirname "$(dirname "$(ls /usr/lib/*/janus/plugins/libjanus_videoroom.so | head -1)")")
mkdir -p "$conf"
umask 077
others() { # every .so in $1 but $2, comma-separated
  (cd "$1" && ls -1 ./*.so | sed 's#^\./##' | grep -vx "$2" | paste -sd, -)
}
nat=""
if [ -n "${JANUS_NAT_1_1_MAPPING:-}" ]; then
  nat="nat_1_1_mapping = \"${JANUS_NAT_1_1_MAPPING}\"
	keep_private_host = false"
fi
stun=""
if [ -n "${JANUS_STUN_SERVER:-}" ]; then
  stun="stun_server = \"${JANUS_STUN_SERVER%:*}\"
	stun_port = ${JANUS_STUN_SERVER##*:}"
fi
cat > "$conf/janus.jcfg" <<CFG
general: {
	configs_folder = "$conf"
	plugins_folder = "$lib/plugins"
	transports_folder = "$lib/transports"
	events_folder = "$lib/events"
	loggers_folder = "$lib/loggers"
	debug_level = ${JANUS_DEBUG_LEVEL:-3}
	server_name = "parley-janus"
	api_secret = "${JANUS_API_SECRET}"
	session_timeout = 60
	reclaim_session_timeout = 0
}
certificates: {
}
media: {
	rtp_port_range = "$range"
}
nat: {
	nice_debug = false
	$nat
	$stun
	ice_ignore_list = "vmnet"
}
plugins: {
	disable = "$(others "$lib/plugins" libjanus_videoroom.so)"
}
transports: {
	disable = "$(others "$lib/transports" libjanus_websockets.so)"
}
loggers: {
	disable = "libjanus_jsonlog.so"
}
events: {
	broadcast = false
}
CFG
cat > "$conf/janus.transport.websockets.jcfg" <<CFG
general: {
	json = "compact"
	ws = true
	ws_port = ${JANUS_WS_PORT:-8188}
	wss = false
}
admin: {
	admin_ws = false
	admin_wss = false
}
CFG
cat > "$conf/janus.plugin.videoroom.jcfg" <<CFG
general: {
	admin_key = "${JANUS_ADMIN_KEY}"
	lock_rtp_forward = true
	string_ids = false
}
CFG
exec janus -C "$conf/janus.jcfg" -F "$conf" -o
