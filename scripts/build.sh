#!/usr/bin/env bash
# `npm run build`: the C++ core to WASM (with the codecs), the SDK bundles and types, the server.
# Outputs: build/wasm/, dist/trtc.esm.js, dist/trtc.umd.js, dist/wasm/, types/index.d.ts, build/server/.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/build-wasm.sh
log "SDK (tsc + rollup)"
rm -rf build/ts
npx tsc -p js/tsconfig.json
npx rollup -c rollup.config.js --silent
log "room server (tsc)"
npx tsc -p server/tsconfig.json
ls -l dist/trtc.esm.js dist/trtc.umd.js dist/wasm/trtc-core.wasm dist/wasm/trtc-audio.worklet.js dist/plugins/audio-mixer.esm.js dist/plugins/beauty.esm.js types/index.d.ts | awk '{print "  " $5 "\t" $9}'
