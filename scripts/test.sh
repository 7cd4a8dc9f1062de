#!/usr/bin/env bash
# Everything CI checks, in the order that fails fastest. Run from anywhere: scripts/test.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh" --test

step() { echo "test: $*"; }
step "formatting"
cargo fmt --all -- --check
step "lints (clippy; warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The app's pure logic (scene, SVG, finding placement, storage format) is tested natively too.
step "native tests (CLI, analyzer, app logic)"
cargo test --workspace --locked
step "analyzer builds for wasm32"
cargo build -p baton-analyzer --target wasm32-unknown-unknown --locked
step "release build of the web app into dist/"
trunk build --release --locked
step "browser smoke test against dist/"
cargo test --test browser --locked -- --ignored
