#!/usr/bin/env bash
# The benchmark: builds the release page, the release test server and the release command line
# with its two native yardsticks, then measures the page against a bare page and a bare worker in
# headless Chromium, the command line against a bare tokio-tungstenite client, and the scenario
# engine's matching natively (e2e/bench.js). Prints each figure beside its target and writes
# them to e2e/artifacts/bench.json. Not a test: missed targets do not fail it.
# Arguments go to e2e/bench.js (--quick for smaller numbers while working on it, --only=… for
# some parts). Honours CARGO_TARGET_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

"$root/scripts/setup.sh"

target=${CARGO_TARGET_DIR:-$root/target}

# One job each: the machine this runs on may be busy, and the figures are ratios anyway.
step "release test server (so that it is not the bottleneck)"
cargo build --locked --release -p wsprobe-test-server -j1

step "release command line, and the bare client it is measured against (cli/examples/bare_count.rs)"
cargo build --locked --release -p wsprobe-cli --bin wsprobe --example bare_count -j1

step "the engine's matching throughput (core/examples/match_throughput.rs)"
cargo build --locked --release -p wsprobe-core --example match_throughput -j1

step "release build (trunk)"
CARGO_BUILD_JOBS=1 trunk build --release --offline

step "benchmark"
WSPROBE_TEST_SERVER_BIN="$target/release/wsprobe-test-server" \
  WSPROBE_CLI_BIN="$target/release/wsprobe" \
  WSPROBE_BARE_COUNT_BIN="$target/release/examples/bare_count" \
  WSPROBE_MATCH_BIN="$target/release/examples/match_throughput" \
  node e2e/bench.js "$@"
