#!/usr/bin/env bash
# Configures and builds Keyward into a build folder. Usage: scripts/build.sh BUILD_DIR [cmake -D options]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: build.sh BUILD_DIR [cmake options]}
shift
cmake -S "$here" -B "$build" -G Ninja "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
