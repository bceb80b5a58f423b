#!/usr/bin/env bash
# Benchmarks: the C++ kernels natively (Google Benchmark) and as WASM in Chromium (benchmark page),
# the room server (signaling capacity; Janus + server CPU for 1 publisher and 10 subscribers), and
# call setup times of the SDK against a minimal raw Janus client, plus the SDK's gzip size.
# Baselines: a kernel's scalar reference on the same machine and runtime; a bare `ws` server; a raw
# Janus client on the same Janus binary and config; trtc-js-sdk 4.15.22's gzip size.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
log "benchmarks"
node scripts/bench-native.mjs
node scripts/bench-browser.mjs
node scripts/bench-server.mjs
node scripts/bench-call.mjs
