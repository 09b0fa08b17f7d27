#!/usr/bin/env bash
# Installs what is missing, builds ZeroLens (release) and starts the GUI on a
# model: the folder given as argument, else a generated sample checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/zerolens/ccache}"
cmake --preset release >/dev/null
cmake --build --preset release
model="${1:-}"
if [[ -z "$model" ]]; then
  model="$HOME/.cache/zerolens/sample-model"
  [[ -f "$model/config.json" ]] || build/release/app/zerolens-cli make-sample "$model" --hidden-size 64 --layers 4
fi
exec build/release/app/zerolens "$model"
