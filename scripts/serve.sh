#!/usr/bin/env bash
# Builds the web app (debug) and serves it on http://127.0.0.1:8080 (settings in Trunk.toml).
# Its output goes to target/serve-dist, so dist/ stays the release build that the browser test uses.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec trunk serve --dist target/serve-dist "$@"
