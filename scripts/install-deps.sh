#!/usr/bin/env bash
# Installs the Debian 12 packages ZeroLens needs, skipping those already present.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite needs)
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libtorch-dev libopenblas0-openmp
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n qt6-svg-dev libgl-dev
  libqcustomplot-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev libpcre2-dev libutf8proc-dev
  wordnet-base
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(nodejs npm sentencepiece)
  # scripts/fuzz.sh: libFuzzer and the sanitizer runtimes come with clang.
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
# A machine with Node.js from elsewhere already has node and npm; don't fight it.
if command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
  ((${#missing[@]} == 0)) && exit 0
fi
echo "Installing: ${missing[*]}"
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
