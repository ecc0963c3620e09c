#!/usr/bin/env bash
# The benchmark: builds the release page and the release test server, then measures the page
# against a bare page in headless Chromium (e2e/bench.js). Prints each figure beside its target
# and writes them to e2e/artifacts/bench.json. Not a test: missed targets do not fail it.
# Arguments go to e2e/bench.js (--quick for smaller numbers while working on it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

"$root/scripts/setup.sh"

# One job each: the machine this runs on may be busy, and the figures are ratios anyway.
step "release test server (so that it is not the bottleneck)"
cargo build --locked --release -p wsprobe-test-server -j1

step "release build (trunk)"
CARGO_BUILD_JOBS=1 trunk build --release --offline

step "benchmark"
WSPROBE_TEST_SERVER_BIN="$root/target/release/wsprobe-test-server" node e2e/bench.js "$@"
