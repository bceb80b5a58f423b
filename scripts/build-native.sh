#!/usr/bin/env bash
# Native build of the C++ core (g++): GoogleTests and Google Benchmark. Output: build/native/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
log "C++ core (native, g++)"
cmake -S "$ROOT" -B "$BUILD_DIR/native" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRTC_FIXTURES_DIR="$TRTC_CACHE_DIR/fixtures" >/dev/null
cmake --build "$BUILD_DIR/native" -j "$JOBS"
