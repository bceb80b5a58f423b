#!/usr/bin/env bash
# Benchmarks: the C++ kernels natively (Google Benchmark) and as WASM in Chromium (benchmark page),
# and the room server (signaling capacity; Janus + server CPU for 1 publisher and 10 subscribers).
# Baseline for every ratio: the same kernel's scalar reference on the same machine and runtime.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
log "benchmarks"
node scripts/bench-native.mjs
node scripts/bench-browser.mjs
node scripts/bench-server.mjs
