#!/usr/bin/env bash
# The layout bench with Graphviz dot and dagre on the same graphs (cargo bench --bench layout
# -- --compare). Installs what is missing: Debian's graphviz, and @dagrejs/dagre from npm
# into .tools/. Extra arguments go to the bench (e.g. --sizes 50,200,1000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DAGRE_VERSION=3.1.3
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v dot >/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz
fi
if [ ! -d .tools/node_modules/@dagrejs/dagre ]; then
  command -v npm >/dev/null || { as_root apt-get update -qq; as_root apt-get install -y -qq npm; }
  npm install --prefix .tools --no-audit --no-fund --silent "@dagrejs/dagre@$DAGRE_VERSION"
fi
cargo bench --bench layout -- --compare "$@"
