#!/usr/bin/env bash
# Installs the pinned tools that build and test Baton, skipping each one already at its version.
# Usage: scripts/setup.sh [--test]   (--test also installs Chromium and ChromeDriver)
# serve.sh and test.sh source this file (`. scripts/setup.sh`) to get the tools on their PATH.
set -euo pipefail

TRUNK_VERSION=0.21.14  # 0.22 needs a newer rustc than the machine's 1.95
BINARYEN_VERSION=132.0.0  # Debian's wasm-opt (108) builds a wasm that fails at start-up

cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { echo "setup: $*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; }

if ! command -v cargo >/dev/null && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "installing trunk $TRUNK_VERSION (10-25 min on a cold machine)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# Trunk requires wasm-bindgen-cli to equal the wasm-bindgen crate that Cargo.lock resolved.
bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen" ]; then
  step "installing wasm-bindgen-cli $bindgen (about 10 min on a cold machine)"
  # Not --locked: its lock file wants a webpki-roots version the registry here lacks.
  cargo install wasm-bindgen-cli --version "$bindgen"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*} "; then
  step "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools/"
  command -v npm >/dev/null || apt_install npm
  npm install --prefix .tools --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

if [ "${1:-}" = --test ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    step "installing chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
  # The YAML differential test's oracle: libyaml itself, through PyYAML.
  if ! python3 -c 'import yaml; assert yaml.__with_libyaml__' 2>/dev/null; then
    step "installing python3-yaml (libyaml, the YAML test's oracle)"
    apt_install python3-yaml
  fi
  cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
  cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
fi
step "tools ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | cut -d' ' -f1-3)"
