#!/usr/bin/env bash
# Serves the app at http://127.0.0.1:8080 with the local WebSocket test server at
# ws://127.0.0.1:9001 beside it, and the Socket.IO (9002) and JSON-RPC (ws://127.0.0.1:9003/rpc)
# servers the tests use. Installs what is missing first. Ctrl+C stops them all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/setup.sh"

cargo build --locked -p wsprobe-test-server
target/debug/wsprobe-test-server --port "${WSPROBE_TEST_SERVER_PORT:-9001}" &
server_pid=$!
WSPROBE_SOCKETIO_PORT="${WSPROBE_SOCKETIO_PORT:-9002}" WSPROBE_JSONRPC_PORT="${WSPROBE_JSONRPC_PORT:-9003}" \
  node e2e/servers/protocols.mjs &
protocols_pid=$!
trap 'kill $server_pid $protocols_pid 2>/dev/null || true' EXIT

echo
echo "wsprobe: open http://127.0.0.1:${WSPROBE_PORT:-8080}/ (the URL field starts on the echo endpoint)"
trunk serve --offline --release --address 127.0.0.1 --port "${WSPROBE_PORT:-8080}"
