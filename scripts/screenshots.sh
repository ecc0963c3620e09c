#!/usr/bin/env bash
# Saves light and dark screenshots of the release build to docs/ (see DEVELOPERS.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"
cargo build --locked -p wsprobe-test-server
trunk build --release --offline
node e2e/screenshots.js
