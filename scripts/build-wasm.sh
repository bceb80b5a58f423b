#!/usr/bin/env bash
# WebAssembly build of the C++ core (Emscripten 3.1.6, Embind, -O3 -msimd128): the SDK module
# trtc-core.{js,wasm}, the benchmark module, and the GoogleTests compiled to WASM for node.
# Output: build/wasm/. Needs the codecs from scripts/build-codecs.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$ROOT/scripts/build-codecs.sh"
log "C++ core (WASM, Emscripten $(emcc --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9.]*\) .*/\1/p'))"
# The default emulator flag (--experimental-wasm-threads) is rejected by Node 20.
emscripten_env emcmake cmake -S "$ROOT" -B "$BUILD_DIR/wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DTRTC_WASM_CODECS_DIR="$TRTC_CACHE_DIR/codecs" -DTRTC_FIXTURES_DIR="$TRTC_CACHE_DIR/fixtures" \
  "-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch" >/dev/null
emscripten_env cmake --build "$BUILD_DIR/wasm" -j "$JOBS"
