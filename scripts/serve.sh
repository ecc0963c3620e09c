#!/usr/bin/env bash
# Serves the app at http://127.0.0.1:8080 with the local WebSocket test server at
# ws://127.0.0.1:9001 beside it, and the Socket.IO (9002), JSON-RPC (ws://127.0.0.1:9003/rpc) and
# GraphQL (ws://127.0.0.1:9004/graphql, legacy ws://127.0.0.1:9005/legacy) servers and the MQTT
# broker (mosquitto, ws://127.0.0.1:9006) and the STOMP broker (RabbitMQ, ws://127.0.0.1:9007/ws)
# the tests use, and the relay (ws://127.0.0.1:9797), already paired: the address it prints opens
# the page with the relay's token. Installs what is missing first. Ctrl+C stops
# them all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/setup.sh"

cargo build --locked -p wsprobe-test-server -p wsprobe-cli
target/debug/wsprobe-test-server --port "${WSPROBE_TEST_SERVER_PORT:-9001}" &
server_pid=$!
page="http://127.0.0.1:${WSPROBE_PORT:-8080}/"
relay_log=$(mktemp)
target/debug/wsprobe relay --port "${WSPROBE_RELAY_PORT:-9797}" --page "$page" >"$relay_log" &
relay_pid=$!
WSPROBE_SOCKETIO_PORT="${WSPROBE_SOCKETIO_PORT:-9002}" WSPROBE_JSONRPC_PORT="${WSPROBE_JSONRPC_PORT:-9003}" \
  WSPROBE_GRAPHQL_PORT="${WSPROBE_GRAPHQL_PORT:-9004}" WSPROBE_GRAPHQL_LEGACY_PORT="${WSPROBE_GRAPHQL_LEGACY_PORT:-9005}" \
  WSPROBE_MQTT_PORT="${WSPROBE_MQTT_PORT:-9006}" WSPROBE_STOMP_PORT="${WSPROBE_STOMP_PORT:-9007}" \
  node e2e/servers/protocols.mjs &
protocols_pid=$!
trap 'kill $server_pid $protocols_pid $relay_pid 2>/dev/null || true; rm -f "$relay_log"' EXIT

# The relay prints the link that pairs the page; without it (its port taken), the page alone.
for _ in $(seq 50); do grep -q '#relay=' "$relay_log" && break; kill -0 $relay_pid 2>/dev/null || break; sleep 0.1; done
link=$(grep -o 'http://[^ ]*#relay=[^ ]*' "$relay_log" || true)
echo
if [ -n "$link" ]; then
  echo "wsprobe: open $link"
  echo "         (paired with the relay; the URL field starts on the echo endpoint)"
else
  echo "wsprobe: open $page (the relay did not start; the URL field starts on the echo endpoint)"
fi
trunk serve --offline --release --address 127.0.0.1 --port "${WSPROBE_PORT:-8080}"
