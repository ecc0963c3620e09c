#!/usr/bin/env bash
# Runs every test: the core natively, the test server, the browser glue in headless
# Chromium, then the release build driven end to end. Installs what is missing first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

"$root/scripts/setup.sh" --release-tools

step "formatting and lints"
leptosfmt --check --quiet src
cargo fmt --all --check
cargo clippy --locked --all-targets -p wsprobe-core -p wsprobe-test-server -p wsprobe-relay -p wsprobe-cli -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --all-targets -p wsprobe -- -D warnings
# The page as it ships: with its split points (src/lazy.rs).
cargo clippy --locked --target wasm32-unknown-unknown --bin wsprobe -p wsprobe --features split -- -D warnings

step "core, test server, relay and command line (native)"
cargo test --locked -p wsprobe-core -p wsprobe-test-server -p wsprobe-relay -p wsprobe-cli

step "the release (cargo-dist): the committed workflow is what it generates, a plan, the installers, this machine's archive"
version=$(cargo metadata --format-version=1 --no-deps --offline | node -e "let t='';process.stdin.on('data',(d)=>t+=d).on('end',()=>console.log(JSON.parse(t).packages.find((p)=>p.name==='wsprobe-cli').version))")
dist generate --check
dist plan
dist build --artifacts=global
# The installers download this version's archives from the project's releases.
grep -q "/releases/download/v$version" target/distrib/wsprobe-cli-installer.sh
grep -q "/releases/download/v$version" target/distrib/wsprobe-cli-installer.ps1
# This machine's archive, built as the release workflow builds it; what is in it must be the
# wsprobe command (the page's crate has a binary of that name too).
host=$(rustc -vV | sed -n 's/^host: //p')
dist build --artifacts=local --target "$host"
unpacked=$(mktemp -d)
tar -xJf "target/distrib/wsprobe-cli-$host.tar.xz" -C "$unpacked"
released="$unpacked/wsprobe-cli-$host/wsprobe"
[ "$("$released" --version)" = "wsprobe $version" ] || { "$released" --version; echo "the archive's wsprobe --version does not say $version" >&2; exit 1; }
# Read whole first: grep -q stops early, and under pipefail the writer's SIGPIPE would fail it.
relay_help=$("$released" relay --help)
grep -q -- '--page URL' <<<"$relay_help" || { echo "the archive's wsprobe relay --help does not list --page" >&2; exit 1; }
rm -rf "$unpacked"

step "test server and protocol servers for the browser tests"
cargo build --locked -p wsprobe-test-server -p wsprobe-relay
log=$(mktemp)
protocols_log=$(mktemp)
target/debug/wsprobe-test-server --port 0 >"$log" 2>&1 &
server_pid=$!
# The Socket.IO, JSON-RPC and GraphQL servers and the MQTT and STOMP brokers
# (e2e/servers/protocols.mjs), once for the whole run: their first line on stdout is JSON naming
# them ({"socketio":"ws://…","jsonrpc":"ws://…/rpc","graphql":…,"graphqlLegacy":…,"mqtt":…,
# "stomp":…}). RabbitMQ takes some seconds to start.
node e2e/servers/protocols.mjs >"$protocols_log" &
protocols_pid=$!
trap 'kill $server_pid $protocols_pid 2>/dev/null || true; rm -f "$log" "$protocols_log"' EXIT
for _ in $(seq 100); do
  grep -q 'listening on' "$log" && break
  sleep 0.1
done
WSPROBE_TEST_SERVER=$(grep -o 'ws://[0-9.:]*' "$log" | head -1)
[ -n "$WSPROBE_TEST_SERVER" ] || { cat "$log"; echo "test server did not start" >&2; exit 1; }
export WSPROBE_TEST_SERVER
echo "$WSPROBE_TEST_SERVER"
for _ in $(seq 900); do
  grep -q '^{' "$protocols_log" && break
  sleep 0.1
done
WSPROBE_PROTOCOL_SERVERS=$(grep -m1 '^{"socketio":"ws://.*"jsonrpc":"ws://.*"graphqlLegacy":"ws://.*"mqtt":"ws://.*"stomp":"ws://.*}$' "$protocols_log" || true)
[ -n "$WSPROBE_PROTOCOL_SERVERS" ] || { cat "$protocols_log"; echo "protocol servers did not start" >&2; exit 1; }
export WSPROBE_PROTOCOL_SERVERS
echo "$WSPROBE_PROTOCOL_SERVERS"

# A port where nothing listens (free a moment ago), for the probe's "connection refused".
WSPROBE_CLOSED_PORT=$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
export WSPROBE_CLOSED_PORT

step "browser glue (wasm-bindgen-test in headless Chromium)"
# The page is not served cross-origin isolated, so neither is the test page: under COEP the
# HTTP probe's no-cors fetch would be blocked.
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 \
  cargo test --locked --target wasm32-unknown-unknown -p wsprobe

step "release build (trunk, wasm-opt -Oz)"
trunk build --release --offline
node e2e/size.js

step "end to end (the built page in headless Chromium)"
(cd e2e && npm test)

step "the serve command's page (trunk serve, as scripts/serve.sh runs it)"
# trunk serve builds the page its own way (it once added an inline live-reload script, which
# scripts/finish-build.mjs refuses): the page must come out of it whole.
serve_port=$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
serve_log=$(mktemp)
# Into a folder of its own: a failed build must not be hidden by an earlier one's files.
serve_dist=$(mktemp -d)
trunk serve --offline --release --dist "$serve_dist" --address 127.0.0.1 --port "$serve_port" >"$serve_log" 2>&1 &
serve_pid=$!
served=""
for _ in $(seq 600); do
  if node -e "fetch('http://127.0.0.1:$serve_port/').then((r) => r.text()).then((t) => process.exit(t.includes('wsprobe-socket-worker') ? 0 : 1), () => process.exit(1))"; then
    served=1
    break
  fi
  grep -q 'ERROR' "$serve_log" && break
  sleep 0.5
done
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
rm -rf "$serve_dist"
if [ -z "$served" ]; then
  cat "$serve_log"
  echo "trunk serve did not serve the page" >&2
  exit 1
fi
echo "served on 127.0.0.1:$serve_port"
