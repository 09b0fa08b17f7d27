#!/usr/bin/env bash
# Installs what is missing, builds ZeroLens (release) and starts the GUI on the
# built-in demo model, or on the model folder given as argument.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/zerolens/ccache}"
cmake --preset release -DZL_BUILD_UI=ON -DZL_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release
exec build/release/app/zerolens "$@"
