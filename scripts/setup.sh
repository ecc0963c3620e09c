#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing; skips what is there,
# so a second run takes seconds. Safe to run on a brand-new Debian machine as root.
set -euo pipefail

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
LEPTOSFMT_VERSION=0.1.33
# The wasm splitter for the split build (scripts/split-wasm.mjs). Must understand the marker of
# wasm_split_helpers, pinned in Cargo.toml (=0.2.3); it reads raw wasm, before wasm-bindgen,
# so it does not depend on the wasm-bindgen version.
WASM_SPLIT_VERSION=0.2.4
root=$(cd "$(dirname "$0")/.." && pwd)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must match the crate in Cargo.lock to the patch version.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  say "installing trunk $TRUNK_VERSION (about 6 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

wb=$(wasm_bindgen_version)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$" \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wb (about 2 minutes)"
  # Not --locked: its lock file names a crate version the registry here lacks.
  cargo install wasm-bindgen-cli --version "$wb" --force
fi

if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli (wasm_split_cli_support $WASM_SPLIT_VERSION, about 8 minutes)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --locked --features build-binary
fi

# cargo-dist (`dist`), with --release-tools (the test command's): it generated the release
# workflow (.github/workflows/release.yml) and the installers, and checks them. Its version is
# the one dist-workspace.toml names, which the workflow also installs.
if [ "${1:-}" = --release-tools ]; then
  dist_version=$(awk -F'"' '/^cargo-dist-version/ { print $2 }' "$root/dist-workspace.toml")
  if ! dist --version 2>/dev/null | grep -qx "cargo-dist $dist_version"; then
    # A debug build: it compiles in about half the time, and dist only plans and packages here.
    say "installing cargo-dist $dist_version (about 5 minutes)"
    cargo install cargo-dist --version "$dist_version" --locked --debug
  fi
fi

# leptosfmt formats the view! macros, which rustfmt leaves alone; the test command checks both.
if ! leptosfmt --version 2>/dev/null | grep -q " $LEPTOSFMT_VERSION\$"; then
  say "installing leptosfmt $LEPTOSFMT_VERSION (about 3 minutes)"
  cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked
fi

if ! rustup component list --installed | grep -q '^clippy' || ! rustup component list --installed | grep -q '^rustfmt'; then
  say "adding clippy and rustfmt"
  rustup component add clippy rustfmt
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION\b"; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  npm install -g "binaryen@$BINARYEN_VERSION" --no-fund --no-audit
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v openssl >/dev/null \
  || ! command -v xmllint >/dev/null || ! command -v xz >/dev/null \
  || ! { command -v mosquitto || [ -x /usr/sbin/mosquitto ]; } >/dev/null \
  || [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  # openssl makes the throwaway certificate for the https end-to-end test (mixed content).
  # xmllint checks the JUnit reports against the JUnit schema (core/tests/scenario_junit.rs).
  # xz unpacks the release archive the test command builds (cargo-dist's .tar.xz).
  # mosquitto is the MQTT broker the end-to-end tests run against (e2e/servers/mqtt.mjs), and
  # rabbitmq-server (with its Web STOMP plugin) the STOMP broker (e2e/servers/stomp.mjs): the
  # tests start their own, on loopback, so a service the package starts is stopped again.
  say "installing Debian chromium, chromium-driver, openssl, libxml2-utils, xz-utils, mosquitto and rabbitmq-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  had_rabbitmq=$([ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && echo yes || true)
  apt-get install -y -qq chromium chromium-driver openssl libxml2-utils xz-utils mosquitto rabbitmq-server >/dev/null
  if [ -z "$had_rabbitmq" ] && [ -d /run/systemd/system ]; then
    systemctl disable --now rabbitmq-server.service epmd.socket epmd.service >/dev/null 2>&1 || true
  fi
fi

# esbuild, which the release build runs to minify its JS and CSS (scripts/shrink.mjs).
if [ ! -d "$root/scripts/node_modules/esbuild" ]; then
  say "installing the build's minifier (esbuild, from npm)"
  (cd "$root/scripts" && npm ci --no-fund --no-audit)
fi

e2e_packages_missing=""
for package in playwright-core axe-core socket.io socket.io-client ws json-rpc-2.0 graphql graphql-ws subscriptions-transport-ws mqtt @stomp/stompjs; do
  [ -d "$root/e2e/node_modules/$package" ] || e2e_packages_missing=1
done
if [ -n "$e2e_packages_missing" ]; then
  say "installing the end-to-end test driver (playwright-core, no browser download), axe-core and the protocol servers' packages"
  (cd "$root/e2e" && npm ci --no-fund --no-audit)
fi

# The command line's tests also run against a WebSocket server that is not ours: Python's
# websockets, in a virtual environment of its own (no system packages touched).
PY_WEBSOCKETS_VERSION=15.0.1
venv="$root/target/python-venv"
if ! "$venv/bin/python3" -c "import websockets, sys; sys.exit(websockets.__version__ != '$PY_WEBSOCKETS_VERSION')" 2>/dev/null; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" 2>/dev/null; then
    say "installing Debian python3-venv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3 python3-venv >/dev/null
  fi
  say "installing Python websockets $PY_WEBSOCKETS_VERSION into target/python-venv (the CLI tests' independent server)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "websockets==$PY_WEBSOCKETS_VERSION"
fi
